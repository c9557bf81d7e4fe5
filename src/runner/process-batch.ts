/**
 * One batch of one stage: take every task through its stage's one path (planTaskRecord:
 * evaluate, plan, route repeat failures along `on_error`), commit the batch in one backend
 * call, then record what the backend confirmed (audit log, failure counts, tallies). Nothing is written before the commit call, and the
 * commit is never interrupted, so a stopped run leaves no half-committed batch.
 */
import type { Backend, TaskCommit, TaskCommitOutcome } from '../backends/backend.js';
import type { Project, RuleFailure, TaskPlan, TaskRecord } from '../model/index.js';
import type { AttemptScope, AttemptStore, AuditSink } from '../backends/run-state.js';
import { AuditLines, createAuditPrefix } from './audit-log.js';
import { countTask, recordFailure } from './counts.js';
import { planCommit } from './plan.js';
import { planTaskRecord, type TaskPathEnv } from './plan-task-record.js';
import type { FetchedBatch } from './task-source.js';
import type { PreparedStage, RunCallbacks, RunSummary, StageSummary, TaskEvent, TaskOutcome } from './types.js';

export interface BatchContext {
  backend: Backend;
  project: Project;
  prepared: PreparedStage;
  dryRun: boolean;
  runId: string;
  attempts?: AttemptStore;
  audit?: AuditSink;
  now(): Date;
  randomBytes(n: number): Uint8Array;
  callbacks: RunCallbacks;
  stageSummary: StageSummary;
  runSummary: RunSummary;
}

export interface BatchResult {
  /** Tasks that left the stage. */
  left: string[];
  /** The commit call failed as a whole (backend down, auth): the stage should stop. */
  commitError?: unknown;
}

/** Processes one fetched batch. */
export async function processBatch(ctx: BatchContext, batch: FetchedBatch): Promise<BatchResult> {
  const now = ctx.now();
  const { plans, failures } = batch.ok
    ? await planBatch(ctx, batch.records, now)
    : { plans: batch.tasks.map((t) => planFetchFailure(ctx, t, batch.error)), failures: new Map<string, number>() };
  const commits = plans.map(planCommit).filter((c): c is TaskCommit => c !== undefined);
  const writes = !ctx.dryRun && commits.length > 0;
  // The previous batch's audit lines must be on file before this batch changes anything.
  if (writes) await ctx.audit?.flush?.();
  const committed = writes ? await commitPlans(ctx, commits) : { outcomes: new Map<string, TaskCommitOutcome>() };
  const left = recordResults(ctx, plans, committed.outcomes, failures);
  return 'error' in committed ? { left, commitError: committed.error } : { left };
}

interface BatchPlans {
  plans: TaskPlan[];
  /** Failure counts, this run's failure included, of the tasks whose rules failed. */
  failures: Map<string, number>;
}

/** Every task of the batch through its stage's one path, with its failures so far read in one call. */
async function planBatch(ctx: BatchContext, records: TaskRecord[], now: Date): Promise<BatchPlans> {
  const prior = ctx.attempts?.readAttempts(scopeOf(ctx), records.map((r) => r.task.uuid));
  const result: BatchPlans = { plans: [], failures: new Map() };
  for (const record of records) {
    const env: TaskPathEnv = { project: ctx.project, now, randomBytes: ctx.randomBytes, priorFailures: prior?.get(record.task.uuid) ?? 0 };
    const { plan, attempts } = await planTaskRecord(ctx.prepared, record, env);
    result.plans.push(plan);
    if (attempts !== undefined) result.failures.set(plan.taskUuid, attempts);
  }
  return result;
}

function planFetchFailure(ctx: BatchContext, task: TaskRecord['task'], error: unknown): TaskPlan {
  const failure = backendFailure(ctx, 'backend/fetch-failed', `could not fetch the task: ${describeError(error)}`);
  return {
    taskUuid: task.uuid,
    dataHash: task.dataHash,
    dataTitle: task.dataTitle,
    stageUuid: ctx.prepared.stage.uuid,
    matchedRules: [],
    usedDefault: false,
    changes: [],
    failure,
  };
}

function scopeOf(ctx: BatchContext): AttemptScope {
  return { projectHash: ctx.project.projectHash, stageUuid: ctx.prepared.stage.uuid };
}

async function commitPlans(
  ctx: BatchContext,
  commits: TaskCommit[],
): Promise<{ outcomes: Map<string, TaskCommitOutcome>; error?: unknown }> {
  try {
    const outcomes = await ctx.backend.commitBatch(ctx.project.projectHash, { stageUuid: ctx.prepared.stage.uuid, tasks: commits });
    return { outcomes: new Map(outcomes.map((o) => [o.taskUuid, o])) };
  } catch (error) {
    // The backend promises per-task outcomes; a throw means the call failed as a whole.
    const message = describeError(error);
    const outcomes: TaskCommitOutcome[] = commits.map((c) => ({
      taskUuid: c.taskUuid,
      dataHash: c.dataHash,
      status: 'failed',
      labelsSaved: false,
      prioritySet: false,
      moved: false,
      error: message,
    }));
    return { outcomes: new Map(outcomes.map((o) => [o.taskUuid, o])), error };
  }
}

