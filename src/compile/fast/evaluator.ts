/** The closure shape every compiled node has, and the per-evaluation environment it reads. */

export interface EvaluationEnv {
  /** Variables by name without `$`, exactly as passed to the FastExpression. */
  readonly bindings: Readonly<Record<string, unknown>>;
  /** The input document as given (what `$$` refers to). */
  readonly root: unknown;
  /** jsonata's own `$millis()` value when the caller binds none: taken once per evaluation. */
  timestamp?: number;
  /**
   * Variables bound with `:=`, innermost block first. Evaluation is synchronous and nothing
   * captures a frame (no lambdas), so blocks push and pop it in place.
   */
  frame?: Frame;
}

export interface Frame {
  readonly variables: Map<string, unknown>;
  readonly parent: Frame | undefined;
}

/** A compiled node: jsonata's evaluate(node, input) made synchronous. */
export type Evaluator = (input: unknown, env: EvaluationEnv) => unknown;

/** A compiled `[…]` stage applied to an already-evaluated value. */
export type Filter = (value: unknown, env: EvaluationEnv) => unknown;

/**
 * jsonata's `__evaluate_exit` hook (the caller's guardrails): called with each node and its result
 * where jsonata would call it, before singleton unwrapping. `env` is always undefined here.
 */
export type EvaluateExitHook = (node: { position?: number }, input: unknown, env: undefined, result: unknown) => void;
