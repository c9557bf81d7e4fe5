import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, type TaskCommit } from '../../src/backends/backend.js';
import { agentStages, type AgentTask, type LabelRow } from '../../src/model/index.js';
import { startEncordFixture, type EncordFixture } from '../fake-encord/harness.js';

let fx: EncordFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

async function listAll(f: EncordFixture, stageUuid: string): Promise<AgentTask[]> {
  const out: AgentTask[] = [];
  let pageToken: string | undefined;
  do {
    const page = await f.backend.listStageTasks(f.project.projectHash, stageUuid, pageToken ? { pageToken } : {});
    out.push(...page.tasks);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

const stageOf = (f: EncordFixture) => agentStages(f.project)[0]!;

describe('EncordBackend.getProject', () => {
  it.each(['camel', 'snake'] as const)('reads the project, workflow and ontology (%s case keys)', async (style) => {
    fx = await startEncordFixture({ style });
    const project = await fx.backend.getProject(fx.project.projectHash);
    expect(project).toEqual(fx.project);
    expect(fx.fake.counts()).toEqual({ 'GET project': 1 });
  });

  it('fetches the ontology separately only when the project comes without it', async () => {
    fx = await startEncordFixture();
    fx.fake.inject('GET project', {
      kind: 'run',
      run: () => fx!.fake.setOmitEmbeddedOntology(true),
    });
    const project = await fx.backend.getProject(fx.project.projectHash);
    expect(project.ontology).toEqual(fx.project.ontology);
    expect(fx.fake.counts()).toEqual({ 'GET project': 1, 'GET ontology': 1 });
  });

  it('says the project was not found for an unknown hash', async () => {
    fx = await startEncordFixture();
    await expect(fx.backend.getProject('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'backend/project-not-found' });
  });

  it('refuses a malformed hash without a request', async () => {
    fx = await startEncordFixture();
    await expect(fx.backend.getProject('not-a-hash')).rejects.toMatchObject({ code: 'backend/project-not-found' });
    expect(fx.fake.total()).toBe(0);
  });

  it('refuses a project without a workflow with a clear error', async () => {
    fx = await startEncordFixture({ withoutWorkflow: true });
    const error = await fx.backend.getProject(fx.project.projectHash).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: 'encord/no-workflow' });
    expect((error as BackendError).message).toMatch(/has no workflow/);
  });

  it('maps a rejected signature to encord/authentication with a hint', async () => {
    fx = await startEncordFixture();
    const other = await startEncordFixture();
    try {
      // The other fixture's backend signs with a key this fake does not know.
      const stranger = new (fx.backend.constructor as typeof import('../../src/backends/encord/encord-backend.js').EncordBackend)({
        domain: fx.fake.url,
        credentials: { kind: 'ssh', key: (await import('../../src/backends/encord/ssh-key.js')).parseOpenSshPrivateKey(other.key.text), source: 'ENCORD_SSH_KEY' },
      });
      const error = await stranger.getProject(fx.project.projectHash).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'encord/authentication' });
      expect((error as BackendError).hint).toMatch(/public key/i);
      await stranger.close();
    } finally {
      await other.close();
    }
  });
});

