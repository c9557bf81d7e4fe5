/** Tallies for stage and run summaries. Small mutable accumulators, kept out of the loop's logic. */
import type { TaskPlan } from '../model/index.js';
import { MAX_REPORTED_FAILURES, type RunCounts, type RunSummary, type StageSummary, type TaskEvent } from './types.js';

export function createCounts(): RunCounts {
  return { seen: 0, changed: 0, moved: {}, leftInPlace: 0, failed: 0, stale: 0, rules: {} };
}

/** Adds one task's result. `moved` is the pathway name when the move happened (or, dry, would). */
export function countTask(counts: RunCounts, event: TaskEvent, moved: string | undefined, changed: boolean): void {
  counts.seen += 1;
  for (const rule of matchedRuleNames(event.plan)) counts.rules[rule] = (counts.rules[rule] ?? 0) + 1;
  if (changed) counts.changed += 1;
  if (moved !== undefined) counts.moved[moved] = (counts.moved[moved] ?? 0) + 1;
  if (event.outcome === 'failed' || event.outcome === 'write-failed') counts.failed += 1;
  else if (event.outcome === 'stale') counts.stale += 1;
  else if (moved === undefined) counts.leftInPlace += 1;
}

/** The rules a task is counted under: those that matched, `default`, or `on_error` when routed by it. */
export function matchedRuleNames(plan: TaskPlan): string[] {
  const names = plan.usedDefault ? ['default'] : [...plan.matchedRules];
  for (const change of plan.changes) if (change.rule === 'on_error') names.push('on_error');
  return names;
}

export function addCounts(into: RunCounts, from: RunCounts): void {
  into.seen += from.seen;
  into.changed += from.changed;
  into.leftInPlace += from.leftInPlace;
  into.failed += from.failed;
  into.stale += from.stale;
  for (const [k, v] of Object.entries(from.moved)) into.moved[k] = (into.moved[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.rules)) into.rules[k] = (into.rules[k] ?? 0) + v;
}

export function createRunSummary(runId: string, dryRun: boolean, watch = false): RunSummary {
  return {
    runId,
    dryRun,
    watch,
    interrupted: false,
    passes: 0,
    elapsedMs: 0,
    ...createCounts(),
    stages: [],
    failures: [],
    diagnostics: [],
  };
}

/** Folds a stage's summary into the run's, merging with an earlier pass over the same stage. */
export function addStageSummary(run: RunSummary, stage: StageSummary): void {
  addCounts(run, stage);
  const existing = run.stages.find((s) => s.stageUuid === stage.stageUuid && s.file === stage.file);
  if (existing) addCounts(existing, stage);
  else run.stages.push({ ...stage, moved: { ...stage.moved }, rules: { ...stage.rules } });
}

export function recordFailure(run: RunSummary, event: TaskEvent): void {
  const failure = event.plan.failure;
  if (!failure || run.failures.length >= MAX_REPORTED_FAILURES) return;
  run.failures.push({
    stage: event.stage.title,
    taskUuid: event.plan.taskUuid,
    dataTitle: event.plan.dataTitle,
    rule: failure.rule,
    file: failure.file,
    line: failure.line,
    col: failure.col,
    code: failure.code,
    message: failure.message,
    attempts: event.attempts ?? 1,
  });
}
