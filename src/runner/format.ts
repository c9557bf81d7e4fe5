/**
 * Plans and summaries as text and JSON: pure string builders shared by `apply`, `apply
 * --dry-run`, `test` and `explain`, so every command describes a change the same way.
 */
import { hasErrors } from '../diagnostics/index.js';
import type { AnswerValue, Change, TaskPlan } from '../model/index.js';
import type { RunCounts, RunSummary, TaskFailureReport } from './types.js';

/** `priority 0.3 -> 1`, `route -> annotate`, `classification "Weather": none -> "Sunny"`. */
export function formatChange(change: Change): string {
  switch (change.kind) {
    case 'set-priority':
      return `priority ${change.before === null ? 'none' : formatNumber(change.before)} -> ${formatNumber(change.after)}`;
    case 'route':
      return `route -> ${change.pathway.name}`;
    case 'set-answer':
      return `classification ${JSON.stringify(change.classification)}: ${formatAnswer(change.before)} -> ${formatAnswer(change.after)}`;
  }
}

export function formatAnswer(answer: AnswerValue | null): string {
  if (answer === null) return 'none';
  switch (answer.type) {
    case 'radio':
      return JSON.stringify(answer.option);
    case 'checklist':
      return `[${answer.options.map((o) => JSON.stringify(o)).join(', ')}]`;
    case 'text':
      return JSON.stringify(answer.text);
    case 'numeric':
      return formatNumber(answer.value);
  }
}

/** One line per task: title, uuid, the rules that matched, then its changes (or why none). */
export function formatPlanLine(stageTitle: string, plan: TaskPlan): string {
  const rules = plan.usedDefault ? 'default' : plan.matchedRules.join(', ') || 'no rule';
  const head = `${stageTitle}  ${plan.dataTitle} (${plan.taskUuid})  [${rules}]`;
  const changes = plan.changes.map(formatChange);
  if (plan.failure) {
    const failure = `failed: ${plan.failure.file}:${plan.failure.line}:${plan.failure.col} ${plan.failure.code} in rule "${plan.failure.rule}": ${plan.failure.message}`;
    return `${head}  ${[failure, ...changes].join(', ')}`;
  }
  return `${head}  ${changes.length > 0 ? changes.join(', ') : 'no change'}`;
}

/** `file:line:col: error code: rule "r" failed for task "title" (uuid): message`, the diagnostic style. */
export function formatFailure(failure: TaskFailureReport): string {
  const attempts = failure.attempts > 1 ? ` (attempt ${failure.attempts})` : '';
  return (
    `${failure.file}:${failure.line}:${failure.col}: error ${failure.code}: rule "${failure.rule}" failed for task ` +
    `${JSON.stringify(failure.dataTitle)} (${failure.taskUuid})${attempts}: ${failure.message}`
  );
}

/** A plan as JSON for `--format json`: the TaskPlan without the label row, plus the stage. */
export function toPlanJson(stage: { uuid: string; title: string }, plan: TaskPlan): Record<string, unknown> {
  const json: Record<string, unknown> = {
    stage: stage.title,
    stageUuid: stage.uuid,
    taskUuid: plan.taskUuid,
    dataHash: plan.dataHash,
    dataTitle: plan.dataTitle,
    matchedRules: plan.matchedRules,
    usedDefault: plan.usedDefault,
    changes: plan.changes.map(toChangeJson),
  };
  if (plan.failure) json.failure = plan.failure;
  return json;
}

function toChangeJson(change: Change): Record<string, unknown> {
  if (change.kind !== 'route') return { ...change };
  return { kind: 'route', pathway: change.pathway.name, pathwayUuid: change.pathway.uuid, rule: change.rule };
}

/** The closing summary, a few lines. */
export function formatSummaryText(summary: RunSummary): string {
  const lines: string[] = [];
  // A stage that stopped on an error (backend unusable, audit log unwritable) is not "done".
  const stoppedByError = !summary.watch && !summary.interrupted && hasErrors(summary.diagnostics);
  const verb = summary.dryRun
    ? 'Dry run (nothing written)'
    : summary.watch
      ? 'Stopped'
      : summary.interrupted
        ? 'Interrupted'
        : stoppedByError
          ? 'Stopped by an error'
          : 'Done';
  for (const stage of summary.stages) lines.push(`  ${stage.stageTitle} (${stage.file}): ${formatCounts(stage, summary.dryRun)}`);
  const head = `${verb} in ${(summary.elapsedMs / 1000).toFixed(1)}s${summary.passes > 1 ? ` over ${summary.passes} passes` : ''}: ${formatCounts(summary, summary.dryRun)}`;
  const rest = summary.interrupted && !summary.watch ? ['Stopped early: every committed batch is complete; run again to finish the rest.'] : [];
  if (stoppedByError && !summary.dryRun) rest.push('Stopped on the error reported: every committed batch is complete; run again once it is fixed.');
  // A dry run prints its own per-rule table; a real run says which rules did the work.
  const rules = Object.entries(summary.rules).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const byRule = !summary.dryRun && rules.length > 0 ? [`  tasks per rule: ${rules.map(([k, v]) => `${k} ${v}`).join(', ')}`] : [];
  return [head, ...byRule, ...(summary.stages.length > 1 ? lines : []), ...rest].join('\n');
}

export function formatCounts(counts: RunCounts, dryRun: boolean): string {
  const moved = Object.entries(counts.moved);
  const total = moved.reduce((n, [, v]) => n + v, 0);
  const detail = moved.length > 0 ? ` (${moved.map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
  return (
    `${counts.seen} tasks seen, ${counts.changed} ${dryRun ? 'to change' : 'changed'}, ${dryRun ? 'would move' : 'moved'} ${total}${detail}, ` +
    `${counts.leftInPlace} left in place, ${counts.failed} failed${counts.stale > 0 ? `, ${counts.stale} already gone` : ''}`
  );
}

/** Counts per rule and per pathway, aligned, for the dry-run report. */
export function formatRuleCounts(counts: RunCounts): string {
  const table = (title: string, rows: [string, number][]): string[] => {
    if (rows.length === 0) return [];
    const width = Math.max(...rows.map(([k]) => k.length));
    return [title, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
  };
  return [
    ...table('Tasks per rule:', Object.entries(counts.rules)),
    ...table('Tasks per pathway:', Object.entries(counts.moved)),
  ].join('\n');
}

function formatNumber(value: number): string {
  return String(value);
}