describe('EncordBackend.listStageTasks', () => {
  it('pages through a stage with the nextPageToken', async () => {
    fx = await startEncordFixture({ tasks: 25, pageSize: 10 });
    const tasks = await listAll(fx, stageOf(fx).uuid);
    expect(tasks.map((t) => t.uuid)).toEqual(fx.tasks.map((t) => t.task.uuid));
    expect(fx.fake.counts()['GET tasks']).toBe(3);
  });

  it('follows offset page tokens too (the fake can serve either kind)', async () => {
    fx = await startEncordFixture({ tasks: 25, pageSize: 10, pagination: 'offset' });
    const tasks = await listAll(fx, stageOf(fx).uuid);
    expect(tasks.map((t) => t.uuid)).toEqual(fx.tasks.map((t) => t.task.uuid));
    // With offsets, moving the first page out shifts the rest: a client following the old token skips tasks.
    const first = await fx.backend.listStageTasks(fx.project.projectHash, stageOf(fx).uuid);
    const state = fx.fake.state(fx.project.projectHash);
    for (const t of first.tasks) state.moveTaskElsewhere(t.uuid);
    const second = await fx.backend.listStageTasks(fx.project.projectHash, stageOf(fx).uuid, { pageToken: first.nextPageToken! });
    expect(second.tasks[0]!.uuid).toBe(fx.tasks[20]!.task.uuid);
  });

  it('sends filters to the server (repeated keys, percent-encoded)', async () => {
    fx = await startEncordFixture({ tasks: 30, style: 'snake' });
    const wanted = fx.tasks.slice(0, 3).map((t) => t.task.dataHash);
    const page = await fx.backend.listStageTasks(fx.project.projectHash, stageOf(fx).uuid, {
      filter: { dataHashes: wanted, statuses: ['NEW', 'ASSIGNED', 'RELEASED', 'SKIPPED', 'REOPENED'], userEmails: [] },
    });
    expect(page.tasks.map((t) => t.dataHash).sort()).toEqual([...wanted].sort());
    const byTitle = await fx.backend.listStageTasks(fx.project.projectHash, stageOf(fx).uuid, { filter: { dataTitleContains: 'LONDON' } });
    expect(byTitle.tasks.every((t) => t.dataTitle.toLowerCase().includes('london'))).toBe(true);
    expect(fx.fake.requests[0]!.url).toMatch(/dataHashes=[^&]+&dataHashes=/);
  });
});

describe('EncordBackend.fetchTaskRecords', () => {
  it('makes one metadata call per batch and no label-row calls when labels are not needed', async () => {
    fx = await startEncordFixture({ tasks: 30 });
    const tasks = fx.tasks.map((t) => t.task).reverse();
    const records = await fx.backend.fetchTaskRecords(fx.project.projectHash, tasks, { labels: false, clientMetadata: false });
    expect(records.map((r) => r.task.uuid)).toEqual(tasks.map((t) => t.uuid));
    expect(records.every((r) => r.metadata.data_hash === r.task.dataHash && r.labelRow === undefined)).toBe(true);
    expect(records.every((r) => !('client_metadata' in r.metadata))).toBe(true);
    expect(records[0]!.metadata.workflow_graph_node?.uuid).toBe(stageOf(fx).uuid);
    expect(fx.fake.counts()).toEqual({ 'v1 labelrowmetadata GET': 1 });
  });

  it('asks for client metadata only when needed', async () => {
    fx = await startEncordFixture({ tasks: 10 });
    const records = await fx.backend.fetchTaskRecords(fx.project.projectHash, fx.tasks.map((t) => t.task), { labels: false, clientMetadata: true });
    expect(records.map((r) => r.metadata.client_metadata)).toEqual(fx.tasks.map((t) => t.metadata.client_metadata));
  });

  it('fetches full rows in one call and creates the missing ones with one PUT', async () => {
    fx = await startEncordFixture({ tasks: 30 });
    const missing = fx.tasks.filter((t) => t.metadata.label_hash === null);
    expect(missing.length).toBeGreaterThan(0);
    const records = await fx.backend.fetchTaskRecords(fx.project.projectHash, fx.tasks.map((t) => t.task), { labels: true, clientMetadata: false });
    for (const [i, r] of records.entries()) {
      expect(r.labelRow?.data_hash).toBe(fx.tasks[i]!.task.dataHash);
      expect(r.labelRow?.label_hash).toBeTruthy();
      expect(r.metadata.label_hash).toBe(r.labelRow?.label_hash);
    }
    const initialised = records.find((r, i) => fx!.tasks[i]!.metadata.label_hash !== null)!;
    expect(initialised.labelRow?.classification_answers).toEqual(fx.tasks.find((t) => t.task.uuid === initialised.task.uuid)!.labelRow.classification_answers);
    expect(fx.fake.counts()).toEqual({ 'v1 labelrowmetadata GET': 1, 'v1 labelrow GET': 1, 'v1 labelrow PUT': 1 });
  });
});

