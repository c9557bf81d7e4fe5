/**
 * JSONata's value model, re-stated for synchronous evaluation: sequences (arrays flagged
 * `sequence`), and the casts and tests the operators and functions share. Each function follows
 * the corresponding jsonata 2.2.2 behaviour, including its evaluation order and the errors it
 * throws, because the fast path must be indistinguishable from jsonata.
 */
import { JsonataError } from './errors.js';

/** A jsonata result sequence: a JS array flagged so the evaluator may unwrap or flatten it. */
export type Sequence = unknown[] & { sequence: true; outerWrapper?: boolean };

export function createSequence(): Sequence {
  const sequence = [] as unknown as Sequence;
  sequence.sequence = true;
  return sequence;
}

export function sequenceOf(item: unknown): Sequence {
  const sequence = createSequence();
  sequence.push(item);
  return sequence;
}

export function isSequence(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Partial<Sequence>).sequence === true;
}

/** What jsonata's evaluate() does to every node's result: empty → undefined, singleton → its item. */
export function unwrapSequence(value: unknown): unknown {
  if (value && isSequence(value)) {
    if (value.length === 0) return undefined;
    if (value.length === 1) return value[0];
  }
  return value;
}

/** jsonata treats JS functions and objects marked as jsonata functions or lambdas as functions. */
export function isFunctionValue(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (value === null || typeof value !== 'object') return false;
  const marked = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return marked._jsonata_function === true || marked._jsonata_lambda === true;
}

/** A number that is not NaN; Infinity is an error (D1001), as in jsonata. */
export function isNumeric(value: unknown): value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (!Number.isFinite(value)) throw new JsonataError('D1001', { value });
  return true;
}

export function isArrayOfNumbers(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  let all = true;
  // No early exit: every item is tested, so an Infinity anywhere throws D1001 as in jsonata.
  for (const item of value) if (!isNumeric(item)) all = false;
  return all;
}

/** $boolean: the effective boolean value; undefined stays undefined. */
export function castBoolean(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 1) return castBoolean(value[0]);
    if (value.length === 0) return false;
    let any = false;
    // No early exit, as in jsonata: every item is cast (an Infinity anywhere throws).
    for (const item of value) if (castBoolean(item)) any = true;
    return any;
  }
  if (typeof value === 'string') return value.length > 0;
  if (isNumeric(value)) return value !== 0;
  if (value !== null && typeof value === 'object' && !isFunctionValue(value)) {
    return Object.keys(value).length > 0;
  }
  return value === true;
}

/** `and`/`or` operands: undefined counts as false. */
export function castCondition(value: unknown): boolean {
  return castBoolean(value) ?? false;
}

function replaceForString(_key: string, value: unknown): unknown {
  if (value !== undefined && value !== null && isNumeric(value)) {
    // 15 significant digits hide binary floating-point noise, as JSONata specifies.
    return Number.isInteger(value) ? value : Number(value.toPrecision(15));
  }
  return value && isFunctionValue(value) ? '' : value;
}

/** $string: strings as is, functions as '', non-finite numbers D3001, anything else as JSON. */
export function castString(value: unknown, prettify = false): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (isFunctionValue(value)) return '';
  if (typeof value === 'number' && !Number.isFinite(value)) throw new JsonataError('D3001', { value });
  const subject = Array.isArray(value) && (value as Partial<Sequence>).outerWrapper ? value[0] : value;
  return JSON.stringify(subject, replaceForString, prettify ? 2 : 0);
}

/** The `=` operator's equality: structural for arrays and objects. */
export function isDeepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs !== 'object' || typeof rhs !== 'object' || lhs === null || rhs === null) return false;
  if (Array.isArray(lhs) && Array.isArray(rhs)) {
    if (lhs.length !== rhs.length) return false;
    for (let i = 0; i < lhs.length; i++) if (!isDeepEqual(lhs[i], rhs[i])) return false;
    return true;
  }
  // Own property names (not keys): an array compared with an object counts `length`, as in jsonata.
  const lkeys = Object.getOwnPropertyNames(lhs).sort();
  const rkeys = Object.getOwnPropertyNames(rhs).sort();
  if (lkeys.length !== rkeys.length) return false;
  for (let i = 0; i < lkeys.length; i++) if (lkeys[i] !== rkeys[i]) return false;
  const l = lhs as Record<string, unknown>;
  const r = rhs as Record<string, unknown>;
  for (const key of lkeys) if (!isDeepEqual(l[key], r[key])) return false;
  return true;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A field step: an object's own property; over an array, every item's, one level flattened. */
export function lookupField(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const result = createSequence();
    for (const item of input) {
      const found = lookupField(item, key);
      if (found === undefined) continue;
      if (Array.isArray(found)) for (const value of found) result.push(value);
      else result.push(found);
    }
    return result;
  }
  if (input !== null && typeof input === 'object' && hasOwn.call(input, key) && !isFunctionValue(input)) {
    return (input as Record<string, unknown>)[key];
  }
  return undefined;
}

/** $append, also used by the array constructor: undefined sides vanish, arrays concatenate. */
export function appendValues(first: unknown, second: unknown): unknown {
  if (first === undefined) return second;
  if (second === undefined) return first;
  const head = Array.isArray(first) ? first : sequenceOf(first);
  return head.concat(Array.isArray(second) ? second : [second]);
}

/** The one-letter type jsonata's signatures match arguments against. */
export function signatureSymbol(value: unknown): string {
  if (isFunctionValue(value)) return 'f';
  switch (typeof value) {
    case 'string':
      return 's';
    case 'number':
      return 'n';
    case 'boolean':
      return 'b';
    case 'object':
      if (value === null) return 'l';
      return Array.isArray(value) ? 'a' : 'o';
    default:
      return 'm';
  }
}
