/**
 * Guardrails every evaluation runs under, and the mapping of whatever an evaluation throws
 * to a failure result (`guard/…`, `jsonata/<code>`). Nothing here throws past evaluate.
 */
export interface GuardLimits {
  /** Wall-clock budget of one evaluation, checked at every AST node jsonata enters. */
  timeoutMs: number;
  /** jsonata evaluation depth (nested nodes and function calls). */
  maxDepth: number;
  /** Longest array or sequence any node may produce. */
  maxSequenceLength: number;
  /** Longest string any node may produce. */
  maxStringLength: number;
}

/**
 * 100 ms is far above what a rule over one label row takes (tens of microseconds) and still
 * bounds a runaway loop; the depth allows ~80 levels of user recursion.
 */
export const DEFAULT_GUARD_LIMITS: Readonly<GuardLimits> = Object.freeze({
  timeoutMs: 100,
  maxDepth: 500,
  maxSequenceLength: 100_000,
  maxStringLength: 1_000_000,
});

export type ExpressionResult =
  | { ok: true; value: unknown }
  | { ok: false; code: string; message: string; position?: number };

/** What our own checks throw inside jsonata; jsonata adds `position` on the way out. */
export interface GuardSignal {
  code: string;
  message: string;
  position?: number;
}

/** The `__evaluate_exit` hook: refuses oversized strings and arrays where they are made. */
export function createSizeGuard(limits: GuardLimits) {
  return (node: { position?: number }, _input: unknown, _env: unknown, result: unknown): void => {
    if (typeof result === 'string' && result.length > limits.maxStringLength) {
      throw signal('guard/size', `a string of ${result.length} characters exceeds the limit of ${limits.maxStringLength}`, node);
    }
    if (Array.isArray(result) && result.length > limits.maxSequenceLength) {
      throw signal('guard/size', `a sequence of ${result.length} items exceeds the limit of ${limits.maxSequenceLength}`, node);
    }
  };
}

function signal(code: string, message: string, node: { position?: number }): GuardSignal {
  return node.position === undefined ? { code, message } : { code, message, position: node.position };
}

const JSONATA_GUARD_CODES: Readonly<Record<string, string>> = {
  D1011: 'guard/depth',
  D1012: 'guard/timeout',
  D2015: 'guard/size',
};

/** Turns anything an evaluation threw into a failure result. */
export function describeFailure(error: unknown, limits: GuardLimits): Extract<ExpressionResult, { ok: false }> {
  if (error instanceof RangeError) {
    const depth = /call stack/i.test(error.message);
    return { ok: false, code: depth ? 'guard/depth' : 'guard/size', message: error.message };
  }
  if (typeof error !== 'object' || error === null) return { ok: false, code: 'rule/evaluation', message: String(error) };
  const { code, message, position } = error as { code?: unknown; message?: unknown; position?: unknown };
  const text = typeof message === 'string' && message !== '' ? message : String(code ?? 'evaluation failed');
  const at = typeof position === 'number' ? { position } : {};
  if (typeof code !== 'string') return { ok: false, code: 'rule/evaluation', message: text, ...at };
  const guard = JSONATA_GUARD_CODES[code];
  if (guard) return { ok: false, code: guard, message: guardMessage(guard, limits), ...at };
  return { ok: false, code: code.includes('/') ? code : `jsonata/${code}`, message: text, ...at };
}

function guardMessage(code: string, limits: GuardLimits): string {
  if (code === 'guard/timeout') return `evaluation ran longer than ${limits.timeoutMs} ms`;
  if (code === 'guard/depth') return `evaluation nested deeper than ${limits.maxDepth} levels`;
  return `a sequence exceeds the limit of ${limits.maxSequenceLength} items`;
}

/**
 * The running evaluation's deadline, for work jsonata does outside its evaluator (a regex
 * scanning a long string match by match). One module-level value is enough because
 * evaluations run one at a time (runSerially).
 */
let activeDeadline = Infinity;

export function setDeadline(deadline: number): void {
  activeDeadline = deadline;
}

/** Throws jsonata's timeout error once the running evaluation is past its deadline. */
export function checkDeadline(): void {
  if (activeDeadline !== Infinity && Date.now() > activeDeadline) throw { code: 'D1012', message: 'evaluation timed out' };
}

/**
 * Runs evaluations one at a time. jsonata awaits at every node, so concurrent evaluations
 * would interleave and each one's wall-clock timeout would count the others' work. The work
 * is CPU-bound on one thread anyway, so serialising costs no throughput.
 */
let queueTail: Promise<unknown> = Promise.resolve();
export function runSerially<T>(work: () => Promise<T>): Promise<T> {
  const run = queueTail.then(work);
  queueTail = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}
