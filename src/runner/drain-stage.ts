/**
 * One pass over one agent stage: list its tasks in batches, fetch ahead, process each batch in
 * order, stop taking batches when the signal aborts. A listing failure ends the stage (reported
 * as a diagnostic); a fetch or write failure fails only its batch's tasks.
 */
import { diagnosticAt } from '../diagnostics/index.js';
import type { Backend } from '../backends/backend.js';
import type { Project } from '../model/index.js';
import { AuditLogError, type AttemptStore, type AuditSink } from '../backends/run-state.js';
import { createCounts } from './counts.js';
import { processBatch } from './process-batch.js';
import { fetchBatches, listTaskBatches, PassTasks } from './task-source.js';
import type { PreparedStage, RunCallbacks, RunSummary, StageSummary } from './types.js';

export interface DrainOptions {
  batchSize: number;
  concurrency: number;
  maxTasks?: number;
  dryRun: boolean;
  runId: string;
  attempts?: AttemptStore;
  audit?: AuditSink;
  signal?: AbortSignal;
  now(): Date;
  randomBytes(n: number): Uint8Array;
}

/** Runs one pass over `prepared.stage`; returns its counts. Never throws for a backend's fault. */
export async function drainStage(
  backend: Backend,
  project: Project,
  prepared: PreparedStage,
  options: DrainOptions,
  callbacks: RunCallbacks,
  runSummary: RunSummary,
): Promise<StageSummary> {
  const { stage, handler } = prepared;
  const stageSummary: StageSummary = { stageUuid: stage.uuid, stageTitle: stage.title, file: handler.file, ...createCounts() };
  callbacks.onStageStart?.(stage);
  const pass = new PassTasks();
  const listing = listTaskBatches(backend, {
    projectHash: project.projectHash,
    stageUuid: stage.uuid,
    batchSize: options.batchSize,
    keyset: backend.keysetListing === true,
    pass,
    ...(options.maxTasks !== undefined ? { maxTasks: options.maxTasks } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const context = { backend, project, prepared, callbacks, stageSummary, runSummary, ...options };
  let index = 0;
  try {
    for await (const batch of fetchBatches(backend, project.projectHash, listing, handler.needs, options.concurrency, options.signal)) {
      const started = performance.now();
      const result = await processBatch(context, batch);
      pass.recordMoved(result.left);
      callbacks.onBatch?.({
        stage,
        index: index++,
        tasks: batch.tasks.length,
        committed: !options.dryRun,
        elapsedMs: performance.now() - started,
      });
      // A local backend answers in microtasks only: yield to the event loop so signals and
      // timers (Ctrl-C, the progress bar) get a turn between batches.
      await new Promise((resolve) => setImmediate(resolve));
      // A batch whose commit failed as a whole (not task by task) means the backend is
      // unusable: stop the stage rather than fail every remaining batch the same way.
      if (result.commitError !== undefined) {
        reportStageError(prepared, result.commitError, { fallbackCode: 'backend/commit-failed', what: 'could not commit to', hint: BACKEND_HINT }, callbacks, runSummary);
        break;
      }
      if (options.signal?.aborted) break;
    }
    // The stage's last lines are on file before it counts as done.
    if (!options.dryRun) await options.audit?.flush?.();
  } catch (error) {
    if (error instanceof AuditLogError) {
      reportStageError(prepared, error, { fallbackCode: error.code, what: 'stopped in', hint: AUDIT_HINT }, callbacks, runSummary);
    } else {
      // Backend failures carry a code (BackendError, Node's system errors); anything else is a bug.
      if (typeof (error as { code?: unknown } | undefined)?.code !== 'string') throw error;
      reportStageError(prepared, error, { fallbackCode: 'backend/list-failed', what: 'could not list the tasks of', hint: BACKEND_HINT }, callbacks, runSummary);
    }
  }
  callbacks.onStageDone?.(stageSummary);
  return stageSummary;
}

interface StageErrorReport {
  /** The code when the error carries none. */
  fallbackCode: string;
  /** What was being done, before `stage "…"`. */
  what: string;
  hint: string;
}

const BACKEND_HINT = 'The tasks not yet processed are untouched; run again once the backend is reachable.';
const AUDIT_HINT =
  'The batch committed last may be missing from the log; no later batch was committed. Fix the log file (disk space, permissions) and run again.';

/** Records why the stage stopped, located at its rules (an audit-log failure stops the run too: stopsRun in run.ts). */
function reportStageError(prepared: PreparedStage, error: unknown, report: StageErrorReport, callbacks: RunCallbacks, runSummary: RunSummary): void {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  const diagnostic = diagnosticAt(
    prepared.rules.loc,
    'error',
    typeof code === 'string' ? code : report.fallbackCode,
    `${report.what} stage "${prepared.stage.title}": ${message}`,
    { hint: report.hint },
  );
  runSummary.diagnostics.push(diagnostic);
  callbacks.onDiagnostic?.(diagnostic);
}
