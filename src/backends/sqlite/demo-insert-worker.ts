/**
 * Worker thread for bulk-loading the demo project: generates demo tasks and their insert
 * parameters (planTaskInsert, mostly JSON.stringify) while the main thread runs the SQLite
 * inserts, so a million-task `local init --demo` uses both cores. Started by demo-inserts.ts;
 * the protocol (batches on a MessagePort, counters in shared memory) is documented there.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { buildDemoContext, buildDemoProject, generateDemoTaskInput, type DemoContext } from '../../demo/index.js';
import { chunkTaskInserts } from './bulk-insert.js';
import { planTaskInsert, type TaskInsertPlan } from './rows.js';
import { BATCH_SIZE, MAX_BATCHES_AHEAD, PRODUCED, CONSUMED, type DemoInsertWorkerJob, type InsertBatchMessage } from './demo-inserts.js';

function postBatches(job: DemoInsertWorkerJob, port: MessagePort, counters: Int32Array): void {
  const project = buildDemoProject(job.seed);
  const context = buildDemoContext(job.seed, project);
  const stageUuids = new Set(job.stageUuids);
  // Batches are dealt round-robin between the workers; the reader takes them in the same turn.
  for (let from = job.workerIndex * BATCH_SIZE; from < job.taskCount; from += BATCH_SIZE * job.workerCount) {
    const to = Math.min(job.taskCount, from + BATCH_SIZE);
    const plans = planBatch(job, context, stageUuids, from, to);
    const message: InsertBatchMessage = { chunks: [...chunkTaskInserts(plans, job.firstSeq + from)] };
    publish(port, counters, message);
    // Bounded lead: the main thread's SQLite inserts are the slower side, and unread batches
    // would otherwise pile up in memory.
    for (;;) {
      const consumed = Atomics.load(counters, CONSUMED);
      if (Atomics.load(counters, PRODUCED) - consumed < MAX_BATCHES_AHEAD) break;
      Atomics.wait(counters, CONSUMED, consumed, 1000);
    }
  }
}

function* planBatch(job: DemoInsertWorkerJob, context: DemoContext, stageUuids: ReadonlySet<string>, from: number, to: number): Generator<TaskInsertPlan> {
  for (let i = from; i < to; i++) yield planTaskInsert(job.projectHash, stageUuids, job.startStageUuid, generateDemoTaskInput(context, i));
}

/** Posts first, then bumps the counter: once the reader sees the count, the message is there. */
function publish(port: MessagePort, counters: Int32Array, message: InsertBatchMessage): void {
  port.postMessage(message);
  Atomics.add(counters, PRODUCED, 1);
  Atomics.notify(counters, PRODUCED);
}

const { job, port, counters } = workerData as { job: DemoInsertWorkerJob; port: MessagePort; counters: Int32Array };
try {
  postBatches(job, port, counters);
  publish(port, counters, { chunks: [], done: true });
} catch (error) {
  // The main thread is blocked in Atomics.wait and cannot see 'error' events: send it.
  publish(port, counters, { chunks: [], error: String((error as Error)?.stack ?? error) });
}
parentPort?.close();