function commitFor(f: EncordFixture, count: number, make: (t: AgentTask, i: number) => Partial<TaskCommit>): TaskCommit[] {
  return f.tasks.slice(0, count).map((s, i) => ({ taskUuid: s.task.uuid, dataHash: s.task.dataHash, ...make(s.task, i) }));
}

describe('label-row creation after an ambiguous failure', () => {
  it('re-reads the metadata instead of creating rows twice', async () => {
    fx = await startEncordFixture({ tasks: 12 });
    const missing = fx.tasks.filter((t) => t.metadata.label_hash === null);
    fx.fake.inject('v1 labelrow PUT', { kind: 'drop-after' });
    const records = await fx.backend.fetchTaskRecords(fx.project.projectHash, missing.map((t) => t.task), { labels: true, clientMetadata: false });
    expect(records.every((r) => typeof r.labelRow?.label_hash === 'string')).toBe(true);
    const state = fx.fake.state(fx.project.projectHash);
    expect(records.map((r) => r.labelRow?.label_hash)).toEqual(missing.map((t) => state.metadataFor(t.task.dataHash)?.label_hash));
    expect(fx.fake.counts()).toEqual({ 'v1 labelrowmetadata GET': 2, 'v1 labelrow PUT': 1, 'v1 labelrow GET': 1 });
  });
});

