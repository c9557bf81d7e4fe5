/**
 * The seam for the fast path (src/compile/fast/): a compiler from a safe subset of jsonata
 * ASTs to plain JS closures, returning undefined for anything outside the subset.
 * Until src/compile/fast/index.ts exists this compiles nothing; when it lands, replace the
 * body of `compileFastPathFor` with `return compileFastPath(ast)` (one import, one call).
 */
import type { AstNode } from './ast.js';

/**
 * `bindings` holds `params` and the helpers (`answer`, `objects`, `now`, `millis`) as plain
 * functions (see createHelperBindings). It may throw jsonata-style `{code, message, position}`.
 */
export type FastPathFunction = (input: unknown, bindings: Record<string, unknown>) => unknown;

export function compileFastPathFor(ast: AstNode): FastPathFunction | undefined {
  void ast;
  return undefined;
}
