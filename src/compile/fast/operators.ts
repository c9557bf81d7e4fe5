/**
 * JSONata's binary and unary operators on already-evaluated operands (jsonata 2.2.2 semantics,
 * including which side's type error wins and when undefined propagates).
 */
import { JsonataError } from './errors.js';
import { castString, isDeepEqual, isNumeric } from './values.js';

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type ComparisonOperator = '<' | '<=' | '>' | '>=';

/** `+ - * / %`: non-numbers are T2001 (left, checked first) / T2002; undefined on either side → undefined. */
export function evaluateArithmetic(lhs: unknown, rhs: unknown, op: ArithmeticOperator): number | undefined {
  if (lhs !== undefined && !isNumeric(lhs)) throw new JsonataError('T2001', { value: lhs });
  if (rhs !== undefined && !isNumeric(rhs)) throw new JsonataError('T2002', { value: rhs });
  if (lhs === undefined || rhs === undefined) return undefined;
  switch (op) {
    case '+':
      return lhs + rhs;
    case '-':
      return lhs - rhs;
    case '*':
      return lhs * rhs;
    case '/':
      return lhs / rhs;
    case '%':
      return lhs % rhs;
  }
}

/** `=` / `!=`: false when either side is undefined, otherwise deep equality. */
export function evaluateEquality(lhs: unknown, rhs: unknown, negate: boolean): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  return negate ? !isDeepEqual(lhs, rhs) : isDeepEqual(lhs, rhs);
}

function isComparable(type: string): boolean {
  return type === 'undefined' || type === 'string' || type === 'number';
}

/** `< <= > >=`: strings or numbers only (T2010), same type (T2009), undefined → undefined. */
export function evaluateComparison(lhs: unknown, rhs: unknown, op: ComparisonOperator): boolean | undefined {
  const ltype = typeof lhs;
  const rtype = typeof rhs;
  if (!isComparable(ltype) || !isComparable(rtype)) {
    const value = ltype === 'string' || ltype === 'number' ? rhs : lhs;
    throw new JsonataError('T2010', { value });
  }
  if (ltype === 'undefined' || rtype === 'undefined') return undefined;
  if (ltype !== rtype) throw new JsonataError('T2009', { value: lhs, value2: rhs });
  const l = lhs as string | number;
  const r = rhs as string | number;
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
  }
}

/** `in`: strict membership in the right side (a non-array counts as a one-item array). */
export function evaluateIncludes(lhs: unknown, rhs: unknown): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  if (!Array.isArray(rhs)) return rhs === lhs;
  for (const item of rhs) if (item === lhs) return true;
  return false;
}

/** `&`: both sides cast with $string, undefined as ''. */
export function evaluateConcat(lhs: unknown, rhs: unknown): string {
  const left = lhs === undefined ? '' : (castString(lhs) as string);
  const right = rhs === undefined ? '' : (castString(rhs) as string);
  return left + right;
}

/** Unary minus: undefined stays undefined; non-numbers are D1002. */
export function evaluateNegation(value: unknown, position: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (isNumeric(value)) return -value;
  throw new JsonataError('D1002', { position, token: '-', value });
}
