import { describe, expect, it } from 'vitest';
import { FakeBackend } from './fake-backend.js';
import { makeTask, preLabel, project } from './fixtures.js';
import { listTaskBatches, PassTasks } from '../../src/runner/task-source.js';

async function listAll(backend: FakeBackend, keyset: boolean, pass: PassTasks, onBatch?: (uuids: string[]) => void): Promise<string[]> {
  const listed: string[] = [];
  for await (const batch of listTaskBatches(backend, { projectHash: project.projectHash, stageUuid: preLabel.uuid, batchSize: 10, keyset, pass })) {
    const uuids = batch.map((t) => t.uuid);
    listed.push(...uuids);
    onBatch?.(uuids);
  }
  return listed;
}

describe('listTaskBatches', () => {
  const tasks = Array.from({ length: 45 }, (_, i) => makeTask(i, `t-${i}.jpg`));

  it('remembers every task it hands out when the listing promises nothing', async () => {
    const pass = new PassTasks();
    const listed = await listAll(new FakeBackend(project, tasks, preLabel.uuid), false, pass);
    expect(listed).toHaveLength(45);
    expect(pass.seen.size).toBe(45);
  });

  it('on a keyset listing keeps nothing per task (memory flat however many stay) and lists once', async () => {
    const backend = new FakeBackend(project, tasks, preLabel.uuid);
    backend.keysetListing = true;
    const pass = new PassTasks();
    // Half of each batch leaves the stage, as a run that routes some tasks.
    const listed = await listAll(backend, true, pass, (uuids) => {
      const left = uuids.filter((_, i) => i % 2 === 0);
      for (const uuid of left) backend.tasks.get(uuid)!.stageUuid = 'stage-annotate';
      pass.recordMoved(left);
    });
    expect(new Set(listed).size).toBe(45);
    expect(listed).toHaveLength(45);
    expect(pass.seen.size).toBe(0);
    // One sweep: 5 pages (the short last one ends it), no second listing from the start.
    expect(backend.calls.list).toBe(5);
  });

  it('without the promise, lists again from the start after moves (and hands out nothing twice)', async () => {
    const backend = new FakeBackend(project, tasks, preLabel.uuid);
    const pass = new PassTasks();
    const listed = await listAll(backend, false, pass, (uuids) => {
      const left = uuids.filter((_, i) => i % 2 === 0);
      for (const uuid of left) backend.tasks.get(uuid)!.stageUuid = 'stage-annotate';
      pass.recordMoved(left);
    });
    expect(listed).toHaveLength(45);
    expect(backend.calls.list).toBeGreaterThan(5);
  });
});
