/**
 * One pass over one agent stage: list its tasks in batches, fetch ahead, process each batch in
 * order, stop taking batches when the signal aborts. A listing failure ends the stage (reported
 * as a diagnostic); a fetch or write failure fails only its batch's tasks.
 */
import { diagnosticAt } from '../diagnostics/index.js';
import type { Backend } from '../backends/backend.js';
import type { Project } from '../model/index.js';
import type { AttemptStore } from './attempt-store.js';
import type { AuditSink } from './audit-log.js';
import { createCounts } from './counts.js';
import { processBatch } from './process-batch.js';
import { fetchBatches, listTaskBatches } from './task-source.js';
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
  // Tasks handed out this pass; moved ones are forgotten, so this holds only the tasks left in place.
  const seen = new Set<string>();
  const needs = { ...handler.needs, labels: handler.needs.labels || handler.writesLabels };
  const listing = listTaskBatches(backend, {
    projectHash: project.projectHash,
    stageUuid: stage.uuid,
    batchSize: options.batchSize,
    seen,
    ...(options.maxTasks !== undefined ? { maxTasks: options.maxTasks } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const context = { backend, project, prepared, callbacks, stageSummary, runSummary, ...options };
  let index = 0;
  try {
    for await (const batch of fetchBatches(backend, project.projectHash, listing, needs, options.concurrency, options.signal)) {
      const started = performance.now();
      const left = await processBatch(context, batch);
      for (const uuid of left) seen.delete(uuid);
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
      if (options.signal?.aborted) break;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    const diagnostic = diagnosticAt(
      prepared.rules.loc,
      'error',
      typeof code === 'string' ? code : 'backend/list-failed',
      `could not list the tasks of stage "${stage.title}": ${message}`,
    );
    runSummary.diagnostics.push(diagnostic);
    callbacks.onDiagnostic?.(diagnostic);
  }
  callbacks.onStageDone?.(stageSummary);
  return stageSummary;
}
