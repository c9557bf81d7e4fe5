/**
 * When to retry a call to Encord, and how long to wait. Pure.
 *
 * Encord's SDK retries 413/429/500/502/503 and network errors for every call, including the
 * bulk proceed (encord-api.md §2f). We retry the same set, but a call that is NOT safe to
 * repeat (proceed) is only retried when the server surely did not act on it: 429/413/503 are
 * refusals before any work, and a connection that never sent the request did nothing. A
 * timeout, a connection dropped after sending, or a 500/502/504 may follow a completed move;
 * those are reported as ambiguous so the caller can check what happened before re-sending.
 */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfterMs?: number }
  | { kind: 'network'; sent: boolean; timedOut: boolean };

export interface RetryOptions {
  idempotent: boolean;
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After we wait for; a longer one fails the call instead of stalling. */
  maxRetryAfterMs: number;
  /** In [0, 1): for jitter. */
  random(): number;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; ambiguous: boolean };

const RETRY_STATUSES = new Set([413, 429, 500, 502, 503, 504]);
/** Statuses that mean the request was refused before it was acted on. */
const REFUSED_STATUSES = new Set([413, 429, 503]);

export const DEFAULT_RETRY: Omit<RetryOptions, 'idempotent' | 'random'> = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** Whether the server may have acted on an attempt that did not succeed. */
export function isAmbiguousOutcome(outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'network') return outcome.sent;
  return outcome.status >= 500 && !REFUSED_STATUSES.has(outcome.status);
}

function isRetryable(outcome: AttemptOutcome, idempotent: boolean): boolean {
  if (outcome.kind === 'response' && !RETRY_STATUSES.has(outcome.status)) return false;
  return idempotent || !isAmbiguousOutcome(outcome);
}

/** Exponential backoff with jitter (half fixed, half random), capped; Retry-After wins when given. */
export function computeRetryDelay(outcome: AttemptOutcome, attempt: number, options: RetryOptions): number {
  if (outcome.kind === 'response' && outcome.retryAfterMs !== undefined) return outcome.retryAfterMs;
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(exponential / 2 + (exponential / 2) * options.random());
}

/** `attempt` counts from 0 (the first try). */
export function planRetry(outcome: AttemptOutcome, attempt: number, options: RetryOptions): RetryDecision {
  const ambiguous = !options.idempotent && isAmbiguousOutcome(outcome);
  if (attempt >= options.maxRetries || !isRetryable(outcome, options.idempotent)) return { retry: false, ambiguous };
  const delayMs = computeRetryDelay(outcome, attempt, options);
  if (delayMs > options.maxRetryAfterMs) return { retry: false, ambiguous };
  return { retry: true, delayMs };
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
