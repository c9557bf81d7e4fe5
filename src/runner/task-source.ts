/**
 * Tasks of one stage, in batches: pages through the backend's listing with its page tokens,
 * skips tasks this pass has already handed out (a backend that re-lists a task left in place
 * must not make us process it twice), and fetches records for up to `ahead` batches while the
 * caller works on the current one.
 */
import type { Backend } from '../backends/backend.js';
import type { AgentTask, DocumentNeeds, TaskRecord } from '../model/index.js';

/**
 * What one pass over a stage remembers about its tasks. A task handed out stays "seen" (never
 * handed out twice in a pass) until it has left the stage AND every page listed before it left
 * has been read: a page listed earlier may still hold it. So memory holds the tasks left in
 * place and those in flight, not every task of the pass; on a keyset listing only the batches
 * in flight (listTaskBatches then never consults `seen`).
 */
export class PassTasks {
  readonly seen = new Set<string>();
  /** Tasks that left the stage this pass. */
  moved = 0;
  private pagesListed = 0;
  private pagesRead = 0;
  private forgettable: { mark: number; uuids: readonly string[] }[] = [];

  /** The caller confirmed these tasks left the stage. */
  recordMoved(uuids: readonly string[]): void {
    if (uuids.length === 0) return;
    this.moved += uuids.length;
    this.forgettable.push({ mark: this.pagesListed, uuids });
  }

  recordPageListed(): void {
    this.pagesListed += 1;
  }

  recordPageRead(): void {
    this.pagesRead += 1;
    while (this.forgettable.length > 0 && this.forgettable[0]!.mark <= this.pagesRead) {
      for (const uuid of this.forgettable.shift()!.uuids) this.seen.delete(uuid);
    }
  }
}

export interface ListBatchesRequest {
  projectHash: string;
  stageUuid: string;
  batchSize: number;
  /** The backend's listing is a keyset cursor (Backend.keysetListing): one sweep, nothing remembered. */
  keyset?: boolean;
  maxTasks?: number;
  pass: PassTasks;
  signal?: AbortSignal;
}

/** Listings from the start after the first; bounds a pass while new tasks keep arriving. */
export const MAX_SWEEPS = 5;

/**
 * Batches of not-yet-seen tasks, lazily, one listing page at a time. When tasks left the stage
 * during a listing, it lists again from the start: with offset-style page tokens the moves
 * shifted later tasks onto pages already read, and that second listing finds them (with keyset
 * tokens it finds only tasks already seen, and stops). A backend that promises keyset listing
 * gets one sweep and no per-task memory.
 */
export async function* listTaskBatches(backend: Backend, request: ListBatchesRequest): AsyncGenerator<AgentTask[]> {
  const { batchSize, pass } = request;
  const budget = { remaining: request.maxTasks ?? Infinity };
  let buffer: AgentTask[] = [];
  const sweeps = request.keyset ? 0 : MAX_SWEEPS;
  for (let sweep = 0; sweep <= sweeps && budget.remaining > 0; sweep++) {
    const movesBefore = pass.moved;
    let fresh = 0;
    for await (const task of listUnseenTasks(backend, request, budget)) {
      fresh += 1;
      buffer.push(task);
      if (buffer.length === batchSize) {
        yield buffer;
        buffer = [];
      }
    }
    if (request.signal?.aborted) return;
    // Nothing moved: no page can have shifted. Nothing new: nothing was skipped.
    if (pass.moved === movesBefore || (sweep > 0 && fresh === 0)) break;
  }
  if (buffer.length > 0) yield buffer;
}

async function* listUnseenTasks(backend: Backend, request: ListBatchesRequest, budget: { remaining: number }): AsyncGenerator<AgentTask> {
  const { pass } = request;
  let pageToken: string | undefined;
  do {
    if (request.signal?.aborted) return;
    const page = await backend.listStageTasks(request.projectHash, request.stageUuid, {
      pageSize: request.batchSize,
      ...(pageToken ? { pageToken } : {}),
    });
    pass.recordPageListed();
    try {
      for (const task of page.tasks) {
        if (budget.remaining <= 0) return;
        if (!request.keyset) {
          if (pass.seen.has(task.uuid)) continue;
          pass.seen.add(task.uuid);
        }
        budget.remaining -= 1;
        yield task;
      }
    } finally {
      pass.recordPageRead();
    }
    // A token that does not advance would page forever.
    if (page.nextPageToken === pageToken) return;
    pageToken = page.nextPageToken;
  } while (pageToken);
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
