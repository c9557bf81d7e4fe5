/**
 * Splits a `when` expression into its top-level clauses on the JSONata AST, so coverage
 * and `explain` can say which part of a condition held. Only a chain of one operator is
 * split (`a and b and c`, or `a or b or c`); `a and b or c` is the `or` of `a and b` and `c`,
 * as JSONata's precedence parses it. Pure.
 */
import jsonata from 'jsonata';

export type ClauseOperator = 'and' | 'or';

/** One clause: its text and where it sits in the expression text (`end` exclusive). */
export interface Clause {
  text: string;
  start: number;
  end: number;
}

export interface ClauseSplit {
  /** null when the expression is not a top-level `and`/`or` chain: then it is its one clause. */
  operator: ClauseOperator | null;
  clauses: Clause[];
}

/** The parts of the JSONata AST this module reads. */
interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  lhs?: AstNode;
  rhs?: AstNode;
  expressions?: AstNode[];
}

/**
 * Splits `text` into the clauses of its top-level `and`/`or` chain, in source order.
 * A parenthesised whole (`(a and b)`) is looked through. Text that does not parse is one
 * clause (the loader reports the syntax error, not this). Never throws.
 */
export function splitClauses(text: string): ClauseSplit {
  const whole = trimmedClause(text, 0, text.length);
  let ast: AstNode;
  try {
    ast = jsonata(text).ast() as AstNode;
  } catch {
    return { operator: null, clauses: [whole] };
  }
  const { node, start, end } = unwrapBlock(ast, text, 0, text.length);
  if (!isChainOperator(node)) return { operator: null, clauses: [whole] };
  const operator = node.value;
  const operatorEnds = collectOperatorEnds(node, operator);
  const clauses: Clause[] = [];
  let from = start;
  for (const operatorEnd of operatorEnds) {
    clauses.push(trimmedClause(text, from, operatorEnd - operator.length));
    from = operatorEnd;
  }
  clauses.push(trimmedClause(text, from, end));
  return { operator, clauses };
}

/** JSONata's `and`/`or` outcome from the clause values (already booleans). Pure. */
export function combineClauseValues(operator: ClauseOperator | null, values: readonly boolean[]): boolean {
  if (operator === 'or') return values.some(Boolean);
  return values.length > 0 && values.every(Boolean);
}

function isChainOperator(node: AstNode): node is AstNode & { value: ClauseOperator } {
  return node.type === 'binary' && (node.value === 'and' || node.value === 'or');
}

/**
 * The end offsets of the chain's operator tokens, left to right. JSONata parses the chain
 * left-associatively, so the operators are the spine down the left-hand sides.
 */
function collectOperatorEnds(node: AstNode, operator: ClauseOperator): number[] {
  const ends: number[] = [];
  let current: AstNode | undefined = node;
  while (current && current.type === 'binary' && current.value === operator) {
    // JSONata records a token's position as the offset just past it.
    ends.unshift(current.position ?? 0);
    current = current.lhs;
  }
  return ends;
}

/** Looks through `( expr )` wrapping the whole expression, keeping the inner text's range. */
function unwrapBlock(
  node: AstNode,
  text: string,
  start: number,
  end: number,
): { node: AstNode; start: number; end: number } {
  if (node.type !== 'block' || node.expressions?.length !== 1 || node.position === undefined) {
    return { node, start, end };
  }
  const close = text.lastIndexOf(')', end - 1);
  const inner = node.expressions[0];
  if (close < node.position || !inner) return { node, start, end };
  return unwrapBlock(inner, text, node.position, close);
}

function trimmedClause(text: string, start: number, end: number): Clause {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(text.charAt(from))) from += 1;
  while (to > from && /\s/.test(text.charAt(to - 1))) to -= 1;
  return { text: text.slice(from, to), start: from, end: to };
}
