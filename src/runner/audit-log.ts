/**
 * The audit log: one JSON line per change the backend confirmed, appended to a file
 * (default `.encord-rules/audit.jsonl`). Lines are built purely; only the sink writes.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TaskCommitOutcome } from '../backends/backend.js';
import type { AnswerValue, Change, TaskPlan } from '../model/index.js';

export interface AuditEntry {
  time: string;
  runId: string;
  project: string;
  /** The rule file, and the sha256 of the bytes that were run. */
  file: string;
  sha256: string;
  stage: { uuid: string; title: string };
  rule: string;
  taskUuid: string;
  dataHash: string;
  dataTitle: string;
  change: 'set-priority' | 'set-answer' | 'route';
  /** set-answer only. */
  classification?: string;
  before: number | AnswerValue | string | null;
  /** For a route: the pathway name (uuid in `pathwayUuid`). */
  after: number | AnswerValue | string;
  pathwayUuid?: string;
}

export interface AuditSink {
  /**
   * Appends JSON lines (AuditEntry objects, each ending in a newline); once per committed batch.
   * A sink may queue the write and do it later, in order.
   */
  writeText(text: string): void;
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

export interface AuditContext {
  time: string;
  runId: string;
  project: string;
  file: string;
  sha256: string;
  stage: { uuid: string; title: string };
}

/** The entries for the changes `outcome` confirms were written. Pure. */
export function planAuditEntries(context: AuditContext, plan: TaskPlan, outcome: TaskCommitOutcome): AuditEntry[] {
  const text = formatAuditText(createAuditPrefix(context), plan, outcome);
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as AuditEntry);
}

/** What every line of a batch shares, serialised once per batch. */
export interface AuditPrefix {
  /** The context's JSON without its closing brace. */
  json: string;
  /** The stage title as JSON: a route's `before`. */
  stageTitle: string;
}

export function createAuditPrefix(context: AuditContext): AuditPrefix {
  return { json: JSON.stringify(context).slice(0, -1), stageTitle: JSON.stringify(context.stage.title) };
}

/**
 * The JSON lines, newline-terminated, for the confirmed changes of one task, in the AuditEntry
 * shape. The hot path of a large run: shared fields are serialised once per batch, and the
 * text is built as one string so a batch is written without joining arrays.
 */
export function formatAuditText(prefix: AuditPrefix, plan: TaskPlan, outcome: TaskCommitOutcome): string {
  let text = '';
  // The task's fields, shared by its lines (a run's common plan has two changes).
  let task: string | undefined;
  for (const change of plan.changes) {
    if (!isConfirmed(change, outcome)) continue;
    task ??= `,"taskUuid":${JSON.stringify(plan.taskUuid)},"dataHash":${JSON.stringify(plan.dataHash)},"dataTitle":${JSON.stringify(plan.dataTitle)}`;
    let tail: string;
    if (change.kind === 'set-priority') {
      tail = `,"change":"set-priority","before":${JSON.stringify(change.before)},"after":${JSON.stringify(change.after)}`;
    } else if (change.kind === 'set-answer') {
      tail = `,"change":"set-answer","classification":${JSON.stringify(change.classification)},"before":${JSON.stringify(change.before)},"after":${JSON.stringify(change.after)}`;
    } else {
      tail = `,"change":"route","before":${prefix.stageTitle},"after":${JSON.stringify(change.pathway.name)},"pathwayUuid":${JSON.stringify(change.pathway.uuid)}`;
    }
    text += prefix.json + `,"rule":${JSON.stringify(change.rule)}` + task + tail + '}\n';
  }
  return text;
}

function isConfirmed(change: Change, outcome: TaskCommitOutcome): boolean {
  if (change.kind === 'set-priority') return outcome.prioritySet;
  if (change.kind === 'set-answer') return outcome.labelsSaved;
  return outcome.moved;
}

/**
 * Appends to a JSONL file, one write per batch so a crash leaves whole lines. The file (and
 * its folder) is created on the first write: a run that changes nothing leaves no trace.
 * Writes are queued and run on libuv's thread pool, in order, so writing one batch's lines
 * overlaps with working on the next (at a run's scale, tens of MB, that write is a tenth of the
 * main thread's time when done synchronously).
 */
export function openAuditLog(path: string): AuditSink {
  let file: FileHandle | undefined;
  let failure: AuditLogError | undefined;
  let queue: Promise<void> = Promise.resolve();
  const append = async (text: string): Promise<void> => {
    if (failure) return;
    try {
      if (!file) {
        await mkdir(dirname(path), { recursive: true });
        // Append mode: every write lands at the end, even with another writer.
        file = await open(path, 'a');
      }
      await file.appendFile(text);
    } catch (error) {
      failure = new AuditLogError(path, error);
    }
  };
  const flush = async (): Promise<void> => {
    await queue;
    if (failure) throw failure;
  };
  return {
    writeText: (text) => {
      if (text === '') return;
      queue = queue.then(() => append(text));
    },
    flush,
    close: async () => {
      await queue;
      const closing = file;
      file = undefined;
      await closing?.close().catch(() => undefined);
    },
  };
}
