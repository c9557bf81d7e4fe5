/**
 * The parts of jsonata's AST (`expression.ast()`) that compile/ reads, and a generic walk.
 * jsonata positions are offsets just past the end of a node's token.
 */
export interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  steps?: AstNode[];
  procedure?: AstNode;
  arguments?: AstNode[];
  lhs?: AstNode | AstNode[][];
  rhs?: AstNode;
  focus?: string;
  index?: string;
  [key: string]: unknown;
}

/** Keys that hold bookkeeping, not child nodes (slots point back into the tree). */
const NON_CHILD_KEYS = new Set(['slot', 'ancestor', 'tuple', 'position', 'type', 'value']);

export interface Visit {
  node: AstNode;
  parent: AstNode | undefined;
  /** Index of `node` in `parent.steps` when it is a path step. */
  stepIndex: number | undefined;
}

/** Every node of the tree once, parents before children. Pure. */
export function walkAst(root: AstNode): Visit[] {
  const visits: Visit[] = [];
  const seen = new Set<unknown>();
  const visit = (node: AstNode, parent: AstNode | undefined, stepIndex: number | undefined): void => {
    if (seen.has(node)) return;
    seen.add(node);
    visits.push({ node, parent, stepIndex });
    for (const [key, child] of Object.entries(node)) {
      if (NON_CHILD_KEYS.has(key) && !(key === 'value' && isNode(child))) continue;
      if (key === 'steps' && Array.isArray(child)) {
        child.forEach((step, i) => isNode(step) && visit(step, node, i));
      } else {
        visitAny(child, node);
      }
    }
  };
  const visitAny = (value: unknown, parent: AstNode): void => {
    if (Array.isArray(value)) value.forEach((v) => visitAny(v, parent));
    else if (isNode(value)) visit(value, parent, undefined);
    else if (isPlainObject(value)) Object.values(value).forEach((v) => visitAny(v, parent));
  };
  visit(root, undefined, undefined);
  return visits;
}

function isNode(value: unknown): value is AstNode {
  return isPlainObject(value) && typeof (value as { type?: unknown }).type === 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RegExp);
}

/** Start and end offsets of a node's token in `text`, from jsonata's end position. */
export function spanOfNode(text: string, node: AstNode): { start: number; end: number } {
  const end = Math.min(Math.max(node.position ?? 0, 0), text.length);
  const token = node.type === 'variable' ? `$${String(node.value)}` : String(node.value ?? '');
  return { start: findTokenStart(text, token, end), end };
}

/**
 * Where a token ending at `end` starts. Falls back to searching backwards, because string
 * tokens lose their quotes and escapes, and back-quoted names their back-quotes.
 */
export function findTokenStart(text: string, token: string, end: number): number {
  if (token.length === 0) return Math.max(end - 1, 0);
  if (text.slice(end - token.length, end) === token) return end - token.length;
  const found = text.lastIndexOf(token, Math.max(end - token.length, 0));
  if (found >= 0 && found < end) return found > 0 && '`"\''.includes(text[found - 1] ?? '') ? found - 1 : found;
  return Math.max(Math.min(end, text.length) - 1, 0);
}
