/**
 * The local store: creating a 1,000,000-task demo store, and serving the runner's loop
 * (list → fetch → commit priority + move) through SqliteBackend. Baselines, same run: raw
 * better-sqlite3 inserts / updates of the same number of minimal rows, one transaction each;
 * and, for creation, the same build planning every task on the main thread.
 * STORE_BENCH_TASKS overrides the task count.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { randomFor, streamDemoProjectInput } from '../src/demo/index.js';
import { openSqliteStore, SqliteBackend } from '../src/backends/sqlite/index.js';
import type { BenchResult } from './types.js';

const TASKS = Number(process.env.STORE_BENCH_TASKS ?? 1_000_000);
const RUN_TASKS = Math.min(TASKS, 200_000);

// Creation is measured with the compiled store, as `local init` runs it: the demo tasks are
// planned on worker threads, which run only from dist/ (`npm run build`), not from sources.
const BUILT_STORE = fileURLToPath(new URL('../dist/backends/sqlite/index.js', import.meta.url));

async function loadStore(): Promise<{ openSqliteStore: typeof openSqliteStore; built: boolean }> {
  if (!existsSync(BUILT_STORE)) return { openSqliteStore, built: false };
  return { ...((await import(pathToFileURL(BUILT_STORE).href)) as { openSqliteStore: typeof openSqliteStore }), built: true };
}

/** Creates a TASKS-task demo store at `path`; seconds taken and peak RSS. */
function measureCreate(open: typeof openSqliteStore, path: string, demoGeneration: 'auto' | 'main'): { seconds: number; peakRss: number } {
  const store = open(path);
  let peakRss = process.memoryUsage().rss;
  const started = performance.now();
  store.createProject(streamDemoProjectInput({ tasks: TASKS }), {
    onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)),
    progressEvery: 25_000,
    demoGeneration,
  });
  const elapsed = seconds(started);
  store.close();
  return { seconds: elapsed, peakRss };
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** Raw inserts of minimal task rows (uuid, stage, priority) with the same uuid index. */
function measureRawInsert(path: string, count: number): number {
  const db = new Database(path);
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  db.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL, stage TEXT NOT NULL, priority REAL)');
  const insert = db.prepare('INSERT INTO t (uuid, stage, priority) VALUES (?, ?, ?)');
  const random = randomFor('bench');
  const started = performance.now();
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(random.uuid(), 'stage', 0.5);
    db.exec('CREATE UNIQUE INDEX t_uuid ON t(uuid)');
  })();
  const elapsed = seconds(started);
  db.close();
  return elapsed;
}

/** Raw updates of priority + stage for `count` rows in batches of 1,000, one transaction each. */
function measureRawUpdates(path: string, count: number): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const update = db.prepare('UPDATE t SET priority = ?, stage = ? WHERE seq = ? AND stage = ?');
  const started = performance.now();
  for (let from = 1; from <= count; from += 1000) {
    db.transaction(() => {
      for (let seq = from; seq < from + 1000 && seq <= count; seq++) update.run(1, 'next', seq, 'stage');
    }).immediate();
  }
  const elapsed = seconds(started);
  db.close();
  return elapsed;
}

/** The runner's loop over the pre-label stage, `count` tasks: list, fetch metadata, commit. */
async function measureRunnerLoop(path: string, count: number): Promise<number> {
  const backend = new SqliteBackend(openSqliteStore(path, { create: false }));
  const [project] = backend.store.listProjects();
  const projectHash = project!.projectHash;
  const stage = backend.store.getProject(projectHash).workflow.stages[0]!;
  const pathwayUuid = stage.pathways[0]!.uuid;
  const started = performance.now();
  let done = 0;
  let pageToken: string | undefined;
  while (done < count) {
    const page = await backend.listStageTasks(projectHash, stage.uuid, { pageSize: 1000, pageToken });
    const records = await backend.fetchTaskRecords(projectHash, page.tasks, { labels: false, clientMetadata: false });
    const outcomes = await backend.commitBatch(projectHash, {
      stageUuid: stage.uuid,
      tasks: records.map((r) => ({
        taskUuid: r.task.uuid,
        dataHash: r.task.dataHash,
        priority: r.metadata.data_title.toLowerCase().includes('london') ? 1 : 0,
        pathwayUuid,
      })),
    });
    done += outcomes.length;
    pageToken = page.nextPageToken;
    if (!pageToken) break;
  }
  const elapsed = seconds(started);
  await backend.close();
  return done / elapsed;
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'encord-rules-store-bench-'));
  try {
    const storePath = join(dir, 'store.db');
    const { openSqliteStore: openBuilt, built } = await loadStore();
    const create = measureCreate(openBuilt, storePath, 'auto');
    const sizeMb = statSync(storePath).size / 1e6;
    const oneThread = measureCreate(openBuilt, join(dir, 'one-thread.db'), 'main');
    rmSync(join(dir, 'one-thread.db'), { force: true });
    const rawSeconds = measureRawInsert(join(dir, 'raw.db'), TASKS);

    const loopRate = await measureRunnerLoop(storePath, RUN_TASKS);
    const rawUpdateSeconds = measureRawUpdates(join(dir, 'raw.db'), RUN_TASKS);
    return [
      {
        name: `create ${TASKS.toLocaleString('en')}-task demo store`,
        value: create.seconds,
        unit: 's',
        baseline: { name: 'raw better-sqlite3 insert of minimal rows', value: rawSeconds },
        note: `${Math.round(TASKS / create.seconds).toLocaleString('en')} tasks/s; file ${sizeMb.toFixed(0)} MB; peak RSS ${(create.peakRss / 1e6).toFixed(0)} MB${built ? '' : '; dist/ not built: measured from sources, without worker threads'}`,
      },
      {
        name: `create ${TASKS.toLocaleString('en')}-task demo store, worker threads planning the tasks`,
        value: create.seconds,
        unit: 's',
        baseline: { name: 'same, every task planned on the main thread', value: oneThread.seconds },
        note: `peak RSS ${(create.peakRss / 1e6).toFixed(0)} MB with workers, ${(oneThread.peakRss / 1e6).toFixed(0)} MB without`,
      },
      {
        name: `runner loop through SqliteBackend (list, fetch metadata, commit priority + move), ${RUN_TASKS.toLocaleString('en')} tasks`,
        value: loopRate,
        unit: 'tasks/s',
        baseline: { name: 'raw better-sqlite3 UPDATE priority+stage, 1,000 per transaction', value: RUN_TASKS / rawUpdateSeconds },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
