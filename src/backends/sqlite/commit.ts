/**
 * One commit batch in one IMMEDIATE transaction: label rows and priorities, then moves.
 * A move only happens while the task is still in the batch's stage (`WHERE stage_uuid = ?`),
 * so two processes can never move the same task twice; a task that left is reported stale.
 */
import type { LabelRow, Stage } from '../../model/index.js';
import type { TaskCommit, TaskCommitOutcome } from '../backend.js';
import { deriveLabelHash } from './rows.js';
import type { SqliteStore } from './store.js';

/** What a commit reads of each task, in this order (the uuid second, as selectTaskRows needs). */
export const COMMIT_COLUMNS = 's.seq, s.uuid, s.data_hash, s.stage_uuid';

export interface CommitRow {
  seq: number;
  uuid: string;
  data_hash: string;
  stage_uuid: string;
}

/** Why a task's commit cannot be attempted at all, or undefined when it can. */
function checkTaskCommit(commit: TaskCommit, row: CommitRow | undefined, stage: Stage): string | undefined {
  if (!row) return `task ${commit.taskUuid} is not in this project`;
  if (row.data_hash !== commit.dataHash) return `task ${commit.taskUuid} has data hash ${row.data_hash}, not ${commit.dataHash}`;
  return checkCommitValues(commit, stage);
}

/** The checks that need no row: what the commit asks for is possible in this stage. */
function checkCommitValues(commit: TaskCommit, stage: Stage): string | undefined {
  if (commit.pathwayUuid !== undefined && !stage.pathways.some((p) => p.uuid === commit.pathwayUuid)) {
    return `pathway ${commit.pathwayUuid} does not leave stage "${stage.title}"`;
  }
  if (commit.priority !== undefined && !(Number.isFinite(commit.priority) && commit.priority >= 0 && commit.priority <= 1)) {
    return `priority ${commit.priority} is not a number from 0 to 1`;
  }
  if (commit.labelRow !== undefined && !isLabelRowFor(commit.labelRow, commit.dataHash)) {
    return `the label row to save is not the label row of data ${commit.dataHash}`;
  }
  return undefined;
}

function isLabelRowFor(row: LabelRow, dataHash: string): boolean {
  return typeof row === 'object' && row !== null && row.data_hash === dataHash && typeof row.data_units === 'object';
}

function newOutcome(commit: TaskCommit): TaskCommitOutcome {
  return { taskUuid: commit.taskUuid, dataHash: commit.dataHash, status: 'ok', labelsSaved: false, prioritySet: false, moved: false };
}

const SAVE_LABEL_ROW = `UPDATE tasks SET label_row_json = ?, label_hash = ? WHERE seq = ?`;
const LABEL_HASH = `SELECT label_hash FROM tasks WHERE seq = ?`;
const SET_PRIORITY = `UPDATE task_states SET priority = ? WHERE seq = ?`;
const MOVE = `UPDATE task_states SET stage_uuid = ?, status = 'NEW', assignee = NULL, updated_at = ?
  WHERE seq = ? AND stage_uuid = ?`;
// The runner's common case, priority and move together, in one row write.
const SET_PRIORITY_AND_MOVE = `UPDATE task_states SET priority = ?, stage_uuid = ?, status = 'NEW', assignee = NULL,
  updated_at = ? WHERE seq = ? AND stage_uuid = ?`;
// The same writes guarded by every row check a commit needs (the seq is of this project), so
// a task that is as expected takes one statement and no read; `changes` says whether it was.
const CHECKED_SET_PRIORITY = `UPDATE task_states SET priority = ? WHERE seq = ? AND data_hash = ?`;
const CHECKED_MOVE = `UPDATE task_states SET stage_uuid = ?, status = 'NEW', assignee = NULL, updated_at = ?
  WHERE seq = ? AND stage_uuid = ? AND data_hash = ?`;
const CHECKED_SET_PRIORITY_AND_MOVE = `UPDATE task_states SET priority = ?, stage_uuid = ?, status = 'NEW', assignee = NULL,
  updated_at = ? WHERE seq = ? AND stage_uuid = ? AND data_hash = ?`;

/**
 * Applies a batch for tasks of `stage`; one outcome per task, in input order. `seqOf` gives the
 * row id of a task of the batch's project when known; `selectRows` reads tasks (of that project
 * only) inside the transaction. All of the batch is written or, if the transaction fails (disk,
 * lock timeout, crash), none of it. Inside the transaction the order of writes is unobservable,
 * so a task's priority and move share one UPDATE; rows are read under the write lock, so they
 * cannot change before the commit.
 */
