/**
 * The seam to the fast path (src/compile/fast/, docs/fast-path.md): a compiler from a safe
 * subset of jsonata ASTs to synchronous closures with jsonata's exact results, declining
 * (undefined) anything outside the subset, which then runs through jsonata.
 */
import type { AstNode } from './ast.js';
import { compileFastPath, type EvaluateExitHook } from './fast/index.js';
import { HELPER_FUNCTIONS } from './names.js';

/**
 * `bindings` holds `params`, and `now`/`millis` as synchronous functions fixed to the
 * evaluation's time. It throws jsonata-style `{code, message, position}` errors.
 */
export type FastPathFunction = (input: unknown, bindings: Record<string, unknown>) => unknown;

/** Compiles the AST when it is in the subset; calls to our helpers are always declined. */
export function compileFastPathFor(ast: AstNode, sizeGuard: EvaluateExitHook): FastPathFunction | undefined {
  return compileFastPath(ast, { functionNames: HELPER_FUNCTIONS, evaluateExit: sizeGuard });
}