function recordResults(
  ctx: BatchContext,
  plans: TaskPlan[],
  outcomes: Map<string, TaskCommitOutcome>,
  failures: Map<string, number>,
): string[] {
  const audit = ctx.audit && new AuditLines(createAuditPrefix(buildAuditContext(ctx, ctx.now())), ctx.audit.writeBytes ? 'bytes' : 'text', countChanges(plans));
  const left: string[] = [];
  const stillFailing = new Map<string, number>();
  const succeeded: string[] = [];
  for (const plan of plans) {
    const commit = outcomes.get(plan.taskUuid);
    const event = buildTaskEvent(ctx, plan, commit, failures.get(plan.taskUuid));
    const moved = resolveMovedPathway(ctx, event);
    if (moved !== undefined && !ctx.dryRun) left.push(plan.taskUuid);
    if (commit && audit) audit.add(event.plan, commit);
    if (event.attempts !== undefined && moved === undefined) stillFailing.set(plan.taskUuid, event.attempts);
    else if (event.outcome === 'applied' || moved !== undefined) succeeded.push(plan.taskUuid);
    countTask(ctx.stageSummary, event, moved, isChanged(ctx, event));
    if (event.plan.failure) recordFailure(ctx.runSummary, event);
    ctx.callbacks.onTask?.(event);
  }
  if (!ctx.dryRun) {
    // Only after the backend confirmed: the audit log never claims a write that did not happen.
    if (audit && !audit.isEmpty) writeAudit(ctx.audit!, audit);
    ctx.attempts?.writeAttempts(scopeOf(ctx), stillFailing);
    ctx.attempts?.clearAttempts(scopeOf(ctx), succeeded);
  }
  return left;
}

function countChanges(plans: readonly TaskPlan[]): number {
  let changes = 0;
  for (const plan of plans) changes += plan.changes.length;
  return changes;
}

function writeAudit(sink: AuditSink, lines: AuditLines): void {
  if (sink.writeBytes) sink.writeBytes(lines.toBytes());
  else sink.writeText(lines.toText());
}

function buildTaskEvent(
  ctx: BatchContext,
  plan: TaskPlan,
  commit: TaskCommitOutcome | undefined,
  attempts: number | undefined,
): TaskEvent {
  const event: TaskEvent = { stage: ctx.prepared.stage, plan, outcome: resolveOutcome(ctx, plan, commit) };
  if (attempts !== undefined) event.attempts = attempts;
  if (commit) event.commit = commit;
  if (commit?.status === 'failed' && !plan.failure) {
    const failure = backendFailure(ctx, 'backend/write-failed', commit.error ?? 'the write failed');
    event.plan = { ...plan, failure: { ...failure, rule: plan.changes[0]?.rule ?? failure.rule } };
  }
  return event;
}

function resolveOutcome(ctx: BatchContext, plan: TaskPlan, commit: TaskCommitOutcome | undefined): TaskOutcome {
  if (plan.failure) return 'failed';
  if (ctx.dryRun) return 'planned';
  if (commit?.status === 'stale') return 'stale';
  if (commit?.status === 'failed') return 'write-failed';
  return 'applied';
}

/** The pathway the task left by: confirmed by the backend, or (dry run) planned. */
function resolveMovedPathway(ctx: BatchContext, event: TaskEvent): string | undefined {
  const route = event.plan.changes.find((c) => c.kind === 'route');
  if (route?.kind !== 'route') return undefined;
  if (ctx.dryRun) return route.pathway.name;
  return event.commit?.moved ? route.pathway.name : undefined;
}

function isChanged(ctx: BatchContext, event: TaskEvent): boolean {
  if (ctx.dryRun) return event.plan.changes.length > 0;
  const c = event.commit;
  return Boolean(c && (c.labelsSaved || c.prioritySet || c.moved));
}

function backendFailure(ctx: BatchContext, code: string, message: string): RuleFailure {
  return { rule: '(backend)', file: ctx.prepared.ruleFile.path, line: 1, col: 1, code, message };
}

function buildAuditContext(ctx: BatchContext, now: Date) {
  const { stage, ruleFile } = ctx.prepared;
  return {
    time: now.toISOString(),
    runId: ctx.runId,
    project: ctx.project.projectHash,
    file: ruleFile.path,
    sha256: ruleFile.sha256,
    stage: { uuid: stage.uuid, title: stage.title },
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
