/**
 * Insert parameters for the demo project, generated on worker threads when possible.
 *
 * createProject is synchronous (callers and tests rely on it), so the main thread reads the
 * worker's batches synchronously: the worker posts a batch on a MessagePort, then bumps a
 * counter in shared memory; the main thread takes messages with receiveMessageOnPort and,
 * when none is there, sleeps in Atomics.wait on that counter. A second counter (batches
 * consumed) lets the worker stay at most MAX_BATCHES_AHEAD batches ahead, so memory stays flat.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { InsertChunk } from './bulk-insert.js';

export const BATCH_SIZE = 2000;
export const MAX_BATCHES_AHEAD = 4;
/**
 * Generating and serialising a task costs about as much as inserting it, so with one worker
 * the main thread still waited a third of the time (profile of a 300k-task load); two keep
 * SQLite busy. On a 2-core machine the three threads share the cores: the main thread is the
 * one that must not wait.
 */
const WORKER_COUNT = 2;
/** Indexes into the shared counters. */
export const PRODUCED = 0;
export const CONSUMED = 1;
/** Below this many tasks a worker's start-up (~50 ms) costs more than it saves. */
const MIN_TASKS_FOR_WORKER = 20_000;

/** What the worker needs to regenerate exactly the tasks of streamDemoProjectInput. */
export interface DemoInsertJob {
  seed: number | string;
  taskCount: number;
  projectHash: string;
  stageUuids: string[];
  startStageUuid: string;
  /** The seq of the first task; the rest follow in order. */
  firstSeq: number;
}

/** One worker's share: batches workerIndex, workerIndex + workerCount, … */
export interface DemoInsertWorkerJob extends DemoInsertJob {
  workerIndex: number;
  workerCount: number;
}

export interface InsertBatchMessage {
  chunks: InsertChunk[];
  done?: true;
  error?: string;
}

// The compiled worker sits beside this module in dist/. Run from TypeScript sources (vitest),
// there is no .js file to start, and the tasks are planned on the main thread instead.
const WORKER_FILE = fileURLToPath(new URL('./demo-insert-worker.js', import.meta.url));

/** Whether createProject may plan `taskCount` demo tasks on workers (`force`: whatever the count; tests pin both paths). */
export function canPlanInWorker(taskCount: number, force = false): boolean {
  return (force || taskCount >= MIN_TASKS_FOR_WORKER) && existsSync(WORKER_FILE);
}

/**
 * The demo tasks' insert chunks, in task order, generated on worker threads; the same chunks
 * as chunkTaskInserts of planTaskInsert over streamDemoProjectInput's tasks. Throws the worker's error, if any.
 * Ending the iteration early (an insert failed) stops the worker.
 */
export function* planDemoInsertsInWorker(job: DemoInsertJob): Generator<InsertChunk> {
  const workers = Array.from({ length: WORKER_COUNT }, (_, workerIndex) => startWorker({ ...job, workerIndex, workerCount: WORKER_COUNT }));
  try {
    for (let turn = 0; ; turn = (turn + 1) % workers.length) {
      const message = receiveBatch(workers[turn]!.port, workers[turn]!.counters);
      if (message.error !== undefined) throw new Error(`demo task generation failed: ${message.error}`);
      // A worker is done when its next batch would start past the end; then all are.
      if (message.done) return;
      yield* message.chunks;
    }
  } finally {
    for (const w of workers) {
      w.port.close();
      void w.worker.terminate();
    }
  }
}

interface RunningWorker {
  worker: Worker;
  port: MessagePort;
  counters: Int32Array;
}

function startWorker(job: DemoInsertWorkerJob): RunningWorker {
  const counters = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_FILE, { workerData: { job, port: port2, counters }, transferList: [port2] });
  return { worker, port: port1, counters };
}

/** A worker that posts nothing for this long is taken as dead (it reports its own errors). */
const STALL_TIMEOUT_MS = 120_000;

/** The next batch, waiting for the worker to post one. */
function receiveBatch(port: MessagePort, counters: Int32Array): InsertBatchMessage {
  let waited = 0;
  for (;;) {
    const produced = Atomics.load(counters, PRODUCED);
    const received = receiveMessageOnPort(port);
    if (received) {
      Atomics.add(counters, CONSUMED, 1);
      Atomics.notify(counters, CONSUMED);
      return received.message as InsertBatchMessage;
    }
    if (Atomics.wait(counters, PRODUCED, produced, 1000) === 'timed-out') waited += 1000;
    if (waited >= STALL_TIMEOUT_MS) throw new Error('demo task generation stalled: the worker thread stopped answering');
  }
}