export function commitStoreBatch(
  store: SqliteStore,
  stage: Stage,
  commits: TaskCommit[],
  selectRows: (uuids: string[]) => CommitRow[],
  seqOf: (uuid: string) => number | undefined = () => undefined,
): TaskCommitOutcome[] {
  const destinations = new Map(stage.pathways.map((p) => [p.uuid, p.destinationUuid]));
  const apply = (): TaskCommitOutcome[] => {
    const now = new Date().toISOString();
    const outcomes: (TaskCommitOutcome | undefined)[] = commits.map((commit) => applyChecked(store, stage, destinations, commit, seqOf, now));
    // The rest (unknown seq, a label row, a task not as expected): read, then tell apart.
    const rest = commits.filter((_, i) => outcomes[i] === undefined);
    if (rest.length === 0) return outcomes as TaskCommitOutcome[];
    const byUuid = new Map(selectRows(rest.map((c) => c.taskUuid)).map((r) => [r.uuid, r]));
    return commits.map((commit, i) => outcomes[i] ?? applyRead(store, stage, destinations, commit, byUuid.get(commit.taskUuid), now));
  };
  return store.guard(() => store.db.transaction(apply).immediate());
}

/**
 * The common case without a read: a priority and/or move of a task whose seq is known, as one
 * UPDATE that checks the data hash and stage itself. Undefined when it could not decide (the
 * UPDATE changed nothing: not found, other data, or left the stage), which writes nothing.
 */
function applyChecked(
  store: SqliteStore,
  stage: Stage,
  destinations: Map<string, string>,
  commit: TaskCommit,
  seqOf: (uuid: string) => number | undefined,
  now: string,
): TaskCommitOutcome | undefined {
  if (commit.labelRow !== undefined || checkCommitValues(commit, stage) !== undefined) return undefined;
  const seq = seqOf(commit.taskUuid);
  if (seq === undefined) return undefined;
  const destination = commit.pathwayUuid === undefined ? undefined : destinations.get(commit.pathwayUuid);
  const { priority, dataHash } = commit;
  let changes: number;
  if (priority !== undefined && destination !== undefined) {
    changes = store.prepare(CHECKED_SET_PRIORITY_AND_MOVE).run(priority, destination, now, seq, stage.uuid, dataHash).changes;
  } else if (priority !== undefined) {
    changes = store.prepare(CHECKED_SET_PRIORITY).run(priority, seq, dataHash).changes;
  } else if (destination !== undefined) {
    changes = store.prepare(CHECKED_MOVE).run(destination, now, seq, stage.uuid, dataHash).changes;
  } else {
    return undefined;
  }
  if (changes !== 1) return undefined;
  const outcome = newOutcome(commit);
  outcome.prioritySet = priority !== undefined;
  outcome.moved = destination !== undefined;
  return outcome;
}

/** One task's commit against its row as read under the write lock. */
function applyRead(
  store: SqliteStore,
  stage: Stage,
  destinations: Map<string, string>,
  commit: TaskCommit,
  row: CommitRow | undefined,
  now: string,
): TaskCommitOutcome {
  const outcome = newOutcome(commit);
  const problem = checkTaskCommit(commit, row, stage);
  if (problem !== undefined || !row) return { ...outcome, status: 'failed', error: problem };
  if (commit.labelRow !== undefined) {
    // The row keeps its label hash; a row saved for the first time gets the one fetches showed.
    const labelHash =
      commit.labelRow.label_hash ?? (store.prepare(LABEL_HASH).pluck().get(row.seq) as string | null) ?? deriveLabelHash(row.uuid);
    store.prepare(SAVE_LABEL_ROW).run(JSON.stringify({ ...commit.labelRow, label_hash: labelHash }), labelHash, row.seq);
    outcome.labelsSaved = true;
  }
  const destination = commit.pathwayUuid === undefined ? undefined : destinations.get(commit.pathwayUuid);
  const canMove = destination !== undefined && row.stage_uuid === stage.uuid;
  if (commit.priority !== undefined && canMove) {
    outcome.moved = store.prepare(SET_PRIORITY_AND_MOVE).run(commit.priority, destination, now, row.seq, stage.uuid).changes === 1;
    outcome.prioritySet = outcome.moved;
  }
  if (commit.priority !== undefined && !outcome.prioritySet) {
    store.prepare(SET_PRIORITY).run(commit.priority, row.seq);
    outcome.prioritySet = true;
  }
  if (canMove && !outcome.moved) {
    outcome.moved = store.prepare(MOVE).run(destination, now, row.seq, stage.uuid).changes === 1;
  }
  if (destination !== undefined && !outcome.moved) {
    outcome.status = 'stale';
    outcome.error = `task ${commit.taskUuid} is no longer in stage "${stage.title}"`;
  }
  return outcome;
}
