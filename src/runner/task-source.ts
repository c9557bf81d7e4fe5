/**
 * Tasks of one stage, in batches: pages through the backend's listing with its page tokens,
 * skips tasks this pass has already handed out (a backend that re-lists a task left in place
 * must not make us process it twice), and fetches records for up to `ahead` batches while the
 * caller works on the current one.
 */
import type { Backend } from '../backends/backend.js';
import type { AgentTask, DocumentNeeds, TaskRecord } from '../model/index.js';

export interface ListBatchesRequest {
  projectHash: string;
  stageUuid: string;
  batchSize: number;
  maxTasks?: number;
  /** Tasks already handed out in this pass; the caller forgets the ones that moved. */
  seen: Set<string>;
  signal?: AbortSignal;
}

/** Batches of not-yet-seen tasks, lazily, one listing page at a time. */
export async function* listTaskBatches(backend: Backend, request: ListBatchesRequest): AsyncGenerator<AgentTask[]> {
  const { batchSize, seen } = request;
  let remaining = request.maxTasks ?? Infinity;
  let pageToken: string | undefined;
  let buffer: AgentTask[] = [];
  do {
    if (request.signal?.aborted) return;
    const page = await backend.listStageTasks(request.projectHash, request.stageUuid, {
      pageSize: batchSize,
      ...(pageToken ? { pageToken } : {}),
    });
    for (const task of page.tasks) {
      if (remaining <= 0) break;
      if (seen.has(task.uuid)) continue;
      seen.add(task.uuid);
      buffer.push(task);
      remaining -= 1;
      if (buffer.length === batchSize) {
        yield buffer;
        buffer = [];
      }
    }
    // A token that does not advance would page forever.
    if (page.nextPageToken === pageToken) break;
    pageToken = page.nextPageToken;
  } while (pageToken && remaining > 0);
  if (buffer.length > 0) yield buffer;
}

export type FetchedBatch =
  | { ok: true; tasks: AgentTask[]; records: TaskRecord[] }
  | { ok: false; tasks: AgentTask[]; error: unknown };

/**
 * Fetches records for each batch, keeping up to `ahead` fetches in flight. Listing stays
 * sequential (page tokens are a chain). A failed fetch fails only its batch.
 */
export async function* fetchBatches(
  backend: Backend,
  projectHash: string,
  batches: AsyncIterable<AgentTask[]>,
  needs: DocumentNeeds,
  ahead: number,
  signal?: AbortSignal,
): AsyncGenerator<FetchedBatch> {
  const iterator = batches[Symbol.asyncIterator]();
  const pending: Promise<FetchedBatch>[] = [];
  let exhausted = false;
  const fetchOne = (tasks: AgentTask[]): Promise<FetchedBatch> =>
    backend.fetchTaskRecords(projectHash, tasks, needs).then(
      (records) => ({ ok: true as const, tasks, records }),
      (error: unknown) => ({ ok: false as const, tasks, error }),
    );
  try {
    for (;;) {
      while (!exhausted && pending.length < Math.max(1, ahead) && !signal?.aborted) {
        const next = await iterator.next();
        if (next.done) exhausted = true;
        else pending.push(fetchOne(next.value));
      }
      const head = pending.shift();
      if (!head) return;
      yield await head;
      if (signal?.aborted) return;
    }
  } finally {
    // Abandoned fetches are reads: let them settle quietly rather than reject unobserved.
    for (const p of pending) void p.catch(() => undefined);
    await iterator.return?.(undefined);
  }
}
