/**
 * Shape checks on jsonata's (untyped) AST. The fast path accepts a node only when every key it
 * carries is one it understands, so flags it does not model (keepArray, consarray, focus, index,
 * tuple, group, ancestor, seekingParent, …) decline the whole expression.
 */

export interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  [key: string]: unknown;
}

/** Internal signal: the expression is outside the subset. Never escapes compileFastPath. */
export class Declined extends Error {}

export function decline(reason: string): never {
  throw new Declined(reason);
}

const COMMON_KEYS = ['type', 'value', 'position', 'predicate'];

export function isAstNode(value: unknown): value is AstNode {
  return value !== null && typeof value === 'object' && typeof (value as AstNode).type === 'string';
}

/** Asserts the node is an AST node with no defined keys beyond the common ones and `extra`. */
export function requireNode(value: unknown, extra: readonly string[] = []): AstNode {
  if (!isAstNode(value)) decline('not an AST node');
  for (const key of Object.keys(value)) {
    if (value[key] === undefined || COMMON_KEYS.includes(key) || extra.includes(key)) continue;
    decline(`unsupported ${value.type} attribute ${key}`);
  }
  return value;
}

export function requireNodeList(value: unknown): unknown[] {
  if (!Array.isArray(value)) decline('expected a list of nodes');
  return value;
}

/** The filter expressions of `[…]` stages: `predicate` on a node, `stages` on a path step. */
export function filterExpressions(value: unknown): unknown[] {
  if (value === undefined) return [];
  return requireNodeList(value).map((stage) => {
    const node = requireNode(stage, ['expr']);
    if (node.type !== 'filter') decline(`unsupported stage ${node.type}`);
    return node.expr;
  });
}

/** The keys each supported node type may carry besides type/value/position/predicate. */
export const NODE_KEYS: Readonly<Record<string, readonly string[]>> = {
  string: [],
  number: [],
  value: [],
  variable: [],
  name: [],
  path: ['steps'],
  binary: ['lhs', 'rhs'],
  unary: ['expression', 'expressions'],
  condition: ['condition', 'then', 'else'],
  block: ['expressions'],
  function: ['arguments', 'procedure', 'name'],
  bind: ['lhs', 'rhs'],
  apply: ['lhs', 'rhs', 'keepArray'],
};

/** Whether any node below `root` has the given type (a bounded walk over the AST's own objects). */
export function containsNodeType(root: unknown, type: string): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown): boolean => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return false;
    seen.add(value);
    if (!Array.isArray(value) && (value as AstNode).type === type) return true;
    return Object.values(value).some(visit);
  };
  return visit(root);
}
