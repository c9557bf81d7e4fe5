/**
 * The contract every Backend passes, run against a backend seeded with a demo project.
 * Usage: describeBackendContract('sqlite', async (demo) => ({ backend, projectHash, cleanup }))
 * where the backend holds exactly `demo` (generateDemoProject(CONTRACT_DEMO) output).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendError, type Backend, type TaskCommit } from '../src/backends/backend.js';
import { generateDemoProject, type DemoProject, type DemoTask } from '../src/demo/index.js';
import type { LabelRow, Project, Stage } from '../src/model/index.js';

/** The demo the setup must load: small enough for every test to start from a fresh copy. */
export const CONTRACT_DEMO = { tasks: 120, seed: 42 } as const;

export interface ContractSubject {
  backend: Backend;
  projectHash: string;
  cleanup(): Promise<void>;
}

function stageNamed(project: Project, title: string): Stage {
  const stage = project.workflow.stages.find((s) => s.title === title);
  if (!stage) throw new Error(`no stage ${title}`);
  return stage;
}

function withoutKey<T extends object>(value: T, key: string): Omit<T, never> {
  const copy = { ...value } as Record<string, unknown>;
  delete copy[key];
  return copy as T;
}

async function listAll(backend: Backend, projectHash: string, stageUuid: string, pageSize?: number, filter = {}): Promise<string[]> {
  const uuids: string[] = [];
  let pageToken: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await backend.listStageTasks(projectHash, stageUuid, { pageSize, pageToken, filter });
    uuids.push(...page.tasks.map((t) => t.uuid));
    pageToken = page.nextPageToken;
    if (pageToken === undefined) return uuids;
  }
  throw new Error('listing never ended');
}

function sorted(values: string[]): string[] {
  return [...values].sort();
}

