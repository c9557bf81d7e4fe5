/**
 * The JSONata fast path: compiles a safe subset of jsonata ASTs into synchronous closures that
 * give exactly jsonata 2.2.2's results (and error codes), so simple rule conditions skip jsonata's
 * async evaluator. Everything outside the subset is declined and runs through jsonata.
 * Subset and verification: docs/fast-path.md.
 */
import { Declined, containsNodeType } from './ast.js';
import { createNodeCompiler } from './compile-node.js';
import type { EvaluateExitHook, EvaluationEnv } from './evaluator.js';

export type { EvaluateExitHook } from './evaluator.js';
import { isSequence, sequenceOf } from './values.js';

export { FastPathContractError, JsonataError } from './errors.js';

/**
 * A compiled expression. Pure and synchronous; bounded by the size of `input` (no loops beyond
 * it, no recursion from the expression), so it needs no timeout. Throws a JsonataError with
 * jsonata's code where jsonata would throw, and a FastPathContractError when `bindings` break the
 * contract (a binding shadows a built-in function the expression calls; `now`/`millis` bound to
 * something asynchronous).
 * `bindings`: variables by name without `$` (`params`, …). `now` / `millis`, when bound, must be
 * synchronous JS functions, as they are for jsonata; unbound, they read the clock like jsonata.
 */
export type FastExpression = (input: unknown, bindings: Readonly<Record<string, unknown>>) => unknown;

export interface FastPathOptions {
  /**
   * Names the caller binds to functions in its jsonata environment (our helpers: `answer`,
   * `objects`, …). Calls and references to them are declined. `answer`, `objects` and `eval` are
   * always included.
   */
  functionNames?: Iterable<string>;
  /**
   * The `__evaluate_exit` hook the caller gives jsonata (e.g. a size guard). It is called with
   * each node and its result where jsonata would call it, so its errors surface alike.
   */
  evaluateExit?: EvaluateExitHook;
}

const DEFAULT_FUNCTION_NAMES = ['answer', 'objects', 'eval'];

// jsonata accepts missing bindings; so do we (JS callers may omit them).
const NO_BINDINGS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Compiles `ast` (from `jsonata(expr).ast()`, not modified) into a FastExpression, or returns
 * undefined when the expression is outside the subset. Pure; never throws for any input.
 */
export function compileFastPath(ast: unknown, options: FastPathOptions = {}): FastExpression | undefined {
  const functionNames = new Set([...DEFAULT_FUNCTION_NAMES, ...(options.functionNames ?? [])]);
  let evaluate;
  try {
    const scoped = containsNodeType(ast, 'bind');
    evaluate = createNodeCompiler({ functionNames, evaluateExit: options.evaluateExit, scoped })(ast, 0);
  } catch (err) {
    if (err instanceof Declined || err instanceof RangeError) return undefined;
    throw err;
  }
  return (input, bindings) => {
    // All fields up front: one object shape for every evaluation.
    const env: EvaluationEnv = { bindings: bindings ?? NO_BINDINGS, root: input, timestamp: undefined, frame: undefined };
    if (Array.isArray(input) && !isSequence(input)) {
      // As jsonata does: a top-level array is one context value, not a sequence of them.
      const wrapped = sequenceOf(input);
      wrapped.outerWrapper = true;
      return evaluate(wrapped, env);
    }
    return evaluate(input, env);
  };
}
