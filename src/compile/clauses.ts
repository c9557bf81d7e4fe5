/**
 * Splits a `when` expression into its clauses on the JSONata AST, so coverage and `explain`
 * can say which part of a condition held. A chain of one operator is split (`a and b and c`,
 * or `a or b or c`), and so is every clause that is itself a chain, at any depth: in
 * `a and (b or c)` the second clause is the chain of `b` and `c`; `a and b or c` is the `or`
 * of the chain `a and b` and `c`, as JSONata's precedence parses it. Pure.
 */
import jsonata from 'jsonata';

export type ClauseOperator = 'and' | 'or';

/** One clause: its text and where it sits in the whole expression's text (`end` exclusive). */
export interface Clause {
  text: string;
  start: number;
  end: number;
  /** Present when the clause is itself an and/or chain (in parentheses or by precedence). */
  chain?: ClauseChain;
}

export interface ClauseChain {
  operator: ClauseOperator;
  clauses: Clause[];
}

export interface ClauseSplit {
  /** null when the expression is not an `and`/`or` chain: then it is its one clause. */
  operator: ClauseOperator | null;
  clauses: Clause[];
}

/** A clause with its position in the tree: `[1, 0]` is the first clause of the second. */
export interface ClauseAt {
  path: number[];
  clause: Clause;
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
 * Splits `text` into the clauses of its top-level `and`/`or` chain, in source order, each
 * clause that is a chain split in turn (`Clause.chain`); offsets are always into `text`.
 * Parentheses around a whole chain (`(a and b)`) are looked through. Text that does not
 * parse is one clause (the loader reports the syntax error, not this). Never throws.
 */
export function splitClauses(text: string): ClauseSplit {
  const whole = trimmedClause(text, 0, text.length);
  let ast: AstNode;
  try {
    ast = jsonata(text).ast() as AstNode;
  } catch {
    return { operator: null, clauses: [whole] };
  }
  return splitChain(ast, text, 0, text.length) ?? { operator: null, clauses: [whole] };
}

/** Every clause of the tree, each chain before its clauses, in source order. Pure. */
export function listClauses(clauses: readonly Clause[], parent: readonly number[] = []): ClauseAt[] {
  return clauses.flatMap((clause, index) => {
    const path = [...parent, index];
    return [{ path, clause }, ...(clause.chain ? listClauses(clause.chain.clauses, path) : [])];
  });
}

/** `2.1` for the path `[1, 0]`: how reports label a clause. */
export function formatClausePath(path: readonly number[]): string {
  return path.map((i) => i + 1).join('.');
}

/** JSONata's `and`/`or` outcome from the clause values (already booleans). Pure. */
export function combineClauseValues(operator: ClauseOperator | null, values: readonly boolean[]): boolean {
  if (operator === 'or') return values.some(Boolean);
  return values.length > 0 && values.every(Boolean);
}

/** The chain `node` spans (`start`..`end` of `text`), its clauses split in turn; undefined when it is not a chain. */
function splitChain(node: AstNode, text: string, start: number, end: number): ClauseChain | undefined {
  const inner = unwrapBlock(node, text, start, end);
  if (!isChainOperator(inner.node)) return undefined;
  const operator = inner.node.value;
  const operands = collectOperands(inner.node, operator);
  const clauses: Clause[] = [];
  let from = inner.start;
  for (const [index, operand] of operands.entries()) {
    const next = operands[index + 1];
    const to = next ? next.operatorEnd - operator.length : inner.end;
    const clause = trimmedClause(text, from, to);
    const chain = splitChain(operand.node, text, clause.start, clause.end);
    clauses.push(chain ? { ...clause, chain } : clause);
    if (next) from = next.operatorEnd;
  }
  return { operator, clauses };
}

function isChainOperator(node: AstNode): node is AstNode & { value: ClauseOperator } {
  return node.type === 'binary' && (node.value === 'and' || node.value === 'or');
}

/**
 * The chain's operands left to right, each with the end offset of the operator before it
 * (none for the first). JSONata parses a chain left-associatively, so the operators are the
 * spine down the left-hand sides.
 */
function collectOperands(node: AstNode, operator: ClauseOperator): Array<{ node: AstNode; operatorEnd: number }> {
  const operands: Array<{ node: AstNode; operatorEnd: number }> = [];
  let current: AstNode = node;
  while (current.type === 'binary' && current.value === operator && current.lhs && current.rhs) {
    // JSONata records a token's position as the offset just past it.
    operands.unshift({ node: current.rhs, operatorEnd: current.position ?? 0 });
    current = current.lhs;
  }
  operands.unshift({ node: current, operatorEnd: -1 });
  return operands;
}

const PLAIN_BLOCK_KEYS = new Set(['type', 'position', 'expressions']);

/**
 * Looks through `( expr )` spanning `start`..`end`, keeping the inner text's range. Only a
 * plain block: `(a or b)[0]`, `(a or b).x` or `(a or b){…}` is a different expression.
 */
function unwrapBlock(node: AstNode, text: string, start: number, end: number): { node: AstNode; start: number; end: number } {
  const inner = node.expressions?.[0];
  const plain = node.type === 'block' && node.expressions?.length === 1 && Object.keys(node).every((k) => PLAIN_BLOCK_KEYS.has(k));
  if (!plain || !inner || node.position === undefined) return { node, start, end };
  const close = text.lastIndexOf(')', end - 1);
  if (close < node.position || text.slice(close + 1, end).trim() !== '') return { node, start, end };
  return unwrapBlock(inner, text, node.position, close);
}

function trimmedClause(text: string, start: number, end: number): Clause {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(text.charAt(from))) from += 1;
  while (to > from && /\s/.test(text.charAt(to - 1))) to -= 1;
  return { text: text.slice(from, to), start: from, end: to };
}
