/**
 * Sends items in bulk and, when Encord rejects a bulk call because of one bad item, splits
 * the call in halves until the bad items are alone: one task's failure never fails the others.
 * Costs at most 2·log2(n) extra calls per bad item, and nothing on the happy path.
 */
import { EncordApiError } from './errors.js';

/** Errors that can be caused by a single item of a bulk request (not auth, limits or outages). */
const PER_ITEM_CODES = new Set([
  'encord/invalid-arguments',
  'encord/corrupted-label',
  'encord/answer-dictionary',
  'encord/feature-does-not-exist',
  'encord/resource-not-found',
]);

/**
 * Errors about the whole project or the caller (bad credentials, no access, a v2 404 for the
 * project or stage): every other task would fail the same way, so the batch throws instead.
 */
const SYSTEMIC_CODES = new Set([
  'encord/authentication',
  'encord/authorisation',
  'encord/ssh-key-not-found',
  'encord/not-found',
  'encord/method-not-allowed',
  'encord/wrong-project-type',
]);

export function isSystemicError(error: unknown): boolean {
  return error instanceof EncordApiError && SYSTEMIC_CODES.has(error.code);
}

export function isPerItemError(error: unknown): boolean {
  return error instanceof EncordApiError && PER_ITEM_CODES.has(error.code);
}

/**
 * Calls `send` for `items`; returns the error for each item that could not be sent (absent
 * for the ones that were). Errors that are not per-item fail the whole group at once;
 * systemic errors (isSystemicError) are thrown.
 */
export async function sendIsolating<T>(items: T[], send: (items: T[]) => Promise<void>): Promise<Map<T, Error>> {
  const failures = new Map<T, Error>();
  const visit = async (group: T[]): Promise<void> => {
    if (group.length === 0) return;
    try {
      await send(group);
    } catch (error) {
      if (isSystemicError(error)) throw error;
      if (group.length > 1 && isPerItemError(error)) {
        const middle = Math.ceil(group.length / 2);
        await visit(group.slice(0, middle));
        await visit(group.slice(middle));
        return;
      }
      for (const item of group) failures.set(item, error instanceof Error ? error : new Error(String(error)));
    }
  };
  await visit(items);
  return failures;
}
