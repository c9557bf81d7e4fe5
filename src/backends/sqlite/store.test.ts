import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../backend.js';
import { generateDemoProject } from '../../demo/index.js';
import { openSqliteStore, SqliteBackend, STORE_APPLICATION_ID, writeProjectExport } from './index.js';
import { resolveImportProject } from './import.js';

const demo = generateDemoProject({ tasks: 60, seed: 5 });
const [preLabel, annotate] = demo.project.workflow.stages;
const pathway = preLabel!.pathways[0]!;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'encord-rules-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof BackendError ? error.code : `not a BackendError: ${String(error)}`;
  }
  return undefined;
}

describe('opening a store', () => {
  it('refuses a file that is not SQLite, without touching it', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'just some notes\n'.repeat(20));
    expect(codeOf(() => openSqliteStore(path))).toBe('store/not-a-store');
    expect(readFileSync(path, 'utf8')).toBe('just some notes\n'.repeat(20));
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a SQLite database of another application, without touching it', () => {
    const path = join(dir, 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    other.close();
    const before = readFileSync(path);
    expect(codeOf(() => openSqliteStore(path))).toBe('store/not-a-store');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('reports a damaged file as corrupt, without touching it', () => {
    const path = join(dir, 'store.db');
    openSqliteStore(path).close();
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 100, 4096);
    writeFileSync(path, bytes);
    expect(codeOf(() => openSqliteStore(path))).toBe('store/corrupt');
    expect(readFileSync(path).equals(bytes)).toBe(true);
    const header = Buffer.from(bytes);
    header.write('SQLite format 9', 0, 'latin1');
    writeFileSync(path, header);
    expect(codeOf(() => openSqliteStore(path))).toBe('store/corrupt');
  });

  it('refuses a store from a newer encord-rules', () => {
    const path = join(dir, 'store.db');
    openSqliteStore(path).close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(codeOf(() => openSqliteStore(path))).toBe('store/too-new');
  });

  it('does not create a missing store unless asked', () => {
    const path = join(dir, 'missing.db');
    expect(codeOf(() => openSqliteStore(path, { create: false }))).toBe('store/not-found');
    expect(existsSync(path)).toBe(false);
    const store = openSqliteStore(path);
    expect(store.db.pragma('application_id', { simple: true })).toBe(STORE_APPLICATION_ID);
    expect(store.db.pragma('page_size', { simple: true })).toBe(16384);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.checkIntegrity()).toEqual(['ok']);
    store.close();
  });
});

describe('creating projects', () => {
  it('writes all of a project or nothing', () => {
    const store = openSqliteStore(join(dir, 'store.db'));
    function* failing() {
      yield* demo.tasks.slice(0, 10);
      throw new Error('input ended badly');
    }
    expect(() => store.createProject({ project: demo.project, tasks: failing() })).toThrow('input ended badly');
    expect(store.listProjects()).toEqual([]);
    const duplicate = [...demo.tasks.slice(0, 5), demo.tasks[0]!];
    expect(codeOf(() => store.createProject({ project: demo.project, tasks: duplicate }))).toBe('store/duplicate-task');
    expect(store.listProjects()).toEqual([]);
    expect(store.createProject(demo).taskCount).toBe(60);
    expect(codeOf(() => store.createProject(demo))).toBe('store/project-exists');
    expect(store.checkIntegrity()).toEqual(['ok']);
    store.close();
  });

  it('holds several projects apart', async () => {
    const store = openSqliteStore(':memory:');
    const other = generateDemoProject({ tasks: 7, seed: 6 });
    store.createProject(demo);
    store.createProject(other);
    expect(store.listProjects().map((p) => p.taskCount)).toEqual([60, 7]);
    const backend = new SqliteBackend(store);
    const page = await backend.listStageTasks(other.project.projectHash, other.project.workflow.stages[0]!.uuid);
    expect(page.tasks.map((t) => t.uuid).sort()).toEqual(other.tasks.map((t) => t.task.uuid).sort());
    await backend.close();
  });
});

