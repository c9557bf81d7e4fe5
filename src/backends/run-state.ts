/**
 * What a run keeps outside itself, as interfaces the runner receives (RunOptions.attempts,
 * RunOptions.audit), so the runner does no file or database I/O of its own: failure counts
 * across runs (AttemptStore; SQLite file: sqlite/attempt-store.ts) and the audit log
 * (AuditSink; JSONL file: audit-log-file.ts). The in-memory attempt store is here: it does no I/O.
 */

/** Which stage of which project a task's failure count belongs to. */
export interface AttemptScope {
  projectHash: string;
  stageUuid: string;
}

export interface AttemptStore {
  /** Prior failure counts for these tasks (absent: none). */
  readAttempts(scope: AttemptScope, taskUuids: readonly string[]): Map<string, number>;
  writeAttempts(scope: AttemptScope, attempts: ReadonlyMap<string, number>): void;
  clearAttempts(scope: AttemptScope, taskUuids: readonly string[]): void;
  close(): void;
}

/** In memory: for tests and library callers that keep no state between runs. */
export function createMemoryAttemptStore(): AttemptStore {
  const counts = new Map<string, number>();
  const key = (s: AttemptScope, t: string): string => `${s.projectHash}\u0000${s.stageUuid}\u0000${t}`;
  return {
    readAttempts: (scope, uuids) => {
      const found = new Map<string, number>();
      for (const uuid of uuids) {
        const n = counts.get(key(scope, uuid));
        if (n !== undefined) found.set(uuid, n);
      }
      return found;
    },
    writeAttempts: (scope, attempts) => {
      for (const [uuid, n] of attempts) counts.set(key(scope, uuid), n);
    },
    clearAttempts: (scope, uuids) => {
      for (const uuid of uuids) counts.delete(key(scope, uuid));
    },
    close: () => undefined,
  };
}

/** Where the runner appends the audit lines of each committed batch (runner/audit-log.ts builds them). */
export interface AuditSink {
  /**
   * Appends JSON lines (AuditEntry objects, each ending in a newline); once per committed batch.
   * A sink may queue the write and do it later, in order.
   */
  writeText(text: string): void;
  /** The same lines as UTF-8 bytes, which the sink owns from then on; used when present. */
  writeBytes?(bytes: Uint8Array): void;
  /**
   * Resolves once every line given so far is written; rejects with a write's error. The runner
   * awaits it before each commit, so a log that cannot be written stops the run one batch
   * after it failed. A sink that writes synchronously needs none.
   */
  flush?(): Promise<void>;
  /** Waits for queued writes, then releases the file. Never throws: failures are flush's to report. */
  close(): void | Promise<void>;
}

export const AUDIT_LOG_FAILED = 'run/audit-log-failed';

/** A write to the audit log failed: the run stops rather than go on changing tasks unlogged. */
export class AuditLogError extends Error {
  readonly code = AUDIT_LOG_FAILED;
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`could not write the audit log ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'AuditLogError';
  }
}
