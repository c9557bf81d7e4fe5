/**
 * Several processes on one store file: concurrent commits never move a task twice, and a
 * process killed mid-commit leaves a consistent store in which every batch is all-or-nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamDemoProjectInput } from '../../src/demo/index.js';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';

const WORKER = join(import.meta.dirname, 'helpers', 'commit-worker.ts');
const TASKS = 3000;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'encord-rules-concurrency-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface BatchLine {
  batch: number;
  priority: number;
  moved: string[];
  stale: number;
}

function createStore(name: string): string {
  const path = join(dir, name);
  const store = openSqliteStore(path);
  store.createProject(streamDemoProjectInput({ tasks: TASKS, seed: 3 }));
  store.close();
  return path;
}

/** Starts a worker; `lines` fills as it reports, `exit` resolves with its exit code or signal. */
function startWorker(store: string, batchSize: number, priorityBase: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, store, String(batchSize), String(priorityBase)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: BatchLine[] = [];
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) {
      const parsed = JSON.parse(part) as BatchLine | { done: true };
      if ('batch' in parsed) lines.push(parsed);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, lines, exit };
}

/** Reads the store back: integrity, tasks per stage, and each moved task's priority. */
function inspectStore(path: string) {
  const store = openSqliteStore(path, { create: false });
  const [project] = store.listProjects();
  const projectHash = project!.projectHash;
  const [preLabel, annotate] = store.getProject(projectHash).workflow.stages;
  const result = {
    integrity: store.checkIntegrity(),
    counts: store.countTasksByStage(projectHash).map((c) => c.count),
    taskRows: store.db.prepare('SELECT count(*) FROM tasks').pluck().get() as number,
    stateRows: store.db.prepare('SELECT count(*) FROM task_states').pluck().get() as number,
    movedPriorities: store.db
      .prepare('SELECT priority, count(*) AS n FROM task_states WHERE stage_uuid = ? GROUP BY priority')
      .all(annotate!.uuid) as { priority: number; n: number }[],
    waitingWithBatchPriority: store.db
      .prepare('SELECT count(*) FROM task_states WHERE stage_uuid = ? AND abs(priority * 100 - round(priority * 100)) > 1e-9')
      .pluck()
      .get(preLabel!.uuid) as number,
  };
  store.close();
  return result;
}

describe('two processes committing to one store', () => {
  it('move every task exactly once between them', async () => {
    const store = createStore('shared.db');
    const a = startWorker(store, 100, 0.3);
    const b = startWorker(store, 100, 0.35);
    const [ea, eb] = await Promise.all([a.exit, b.exit]);
    expect(ea.stderr + eb.stderr).toBe('');
    expect([ea.code, eb.code]).toEqual([0, 0]);
    const movedA = a.lines.flatMap((l) => l.moved);
    const movedB = b.lines.flatMap((l) => l.moved);
    const all = new Set([...movedA, ...movedB]);
    expect(all.size).toBe(movedA.length + movedB.length);
    expect(all.size).toBe(TASKS);
    const state = inspectStore(store);
    expect(state.integrity).toEqual(['ok']);
    expect(state.counts).toEqual([0, TASKS, 0, 0]);
    expect(state.taskRows).toBe(TASKS);
    expect(state.stateRows).toBe(TASKS);
  }, 120_000);
});

describe('a process killed mid-commit', () => {
  it('leaves a consistent store where each batch was written whole or not at all', async () => {
    const store = createStore('killed.db');
    // Demo priorities have two decimals; batch priorities (0.3000005 + i/1e6) never do.
    const worker = startWorker(store, 100, 0.3000005);
    // Let it commit a few batches, then kill it while it is busy committing the next ones.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (worker.lines.length >= 3) {
          clearInterval(timer);
          setTimeout(resolve, 15 + Math.floor(Math.random() * 30));
        }
      }, 2);
    });
    worker.child.kill('SIGKILL');
    const exit = await worker.exit;
    expect(exit.signal).toBe('SIGKILL');

    const state = inspectStore(store);
    expect(state.integrity).toEqual(['ok']);
    expect(state.taskRows).toBe(TASKS);
    expect(state.stateRows).toBe(TASKS);
    expect(state.counts.reduce((a, b) => a + b, 0)).toBe(TASKS);
    const moved = state.counts[1]!;
    expect(moved).toBeGreaterThanOrEqual(worker.lines.length * 100);
    // Each committed batch gave its 100 tasks one distinct priority: so 100 tasks per priority.
    expect(moved % 100).toBe(0);
    for (const group of state.movedPriorities) expect(group.n).toBe(100);
    expect(state.waitingWithBatchPriority).toBe(0);
  }, 120_000);
});