describe('admin operations', () => {
  it('counts tasks per stage, lists them and resets them to the initial state', async () => {
    const store = openSqliteStore(join(dir, 'store.db'));
    store.createProject(demo);
    const backend = new SqliteBackend(store, false);
    const labelled = demo.tasks.find((t) => t.metadata.label_hash !== null)!;
    const edited = { ...structuredClone(labelled.labelRow), classification_answers: {} };
    const commits = demo.tasks.slice(0, 4).map((t) => ({ taskUuid: t.task.uuid, dataHash: t.task.dataHash, priority: 0.01, pathwayUuid: pathway.uuid }));
    await backend.commitBatch(demo.project.projectHash, { stageUuid: preLabel!.uuid, tasks: [...commits, { taskUuid: labelled.task.uuid, dataHash: labelled.task.dataHash, labelRow: edited }] });
    expect(store.countTasksByStage(demo.project.projectHash).map((c) => c.count)).toEqual([56, 4, 0, 0]);
    expect([...store.listTasks(demo.project.projectHash, annotate!.uuid)].map((t) => [t.uuid, t.stage, t.priority])).toEqual(
      demo.tasks.slice(0, 4).map((t) => [t.task.uuid, 'Annotate', 0.01]),
    );
    expect(store.resetProject(demo.project.projectHash)).toBe(60);
    expect(store.countTasksByStage(demo.project.projectHash).map((c) => c.count)).toEqual([60, 0, 0, 0]);
    const records = await backend.fetchTaskRecords(demo.project.projectHash, demo.tasks.map((t) => t.task), { labels: true, clientMetadata: true });
    records.forEach((r, i) => {
      const t = demo.tasks[i]!;
      expect(r.task).toEqual(t.task);
      expect(r.metadata).toEqual(t.metadata);
      if (t.metadata.label_hash !== null) expect(r.labelRow).toEqual(t.labelRow);
    });
    store.close();
  });

  it('resolves stages by title or uuid and explains unknown ones', () => {
    const store = openSqliteStore(':memory:');
    store.createProject(demo);
    expect(store.resolveStage(demo.project.projectHash, 'Annotate').uuid).toBe(annotate!.uuid);
    expect(store.resolveStage(demo.project.projectHash, annotate!.uuid).title).toBe('Annotate');
    expect(codeOf(() => store.resolveStage(demo.project.projectHash, 'Nope'))).toBe('rule/unknown-stage');
    expect(codeOf(() => store.getProject('nope'))).toBe('backend/project-not-found');
    store.close();
  });

  it('exports a project that imports back as the same tasks in the same stages', async () => {
    const store = openSqliteStore(':memory:');
    store.createProject(demo);
    const backend = new SqliteBackend(store, false);
    const moved = demo.tasks[3]!;
    await backend.commitBatch(demo.project.projectHash, { stageUuid: preLabel!.uuid, tasks: [{ taskUuid: moved.task.uuid, dataHash: moved.task.dataHash, priority: 0, pathwayUuid: pathway.uuid }] });
    let text = '';
    expect(writeProjectExport(store, demo.project.projectHash, (chunk) => (text += chunk))).toBe(60);
    const exported = JSON.parse(text) as unknown;
    const target = openSqliteStore(':memory:');
    const result = resolveImportProject({ labelRows: exported, title: 'ignored' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    target.createProject(result.input);
    expect(target.countTasksByStage(demo.project.projectHash).map((c) => c.count)).toEqual([59, 1, 0, 0]);
    const needs = { labels: true, clientMetadata: true };
    const tasks = demo.tasks.map((t) => t.task);
    const a = await backend.fetchTaskRecords(demo.project.projectHash, tasks, needs);
    const b = await new SqliteBackend(target).fetchTaskRecords(demo.project.projectHash, tasks, needs);
    expect(b).toEqual(a);
    store.close();
    target.close();
  });

  it('fetches and commits listed tasks by rowid with the same results as by uuid', async () => {
    const store = openSqliteStore(':memory:');
    store.createProject(demo);
    store.createProject(generateDemoProject({ tasks: 10, seed: 6 }));
    const listing = new SqliteBackend(store, false);
    const fresh = new SqliteBackend(store, false);
    const page = await listing.listStageTasks(demo.project.projectHash, preLabel!.uuid, { pageSize: 25 });
    const needs = { labels: true, clientMetadata: true };
    expect(await listing.fetchTaskRecords(demo.project.projectHash, page.tasks, needs)).toEqual(
      await fresh.fetchTaskRecords(demo.project.projectHash, page.tasks, needs),
    );
    // Listed in one project, asked for in another: not found, whichever path is taken.
    const other = store.listProjects()[1]!.projectHash;
    await expect(listing.fetchTaskRecords(other, page.tasks.slice(0, 1), needs)).rejects.toMatchObject({ code: 'backend/task-not-found' });
    const outcomes = await listing.commitBatch(demo.project.projectHash, {
      stageUuid: preLabel!.uuid,
      tasks: page.tasks.map((t) => ({ taskUuid: t.uuid, dataHash: t.dataHash, pathwayUuid: pathway.uuid })),
    });
    expect(outcomes.every((o) => o.moved)).toBe(true);
    expect(store.countTasksByStage(demo.project.projectHash)[1]?.count).toBe(25);
    store.close();
  });

  it('treats an empty filter list as no filter (as Encord) and a bad page-size hint as none', async () => {
    const store = openSqliteStore(':memory:');
    store.createProject(demo);
    const backend = new SqliteBackend(store);
    const all = await backend.listStageTasks(demo.project.projectHash, preLabel!.uuid, { filter: { dataHashes: [], statuses: [] }, pageSize: Number.NaN });
    expect(all.tasks).toHaveLength(60);
    await backend.close();
  });

  it('rejects a page token from another stage', async () => {
    const store = openSqliteStore(':memory:');
    store.createProject(demo);
    const backend = new SqliteBackend(store);
    const page = await backend.listStageTasks(demo.project.projectHash, preLabel!.uuid, { pageSize: 5 });
    expect(page.nextPageToken).toBeDefined();
    await expect(backend.listStageTasks(demo.project.projectHash, annotate!.uuid, { pageToken: page.nextPageToken })).rejects.toMatchObject({ code: 'backend/bad-page-token' });
    await expect(backend.listStageTasks(demo.project.projectHash, preLabel!.uuid, { pageToken: 'garbage' })).rejects.toMatchObject({ code: 'backend/bad-page-token' });
    await backend.close();
  });
});
