/**
 * commitBatch for Encord, in the order the Backend contract fixes: label saves (≤100 rows per
 * call), then priorities (≤1000 per call), then moves (≤1000 per call). A task whose label save
 * or priority failed is not moved; every task gets an outcome, in input order. Throws only for
 * systemic errors (credentials, access, unknown project or stage: see isolate.ts).
 */
import { MAX_ACTIONS_PER_CALL, MAX_LABEL_ROWS_PER_SAVE } from '../backend.js';
import type { CommitBatch, TaskCommit, TaskCommitOutcome } from '../backend.js';
import type { LabelRow } from '../../model/index.js';
import type { EncordApi } from './api.js';
import { commitMoves } from './commit-moves.js';
import { isSystemicError, sendIsolating } from './isolate.js';
import { chunk, createMissingRows } from './records.js';

function startOutcome(commit: TaskCommit): TaskCommitOutcome {
  return { taskUuid: commit.taskUuid, dataHash: commit.dataHash, status: 'ok', labelsSaved: false, prioritySet: false, moved: false };
}

function markFailed(outcome: TaskCommitOutcome, error: unknown): void {
  outcome.status = 'failed';
  outcome.error = error instanceof Error ? error.message : String(error);
}

export async function commitBatch(api: EncordApi, projectHash: string, batch: CommitBatch): Promise<TaskCommitOutcome[]> {
  const outcomes = new Map(batch.tasks.map((c) => [c, startOutcome(c)] as const));
  const pending = (select: (c: TaskCommit) => boolean): TaskCommit[] =>
    batch.tasks.filter((c) => select(c) && outcomes.get(c)?.status === 'ok');

  await commitLabelRows(api, projectHash, pending((c) => c.labelRow !== undefined), outcomes);
  await commitPriorities(api, projectHash, pending((c) => c.priority !== undefined), outcomes);
  const moving = pending((c) => c.pathwayUuid !== undefined);
  const moves = await commitMoves(api, projectHash, batch.stageUuid, moving);
  for (const commit of moving) {
    const outcome = outcomes.get(commit) as TaskCommitOutcome;
    const result = moves.get(commit.taskUuid);
    if (result?.kind === 'moved') outcome.moved = true;
    else if (result?.kind === 'stale') outcome.status = 'stale';
    else markFailed(outcome, result?.kind === 'failed' ? result.error : 'the move was not attempted');
  }
  return batch.tasks.map((c) => outcomes.get(c) as TaskCommitOutcome);
}

/** Rows without a label hash are created first (their edits are kept; only the hash is new). */
async function withLabelHashes(api: EncordApi, projectHash: string, commits: TaskCommit[]): Promise<Map<TaskCommit, LabelRow>> {
  const rows = new Map(commits.map((c) => [c, c.labelRow as LabelRow] as const));
  const missing = commits.filter((c) => (c.labelRow as LabelRow).label_hash === null);
  if (missing.length === 0) return rows;
  const branch = (missing[0]?.labelRow?.branch_name as string | undefined) ?? null;
  const created = await createMissingRows(api, projectHash, missing.map((c) => c.dataHash), branch);
  for (const c of missing) {
    const fresh = created.get(c.dataHash);
    if (fresh) rows.set(c, { ...(c.labelRow as LabelRow), label_hash: fresh.label_hash });
  }
  return rows;
}

async function commitLabelRows(api: EncordApi, projectHash: string, commits: TaskCommit[], outcomes: Map<TaskCommit, TaskCommitOutcome>): Promise<void> {
  if (commits.length === 0) return;
  let rows: Map<TaskCommit, LabelRow>;
  try {
    rows = await withLabelHashes(api, projectHash, commits);
  } catch (error) {
    if (isSystemicError(error)) throw error;
    for (const c of commits) markFailed(outcomes.get(c) as TaskCommitOutcome, error);
    return;
  }
  const ready = commits.filter((c) => rows.get(c)?.label_hash);
  for (const c of commits.filter((c) => !rows.get(c)?.label_hash)) {
    markFailed(outcomes.get(c) as TaskCommitOutcome, `Encord did not create a label row for data ${c.dataHash}`);
  }
  for (const part of chunk(ready, MAX_LABEL_ROWS_PER_SAVE)) {
    const failures = await sendIsolating(part, (group) => api.saveLabelRows(projectHash, group.map((c) => rows.get(c) as LabelRow)));
    for (const c of part) {
      const outcome = outcomes.get(c) as TaskCommitOutcome;
      const failure = failures.get(c);
      if (failure) markFailed(outcome, failure);
      else outcome.labelsSaved = true;
    }
  }
}

async function commitPriorities(api: EncordApi, projectHash: string, commits: TaskCommit[], outcomes: Map<TaskCommit, TaskCommitOutcome>): Promise<void> {
  for (const part of chunk(commits, MAX_ACTIONS_PER_CALL)) {
    const failures = await sendIsolating(part, (group) => api.postPriorities(projectHash, group.map((c) => [c.dataHash, c.priority as number])));
    for (const c of part) {
      const outcome = outcomes.get(c) as TaskCommitOutcome;
      const failure = failures.get(c);
      if (failure) markFailed(outcome, failure);
      else outcome.prioritySet = true;
    }
  }
}