describe('EncordBackend.commitBatch', () => {
  it('sets priorities and moves tasks with one call each, in that order', async () => {
    fx = await startEncordFixture({ tasks: 40 });
    const stage = stageOf(fx);
    const pathway = stage.pathways[0]!;
    const tasks = commitFor(fx, 40, (t) => ({ priority: t.dataTitle.toLowerCase().includes('london') ? 1 : 0, pathwayUuid: pathway.uuid }));
    const outcomes = await fx.backend.commitBatch(fx.project.projectHash, { stageUuid: stage.uuid, tasks });
    expect(outcomes.every((o) => o.status === 'ok' && o.prioritySet && o.moved && !o.labelsSaved)).toBe(true);
    expect(fx.fake.requests.map((r) => r.endpoint)).toEqual(['POST priorities', 'POST actions']);
    const state = fx.fake.state(fx.project.projectHash);
    expect(state.tasksInStage(stage.uuid)).toHaveLength(0);
    expect(state.metadataFor(tasks[0]!.dataHash)?.priority).toBe(tasks[0]!.priority);
    expect(state.metadataFor(tasks[0]!.dataHash)?.workflow_graph_node?.uuid).toBe(pathway.destinationUuid);
  });

  it('keeps 0.0 priorities (the reference runner drops them)', async () => {
    fx = await startEncordFixture({ tasks: 3 });
    const tasks = commitFor(fx, 3, () => ({ priority: 0 }));
    await fx.backend.commitBatch(fx.project.projectHash, { stageUuid: stageOf(fx).uuid, tasks });
    expect(fx.fake.state(fx.project.projectHash).metadataFor(tasks[0]!.dataHash)?.priority).toBe(0);
  });

  it('splits label saves into calls of at most 100 rows, creating missing rows first', async () => {
    fx = await startEncordFixture({ tasks: 250 });
    const records = await fx.backend.fetchTaskRecords(fx.project.projectHash, fx.tasks.map((t) => t.task), { labels: false, clientMetadata: false });
    fx.fake.resetCounts();
    const tasks: TaskCommit[] = fx.tasks.map((s, i) => ({
      taskUuid: s.task.uuid,
      dataHash: s.task.dataHash,
      labelRow: { ...s.labelRow, label_hash: records[i]!.metadata.label_hash, object_actions: { edited: { n: i } } } as LabelRow,
    }));
    const outcomes = await fx.backend.commitBatch(fx.project.projectHash, { stageUuid: stageOf(fx).uuid, tasks });
    expect(outcomes.every((o) => o.status === 'ok' && o.labelsSaved && !o.moved)).toBe(true);
    expect(fx.fake.counts()).toEqual({ 'v1 labelrow PUT': 1, 'v1 labelrow POST': 3 });
    const saved = fx.fake.state(fx.project.projectHash).rowFor(tasks[249]!.dataHash);
    expect(saved?.object_actions).toEqual({ edited: { n: 249 } });
    expect(saved?.label_hash).toBeTruthy();
  });

  it('does not move a task whose label save failed, and moves the others', async () => {
    fx = await startEncordFixture({ tasks: 6 });
    const stage = stageOf(fx);
    const records = await fx.backend.fetchTaskRecords(fx.project.projectHash, fx.tasks.map((t) => t.task), { labels: true, clientMetadata: false });
    const tasks: TaskCommit[] = records.map((r, i) => ({
      taskUuid: r.task.uuid,
      dataHash: r.task.dataHash,
      // Task 2's row is corrupt: Encord rejects the whole save.
      labelRow: i === 2 ? ({ ...r.labelRow, data_units: [] } as unknown as LabelRow) : r.labelRow!,
      priority: 0.25,
      pathwayUuid: stage.pathways[0]!.uuid,
    }));
    fx.fake.resetCounts();
    const outcomes = await fx.backend.commitBatch(fx.project.projectHash, { stageUuid: stage.uuid, tasks });
    // Saves first (split to isolate the corrupt row), then priorities, then moves; task 2 gets neither.
    const order = fx.fake.requests.map((r) => r.endpoint);
    expect(order.slice(-2)).toEqual(['POST priorities', 'POST actions']);
    expect(new Set(order.slice(0, -2))).toEqual(new Set(['v1 labelrow POST']));
    expect(fx.fake.state(fx.project.projectHash).metadataFor(tasks[2]!.dataHash)?.priority).not.toBe(0.25);
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'ok', 'failed', 'ok', 'ok', 'ok']);
    expect(outcomes[2]).toMatchObject({ labelsSaved: false, moved: false });
    expect(outcomes[2]!.error).toMatch(/CORRUPTED_LABEL/);
    expect(fx.fake.state(fx.project.projectHash).tasksInStage(stage.uuid).map((t) => t.uuid)).toEqual([tasks[2]!.taskUuid]);
  });

  it('reports a task that left the stage before the proceed as stale and moves the rest', async () => {
    fx = await startEncordFixture({ tasks: 8 });
    const stage = stageOf(fx);
    const tasks = commitFor(fx, 8, () => ({ priority: 0.7, pathwayUuid: stage.pathways[0]!.uuid }));
    const state = fx.fake.state(fx.project.projectHash);
    state.moveTaskElsewhere(tasks[3]!.taskUuid);
    const outcomes = await fx.backend.commitBatch(fx.project.projectHash, { stageUuid: stage.uuid, tasks });
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'stale', 'ok', 'ok', 'ok', 'ok']);
    expect(outcomes[3]).toMatchObject({ prioritySet: true, moved: false });
    expect(state.tasksInStage(stage.uuid)).toHaveLength(0);
    expect(fx.fake.counts()).toEqual({ 'POST priorities': 1, 'POST actions': 2, 'GET tasks': 1 });
    expect([...state.moves.values()].every((n) => n === 1)).toBe(true);
  });

  it('isolates an action Encord rejects for another reason, without failing the rest', async () => {
    fx = await startEncordFixture({ tasks: 8 });
    const stage = stageOf(fx);
    const tasks = commitFor(fx, 8, (_t, i) => ({ pathwayUuid: i === 5 ? '00000000-0000-4000-8000-00000000dead' : stage.pathways[0]!.uuid }));
    const outcomes = await fx.backend.commitBatch(fx.project.projectHash, { stageUuid: stage.uuid, tasks });
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'failed', 'ok', 'ok']);
    expect(outcomes[5]!.error).toMatch(/no pathway/);
  });

  it('sends at most 1000 actions and 1000 priorities per call', async () => {
    fx = await startEncordFixture({ tasks: 1500 });
    const stage = stageOf(fx);
    const tasks = commitFor(fx, 1500, () => ({ priority: 0.5, pathwayUuid: stage.pathways[0]!.uuid }));
    const outcomes = await fx.backend.commitBatch(fx.project.projectHash, { stageUuid: stage.uuid, tasks });
    expect(outcomes.filter((o) => o.status === 'ok')).toHaveLength(1500);
    expect(fx.fake.counts()).toEqual({ 'POST priorities': 2, 'POST actions': 2 });
  });
});
