/**
 * Proceeding tasks along pathways, the one write that is not safe to repeat: re-sending a move
 * that already happened makes Encord reject the whole bulk request (the task left the stage),
 * stranding the others, and a pathway that loops back to the same stage would move it twice. So:
 *  - after an ambiguous failure (timeout, dropped connection after sending, 500/502/504) we
 *    list the stage with the dataHashes filter and re-send only the tasks still there;
 *  - when Encord rejects a bulk proceed with 400 because a task already left the stage
 *    (encord-agents PR #207), the same re-listing finds the stale tasks and the rest are re-sent;
 *  - a 400 with no stale task is split in halves to isolate the bad action.
 */
import { MAX_ACTIONS_PER_CALL } from '../backend.js';
import type { TaskCommit } from '../backend.js';
import type { EncordApi } from './api.js';
import { EncordApiError } from './errors.js';
import { isPerItemError, isSystemicError, sendIsolating } from './isolate.js';
import { chunk } from './records.js';
import { readTaskPage } from './wire.js';

export type MoveResult = { kind: 'moved' } | { kind: 'stale' } | { kind: 'failed'; error: string };

/** Data hashes per re-listing call: 100 uuids keep the URL near 5 kB, under common limits. */
const HASHES_PER_LISTING = 100;
/** Rounds of re-check and re-send before a task is reported failed. */
const MAX_ROUNDS = 3;

/** The task uuids among `commits` that are still in the stage (every page, dataHashes filter). */
export async function fetchTasksStillInStage(api: EncordApi, projectHash: string, stageUuid: string, commits: TaskCommit[]): Promise<Set<string>> {
  const present = new Set<string>();
  for (const part of chunk(commits, HASHES_PER_LISTING)) {
    let pageToken: string | undefined;
    do {
      const page = readTaskPage(await api.fetchStageTaskPage(projectHash, stageUuid, { dataHashes: part.map((c) => c.dataHash) }, pageToken));
      for (const task of page.tasks) present.add(task.uuid);
      pageToken = page.nextPageToken;
    } while (pageToken);
  }
  return present;
}

export async function commitMoves(api: EncordApi, projectHash: string, stageUuid: string, commits: TaskCommit[]): Promise<Map<string, MoveResult>> {
  const results = new Map<string, MoveResult>();
  for (const part of chunk(commits, MAX_ACTIONS_PER_CALL)) await proceed(api, projectHash, stageUuid, part, results, MAX_ROUNDS);
  return results;
}

async function proceed(
  api: EncordApi,
  projectHash: string,
  stageUuid: string,
  commits: TaskCommit[],
  results: Map<string, MoveResult>,
  rounds: number,
): Promise<void> {
  if (commits.length === 0) return;
  try {
    await api.postPathwayActions(projectHash, stageUuid, commits.map((c) => ({ taskUuid: c.taskUuid, pathwayUuid: c.pathwayUuid as string })));
    for (const c of commits) results.set(c.taskUuid, { kind: 'moved' });
    return;
  } catch (error) {
    if (isSystemicError(error)) throw error;
    const ambiguous = error instanceof EncordApiError && error.ambiguous;
    if (!ambiguous && !isPerItemError(error)) return failAll(commits, error, results);
    let stillThere: Set<string>;
    try {
      stillThere = await fetchTasksStillInStage(api, projectHash, stageUuid, commits);
    } catch (listError) {
      if (isSystemicError(listError)) throw listError;
      return failAll(commits, error, results);
    }
    const gone = commits.filter((c) => !stillThere.has(c.taskUuid));
    const remaining = commits.filter((c) => stillThere.has(c.taskUuid));
    // After an ambiguous failure a task that left was moved by our request; after a 400 it was stale.
    for (const c of gone) results.set(c.taskUuid, ambiguous ? { kind: 'moved' } : { kind: 'stale' });
    if (remaining.length === 0) return;
    if (rounds <= 1) return failAll(remaining, error, results);
    if (ambiguous || gone.length > 0) return proceed(api, projectHash, stageUuid, remaining, results, rounds - 1);
    await isolateBadActions(api, projectHash, stageUuid, remaining, results);
  }
}

async function isolateBadActions(api: EncordApi, projectHash: string, stageUuid: string, commits: TaskCommit[], results: Map<string, MoveResult>): Promise<void> {
  const failures = await sendIsolating(commits, (group) =>
    api.postPathwayActions(projectHash, stageUuid, group.map((c) => ({ taskUuid: c.taskUuid, pathwayUuid: c.pathwayUuid as string }))),
  );
  for (const c of commits) {
    const failure = failures.get(c);
    results.set(c.taskUuid, failure ? { kind: 'failed', error: failure.message } : { kind: 'moved' });
  }
}

function failAll(commits: TaskCommit[], error: unknown, results: Map<string, MoveResult>): void {
  const message = error instanceof Error ? error.message : String(error);
  for (const c of commits) results.set(c.taskUuid, { kind: 'failed', error: message });
}
