/**
 * What the read and write shortcuts of SqliteBackend must not change: records served from the
 * listing's rows and commits that skip the read still see (and report) other writers' changes.
 * Two backends over one store stand for two processes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { streamDemoProjectInput } from '../../demo/index.js';
import type { Stage } from '../../model/index.js';
import { SqliteBackend } from './backend.js';
import { openSqliteStore, type SqliteStore } from './store.js';

let store: SqliteStore;
let projectHash: string;
let preLabel: Stage;
let mine: SqliteBackend;
let other: SqliteBackend;

beforeEach(() => {
  store = openSqliteStore(':memory:');
  const demo = streamDemoProjectInput({ tasks: 20, seed: 7 });
  store.createProject(demo);
  projectHash = demo.project.projectHash;
  preLabel = demo.project.workflow.stages[0]!;
  mine = new SqliteBackend(store, false);
  other = new SqliteBackend(store, false);
});
afterEach(() => store.close());

const needs = { labels: false, clientMetadata: true };

async function listFirst(backend: SqliteBackend, pageSize: number) {
  return (await backend.listStageTasks(projectHash, preLabel.uuid, { pageSize })).tasks;
}

describe('records of listed tasks', () => {
  it('match a fresh read, client metadata and all', async () => {
    const tasks = await listFirst(mine, 5);
    const served = await mine.fetchTaskRecords(projectHash, tasks, needs);
    const read = await other.fetchTaskRecords(projectHash, tasks, needs);
    expect(served).toEqual(read);
  });

  it('are read again after this backend committed the task', async () => {
    const [task] = await listFirst(mine, 1);
    await mine.commitBatch(projectHash, { stageUuid: preLabel.uuid, tasks: [{ taskUuid: task!.uuid, dataHash: task!.dataHash, priority: 0.25 }] });
    const [record] = await mine.fetchTaskRecords(projectHash, [task!], needs);
    expect(record!.metadata.priority).toBe(0.25);
  });

  it('are served once: a second fetch reads the store', async () => {
    const [task] = await listFirst(mine, 1);
    await mine.fetchTaskRecords(projectHash, [task!], needs);
    await other.commitBatch(projectHash, { stageUuid: preLabel.uuid, tasks: [{ taskUuid: task!.uuid, dataHash: task!.dataHash, priority: 0.75 }] });
    const [record] = await mine.fetchTaskRecords(projectHash, [task!], needs);
    expect(record!.metadata.priority).toBe(0.75);
  });

  it('come with labels from the store when labels are asked for', async () => {
    const tasks = await listFirst(mine, 3);
    const records = await mine.fetchTaskRecords(projectHash, tasks, { labels: true, clientMetadata: false });
    expect(records.every((r) => r.labelRow !== undefined && r.labelRow.data_hash === r.task.dataHash)).toBe(true);
  });
});

describe('commits of listed tasks', () => {
  const annotate = (): string => preLabel.pathways[0]!.uuid;

  it('report stale, and still set the priority, when another writer moved the task first', async () => {
    const [task] = await listFirst(mine, 1);
    const commit = { taskUuid: task!.uuid, dataHash: task!.dataHash, priority: 1, pathwayUuid: annotate() };
    const [first] = await other.commitBatch(projectHash, { stageUuid: preLabel.uuid, tasks: [{ ...commit, priority: 0 }] });
    const [second] = await mine.commitBatch(projectHash, { stageUuid: preLabel.uuid, tasks: [commit] });
    expect(first).toMatchObject({ status: 'ok', moved: true, prioritySet: true });
    expect(second).toMatchObject({ status: 'stale', moved: false, prioritySet: true });
    const [record] = await other.fetchTaskRecords(projectHash, [task!], needs);
    expect(record!.metadata.priority).toBe(1);
  });

  it('move a task once when it is committed twice in a batch', async () => {
    const [task] = await listFirst(mine, 1);
    const commit = { taskUuid: task!.uuid, dataHash: task!.dataHash, priority: 1, pathwayUuid: annotate() };
    const outcomes = await mine.commitBatch(projectHash, { stageUuid: preLabel.uuid, tasks: [commit, commit] });
    expect(outcomes.map((o) => [o.status, o.moved])).toEqual([
      ['ok', true],
      ['stale', false],
    ]);
  });

  it('fail a task whose data hash is not the one given, writing nothing', async () => {
    const [task] = await listFirst(mine, 1);
    const [outcome] = await mine.commitBatch(projectHash, {
      stageUuid: preLabel.uuid,
      tasks: [{ taskUuid: task!.uuid, dataHash: 'not-the-hash', priority: 1, pathwayUuid: annotate() }],
    });
    expect(outcome).toMatchObject({ status: 'failed', moved: false, prioritySet: false });
    expect(outcome!.error).toContain('has data hash');
    const [record] = await mine.fetchTaskRecords(projectHash, [task!], needs);
    expect(record!.metadata.workflow_graph_node?.uuid).toBe(preLabel.uuid);
  });

  it('fail an out-of-range priority before any write', async () => {
    const [task] = await listFirst(mine, 1);
    const [outcome] = await mine.commitBatch(projectHash, {
      stageUuid: preLabel.uuid,
      tasks: [{ taskUuid: task!.uuid, dataHash: task!.dataHash, priority: 2, pathwayUuid: annotate() }],
    });
    expect(outcome).toMatchObject({ status: 'failed', moved: false });
    const [record] = await mine.fetchTaskRecords(projectHash, [task!], needs);
    expect(record!.metadata.workflow_graph_node?.uuid).toBe(preLabel.uuid);
  });

  it('set a priority alone, and move alone', async () => {
    const [a, b] = await listFirst(mine, 2);
    const outcomes = await mine.commitBatch(projectHash, {
      stageUuid: preLabel.uuid,
      tasks: [
        { taskUuid: a!.uuid, dataHash: a!.dataHash, priority: 0.5 },
        { taskUuid: b!.uuid, dataHash: b!.dataHash, pathwayUuid: annotate() },
      ],
    });
    expect(outcomes.map((o) => [o.status, o.prioritySet, o.moved])).toEqual([
      ['ok', true, false],
      ['ok', false, true],
    ]);
    const records = await other.fetchTaskRecords(projectHash, [a!, b!], needs);
    expect(records.map((r) => [r.metadata.priority, r.metadata.workflow_graph_node?.uuid])).toEqual([
      [0.5, preLabel.uuid],
      [expect.anything(), preLabel.pathways[0]!.destinationUuid],
    ]);
  });
});