export function describeBackendContract(name: string, setup: (demo: DemoProject) => Promise<ContractSubject>): void {
  describe(`Backend contract: ${name}`, () => {
    const demo = generateDemoProject(CONTRACT_DEMO);
    const preLabel = stageNamed(demo.project, 'pre-label');
    const annotate = stageNamed(demo.project, 'Annotate');
    const pathway = preLabel.pathways[0] as NonNullable<Stage['pathways'][0]>;
    const byUuid = new Map(demo.tasks.map((t) => [t.task.uuid, t]));
    let subject: ContractSubject;
    let backend: Backend;
    let projectHash: string;

    beforeEach(async () => {
      subject = await setup(demo);
      backend = subject.backend;
      projectHash = subject.projectHash;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    const commit = (tasks: TaskCommit[], stageUuid = preLabel.uuid) => backend.commitBatch(projectHash, { stageUuid, tasks });
    const task = (i: number): DemoTask => demo.tasks[i] as DemoTask;
    const move = (t: DemoTask): TaskCommit => ({ taskUuid: t.task.uuid, dataHash: t.task.dataHash, pathwayUuid: pathway.uuid });
    const fetchOne = async (t: DemoTask, labels = false) =>
      (await backend.fetchTaskRecords(projectHash, [t.task], { labels, clientMetadata: false }))[0]!;

    it('returns the project with its workflow and ontology', async () => {
      const project = await backend.getProject(projectHash);
      expect(project.projectHash).toBe(demo.project.projectHash);
      expect(project.projectType).toBe('workflow');
      expect(project.workflow).toEqual(demo.project.workflow);
      expect(project.ontology).toEqual(demo.project.ontology);
    });

    it('rejects an unknown project with a BackendError on every call', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      await expect(backend.getProject(unknown)).rejects.toBeInstanceOf(BackendError);
      await expect(backend.listStageTasks(unknown, preLabel.uuid)).rejects.toBeInstanceOf(BackendError);
      await expect(backend.fetchTaskRecords(unknown, [task(0).task], { labels: false, clientMetadata: false })).rejects.toBeInstanceOf(BackendError);
      await expect(backend.commitBatch(unknown, { stageUuid: preLabel.uuid, tasks: [move(task(0))] })).rejects.toBeInstanceOf(BackendError);
    });

    it.each([undefined, 1, 7, 50, 1000])('pages cover every task exactly once (page size %s)', async (pageSize) => {
      const uuids = await listAll(backend, projectHash, preLabel.uuid, pageSize);
      expect(uuids).toHaveLength(demo.tasks.length);
      expect(sorted(uuids)).toEqual(sorted(demo.tasks.map((t) => t.task.uuid)));
    });

    it('keeps its keysetListing promise: tasks moving out mid-listing make it skip or repeat none', async () => {
      // Only a backend that makes the promise is held to it (the runner trusts it with its memory).
      if (!backend.keysetListing) return;
      const listed: string[] = [];
      const movedEarly = new Set<string>();
      let pageToken: string | undefined;
      do {
        const page = await backend.listStageTasks(projectHash, preLabel.uuid, { pageSize: 7, ...(pageToken ? { pageToken } : {}) });
        listed.push(...page.tasks.map((t) => t.uuid));
        // Move out every other task just listed, and one not yet listed (it must then not appear).
        const unlisted = demo.tasks.find((t) => !listed.includes(t.task.uuid) && !movedEarly.has(t.task.uuid)) as DemoTask | undefined;
        const leaving = page.tasks.filter((_, i) => i % 2 === 0).map((t) => byUuid.get(t.uuid) as DemoTask);
        if (unlisted) movedEarly.add(unlisted.task.uuid);
        await commit([...leaving, ...(unlisted ? [unlisted] : [])].map(move));
        pageToken = page.nextPageToken;
      } while (pageToken);
      expect(new Set(listed).size).toBe(listed.length);
      const expected = demo.tasks.map((t) => t.task.uuid).filter((uuid) => !movedEarly.has(uuid));
      expect(sorted(listed)).toEqual(sorted(expected));
    });

    it('lists tasks as Encord AgentTasks', async () => {
      const page = await backend.listStageTasks(projectHash, preLabel.uuid, { pageSize: 1000 });
      for (const listed of page.tasks) expect(listed).toEqual(byUuid.get(listed.uuid)?.task);
      expect(await listAll(backend, projectHash, annotate.uuid)).toEqual([]);
    });

    it('filters by data hash, dataset and status', async () => {
      const some = [task(3), task(17), task(99)];
      const byHash = await listAll(backend, projectHash, preLabel.uuid, undefined, { dataHashes: some.map((t) => t.task.dataHash) });
      expect(sorted(byHash)).toEqual(sorted(some.map((t) => t.task.uuid)));

      const dataset = task(0).metadata.dataset_hash;
      const inDataset = demo.tasks.filter((t) => t.metadata.dataset_hash === dataset).map((t) => t.task.uuid);
      expect(sorted(await listAll(backend, projectHash, preLabel.uuid, undefined, { datasetHashes: [dataset] }))).toEqual(sorted(inDataset));

      const statuses = ['ASSIGNED', 'SKIPPED'] as const;
      const withStatus = demo.tasks.filter((t) => (statuses as readonly string[]).includes(t.task.status)).map((t) => t.task.uuid);
      expect(withStatus.length).toBeGreaterThan(0);
      expect(sorted(await listAll(backend, projectHash, preLabel.uuid, undefined, { statuses: [...statuses] }))).toEqual(sorted(withStatus));
    });

    it('filters by title substring and by user email', async () => {
      const found = await listAll(backend, projectHash, preLabel.uuid, undefined, { dataTitleContains: 'london' });
      const exact = demo.tasks.filter((t) => t.task.dataTitle.includes('london')).map((t) => t.task.uuid);
      expect(exact.length).toBeGreaterThan(0);
      expect(found).toEqual(expect.arrayContaining(exact));
      for (const uuid of found) expect(byUuid.get(uuid)?.task.dataTitle.toLowerCase()).toContain('london');

      const email = demo.tasks.find((t) => t.task.assignee)?.task.assignee as string;
      const mine = await listAll(backend, projectHash, preLabel.uuid, undefined, { userEmails: [email] });
      const assigned = demo.tasks.filter((t) => t.task.assignee === email).map((t) => t.task.uuid);
      expect(mine).toEqual(expect.arrayContaining(assigned));
      for (const uuid of mine) expect([byUuid.get(uuid)?.task.assignee, byUuid.get(uuid)?.task.lastActionedBy]).toContain(email);
    });

    it('fetches records in the order asked, with labels only when needed', async () => {
      const asked = [task(5), task(0), task(42), task(7)].map((t) => t.task);
      const records = await backend.fetchTaskRecords(projectHash, asked, { labels: false, clientMetadata: false });
      expect(records.map((r) => r.task.uuid)).toEqual(asked.map((t) => t.uuid));
      for (const record of records) {
        const expected = byUuid.get(record.task.uuid) as DemoTask;
        expect(record.labelRow).toBeUndefined();
        expect(record.metadata.client_metadata ?? null).toBeNull();
        expect(withoutKey(record.metadata, 'client_metadata')).toEqual(withoutKey(expected.metadata, 'client_metadata'));
      }
      const withClient = await backend.fetchTaskRecords(projectHash, asked, { labels: false, clientMetadata: true });
      withClient.forEach((r, i) => expect(r.metadata.client_metadata).toEqual(byUuid.get(asked[i]!.uuid)?.metadata.client_metadata));
    });

    it.each([
      [['data_title'], false],
      [['data_title', 'priority', 'task', 'uuid'], false],
      // every field the local store gives from columns without parsing the stored JSON
      [['label_hash', 'data_hash', 'data_title', 'data_type', 'dataset_hash', 'priority', 'workflow_graph_node'], false],
      [['file_type', 'width', 'nothing_by_this_name'], false],
      [['client_metadata', 'city', 'data_link'], true],
      [[], false],
    ])('fetches with needs.fields %j: every named field as in a full fetch', async (fields, clientMetadata) => {
      const asked = [task(3), task(0), task(11)].map((t) => t.task);
      const full = await backend.fetchTaskRecords(projectHash, asked, { labels: false, clientMetadata });
      const cut = await backend.fetchTaskRecords(projectHash, asked, { labels: false, clientMetadata, fields });
      const named = (m: object) => Object.fromEntries(Object.entries(m).filter(([key]) => fields.includes(key)));
      cut.forEach((record, i) => {
        expect(record.task).toEqual(full[i]!.task);
        expect(named(record.metadata)).toEqual(named(full[i]!.metadata));
        // What plans and writes read is always there.
        expect(record.metadata.priority).toEqual(full[i]!.metadata.priority);
        expect(record.metadata.data_hash).toEqual(full[i]!.metadata.data_hash);
      });
    });

    it('fetches full label rows, creating the ones never initialised', async () => {
      const initialised = demo.tasks.find((t) => t.metadata.label_hash !== null) as DemoTask;
      const fresh = demo.tasks.find((t) => t.metadata.label_hash === null) as DemoTask;
      const [a, b] = await backend.fetchTaskRecords(projectHash, [initialised.task, fresh.task], { labels: true, clientMetadata: false });
      expect(a?.labelRow).toEqual(initialised.labelRow);
      expect(typeof b?.labelRow?.label_hash).toBe('string');
      expect({ ...b?.labelRow, label_hash: null }).toEqual(fresh.labelRow);
    });

    it('sets priorities, 0 included, as real values', async () => {
      const t = demo.tasks.find((x) => x.metadata.priority === 0.5) as DemoTask;
      const [outcome] = await commit([{ taskUuid: t.task.uuid, dataHash: t.task.dataHash, priority: 0 }]);
      expect(outcome).toMatchObject({ taskUuid: t.task.uuid, status: 'ok', prioritySet: true, moved: false });
      expect((await fetchOne(t)).metadata.priority).toBe(0);
      await commit([{ taskUuid: t.task.uuid, dataHash: t.task.dataHash, priority: 1 }]);
      expect((await fetchOne(t)).metadata.priority).toBe(1);
    });

    it('saves whole label rows', async () => {
      const t = demo.tasks.find((x) => x.metadata.label_hash !== null) as DemoTask;
      const edited = structuredClone(t.labelRow) as LabelRow;
      edited.classification_answers = {};
      (Object.values(edited.data_units)[0] as { labels: { classifications: unknown[] } }).labels.classifications = [];
      const [outcome] = await commit([{ taskUuid: t.task.uuid, dataHash: t.task.dataHash, labelRow: edited }]);
      expect(outcome).toMatchObject({ status: 'ok', labelsSaved: true, moved: false });
      expect((await fetchOne(t, true)).labelRow).toEqual(edited);
    });

    it('moves tasks along the pathway to its destination', async () => {
      const moved = [task(1), task(2), task(3)];
      const outcomes = await commit(moved.map(move));
      expect(outcomes.map((o) => [o.taskUuid, o.status, o.moved])).toEqual(moved.map((t) => [t.task.uuid, 'ok', true]));
      const left = await listAll(backend, projectHash, preLabel.uuid);
      expect(left).toHaveLength(demo.tasks.length - 3);
      expect(sorted(await listAll(backend, projectHash, annotate.uuid))).toEqual(sorted(moved.map((t) => t.task.uuid)));
      expect((await fetchOne(task(1))).metadata.workflow_graph_node?.uuid).toBe(annotate.uuid);
    });

    it('reports a stale move per task without failing the batch', async () => {
      await commit([move(task(10))]);
      const outcomes = await commit([move(task(11)), move(task(10)), { ...move(task(12)), priority: 0.25 }]);
      expect(outcomes.map((o) => o.taskUuid)).toEqual([task(11), task(10), task(12)].map((t) => t.task.uuid));
      expect(outcomes[0]).toMatchObject({ status: 'ok', moved: true });
      expect(outcomes[1]).toMatchObject({ status: 'stale', moved: false });
      expect(outcomes[2]).toMatchObject({ status: 'ok', moved: true, prioritySet: true });
      expect((await listAll(backend, projectHash, annotate.uuid)).length).toBe(3);
    });

    it('fails a pathway that does not leave the stage, for that task only', async () => {
      const bogus = { taskUuid: task(20).task.uuid, dataHash: task(20).task.dataHash, pathwayUuid: annotate.uuid };
      const outcomes = await commit([bogus, move(task(21))]);
      expect(outcomes[0]).toMatchObject({ status: 'failed', moved: false });
      expect(outcomes[0]?.error).toBeTruthy();
      expect(outcomes[1]).toMatchObject({ status: 'ok', moved: true });
      expect((await fetchOne(task(20))).metadata.workflow_graph_node?.uuid).toBe(preLabel.uuid);
    });

    it('re-applying a batch changes nothing more', async () => {
      const t = demo.tasks.find((x) => x.metadata.label_hash !== null) as DemoTask;
      const batch: TaskCommit[] = [
        { ...move(t), priority: 0.9, labelRow: t.labelRow },
        { ...move(task(30)), priority: 0 },
      ];
      const first = await commit(batch);
      expect(first.map((o) => o.status)).toEqual(['ok', 'ok']);
      const state = async () => backend.fetchTaskRecords(projectHash, [t.task, task(30).task], { labels: true, clientMetadata: false });
      const after = await state();
      const second = await commit(batch);
      expect(second.map((o) => [o.status, o.moved])).toEqual([['stale', false], ['stale', false]]);
      const again = await state();
      expect(again.map((r) => [r.metadata.priority, r.metadata.workflow_graph_node, r.labelRow])).toEqual(
        after.map((r) => [r.metadata.priority, r.metadata.workflow_graph_node, r.labelRow]),
      );
      expect((await listAll(backend, projectHash, annotate.uuid)).length).toBe(2);
    });
  });
}
