/**
 * One project as the fake Encord holds it: which stage each task is in, label-row metadata,
 * label rows, priorities. Mutations follow the real service as encord-api.md describes it;
 * where it is silent, docs/encord.md lists what we assumed.
 */
import { randomUUID } from 'node:crypto';
import type { AgentTask, LabelRow, LabelRowMetadata, Project, Stage } from '../../src/model/index.js';

export interface SeedTask {
  task: AgentTask;
  metadata: LabelRowMetadata;
  /** The row as it is (label_hash set) or would be once created (label_hash null). */
  labelRow: LabelRow;
  /** Defaults to the metadata's workflow_graph_node. */
  stageUuid?: string;
}

interface HeldTask {
  task: AgentTask;
  stageUuid: string;
  seq: number;
}

export interface TaskQuery {
  dataHashes?: string[];
  datasetHashes?: string[];
  dataTitleContains?: string;
  statuses?: string[];
  userEmails?: string[];
}

/** A request the real API refuses as a whole: HTTP 400 on v2, an error envelope on v1. */
export class RejectedRequest extends Error {
  constructor(
    message: string,
    readonly v1Code = 'INVALID_ARGUMENTS_ERROR',
    readonly payload: unknown = message,
  ) {
    super(message);
  }
}

export interface PathwayAction {
  taskUuid: string;
  pathwayUuid?: string;
  pathwayName?: string;
}

export class FakeProjectState {
  readonly project: Project;
  private readonly tasks = new Map<string, HeldTask>();
  private readonly taskByDataHash = new Map<string, string>();
  private readonly metadata = new Map<string, LabelRowMetadata>();
  /** Rows by data hash; a row whose label_hash is null is not created yet. */
  private readonly rows = new Map<string, LabelRow>();
  private readonly dataHashByLabelHash = new Map<string, string>();
  /** How many times each task was moved: a double move is a bug the tests look for. */
  readonly moves = new Map<string, number>();
  private nextSeq = 0;

  constructor(project: Project, seed: Iterable<SeedTask>) {
    this.project = structuredClone(project);
    for (const s of seed) this.addTask(s);
  }

  addTask(seed: SeedTask): void {
    const stageUuid = seed.stageUuid ?? seed.metadata.workflow_graph_node?.uuid;
    if (!stageUuid) throw new Error(`seed task ${seed.task.uuid} has no stage`);
    this.tasks.set(seed.task.uuid, { task: structuredClone(seed.task), stageUuid, seq: this.nextSeq++ });
    this.taskByDataHash.set(seed.task.dataHash, seed.task.uuid);
    this.metadata.set(seed.task.dataHash, structuredClone(seed.metadata));
    this.rows.set(seed.task.dataHash, structuredClone(seed.labelRow));
    if (seed.labelRow.label_hash !== null) this.dataHashByLabelHash.set(seed.labelRow.label_hash, seed.task.dataHash);
  }

  stage(stageUuid: string): Stage | undefined {
    return this.project.workflow.stages.find((s) => s.uuid === stageUuid);
  }

  stageOf(taskUuid: string): string | undefined {
    return this.tasks.get(taskUuid)?.stageUuid;
  }

  tasksInStage(stageUuid: string): AgentTask[] {
    return [...this.tasks.values()].filter((t) => t.stageUuid === stageUuid).map((t) => t.task);
  }

  metadataFor(dataHash: string): LabelRowMetadata | undefined {
    return this.metadata.get(dataHash);
  }

  rowFor(dataHash: string): LabelRow | undefined {
    return this.rows.get(dataHash);
  }

  /** Tasks of a stage after `afterSeq`, filtered, in creation order, skipping `offset` of them. */
  queryStage(stageUuid: string, query: TaskQuery, afterSeq: number, offset: number, limit: number): { tasks: AgentTask[]; lastSeq?: number; more: boolean } {
    const title = query.dataTitleContains?.toLowerCase();
    const matching = [...this.tasks.values()].filter(
      (t) =>
        t.stageUuid === stageUuid &&
        t.seq > afterSeq &&
        (!query.dataHashes || query.dataHashes.includes(t.task.dataHash)) &&
        (!query.statuses || query.statuses.includes(t.task.status)) &&
        (!query.userEmails || (t.task.assignee !== null && query.userEmails.includes(t.task.assignee))) &&
        (!query.datasetHashes || query.datasetHashes.includes(this.metadata.get(t.task.dataHash)?.dataset_hash ?? '')) &&
        (title === undefined || t.task.dataTitle.toLowerCase().includes(title)),
    );
    const page = matching.slice(offset, offset + limit);
    return { tasks: page.map((t) => t.task), lastSeq: page.at(-1)?.seq, more: matching.length > offset + limit };
  }

  /** Validates every action first, then applies all: one stale task rejects the whole request, as Encord does. */
  applyPathwayActions(stageUuid: string, actions: PathwayAction[]): void {
    const stage = this.stage(stageUuid);
    if (!stage || stage.stageType !== 'AGENT') throw new RejectedRequest(`stage ${stageUuid} is not an agent stage`);
    const seen = new Set<string>();
    const moves = actions.map((action) => {
      const held = this.tasks.get(action.taskUuid);
      if (!held || held.stageUuid !== stageUuid) throw new RejectedRequest(`task ${action.taskUuid} is not in stage ${stage.title}`);
      if (seen.has(action.taskUuid)) throw new RejectedRequest(`task ${action.taskUuid} appears twice`);
      seen.add(action.taskUuid);
      const pathway = stage.pathways.find((p) =>
        action.pathwayUuid !== undefined ? p.uuid === action.pathwayUuid : p.name.toLowerCase() === action.pathwayName?.toLowerCase(),
      );
      if (!pathway) throw new RejectedRequest(`stage ${stage.title} has no pathway ${action.pathwayUuid ?? action.pathwayName}`);
      return { held, destination: pathway.destinationUuid };
    });
    for (const { held, destination } of moves) this.moveHeldTask(held, destination);
  }

  /** Someone else (a person, another agent) moves a task along a pathway: for staleness tests. */
  moveTaskElsewhere(taskUuid: string): void {
    const held = this.tasks.get(taskUuid);
    const stage = held && this.stage(held.stageUuid);
    const pathway = stage?.pathways[0];
    if (!held || !pathway) throw new Error(`task ${taskUuid} cannot be moved`);
    this.moveHeldTask(held, pathway.destinationUuid, false);
  }

  private moveHeldTask(held: HeldTask, destination: string, countAsOurs = true): void {
    held.stageUuid = destination;
    const stage = this.stage(destination);
    const metadata = this.metadata.get(held.task.dataHash);
    if (metadata) metadata.workflow_graph_node = stage ? { uuid: stage.uuid, title: stage.title } : null;
    if (countAsOurs) this.moves.set(held.task.uuid, (this.moves.get(held.task.uuid) ?? 0) + 1);
  }

  setPriorities(pairs: [string, number][]): void {
    for (const [dataHash, priority] of pairs) {
      if (!this.metadata.has(dataHash)) throw new RejectedRequest(`no task for data hash ${dataHash}`);
      if (typeof priority !== 'number' || !(priority >= 0 && priority <= 1)) throw new RejectedRequest(`priority ${priority} is not in [0, 1]`);
    }
    for (const [dataHash, priority] of pairs) (this.metadata.get(dataHash) as LabelRowMetadata).priority = priority;
  }

  /** v1 labelrowmetadata: rows for the given data hashes (all when absent), shaped by the include flags. */
  listMetadata(options: { dataHashes: string[] | null; includeClientMetadata: boolean; includeWorkflowGraphNode: boolean; includeUninitialised: boolean }): LabelRowMetadata[] {
    const hashes = options.dataHashes ?? [...this.metadata.keys()];
    const out: LabelRowMetadata[] = [];
    for (const hash of hashes) {
      const m = this.metadata.get(hash);
      if (!m || (!options.includeUninitialised && m.label_hash === null)) continue;
      const copy = structuredClone(m);
      if (!options.includeClientMetadata) delete copy.client_metadata;
      if (!options.includeWorkflowGraphNode) copy.workflow_graph_node = null;
      out.push(copy);
    }
    return out;
  }

  getRows(labelHashes: string[]): LabelRow[] {
    return labelHashes.map((hash) => {
      const row = this.rows.get(this.dataHashByLabelHash.get(hash) ?? '');
      if (!row) throw new RejectedRequest(`no label row ${hash}`, 'RESOURCE_NOT_FOUND_ERROR');
      return structuredClone(row);
    });
  }

  /** v1 labelrow PUT: initialises rows; an existing row is returned as it is. */
  createRows(dataHashes: string[]): LabelRow[] {
    return dataHashes.map((dataHash) => {
      const row = this.rows.get(dataHash);
      const metadata = this.metadata.get(dataHash);
      if (!row || !metadata) throw new RejectedRequest(`no data unit ${dataHash}`, 'RESOURCE_NOT_FOUND_ERROR');
      if (row.label_hash === null) {
        row.label_hash = randomUUID();
        metadata.label_hash = row.label_hash;
        this.dataHashByLabelHash.set(row.label_hash, dataHash);
      }
      return structuredClone(row);
    });
  }

  /** v1 labelrow POST (save): whole rows replace what is stored, matched by label hash. */
  saveRows(labelHashes: string[], labels: LabelRow[]): void {
    if (labelHashes.length !== labels.length) throw new RejectedRequest('uid and labels differ in length');
    const targets = labels.map((label, i) => {
      const hash = labelHashes[i];
      const dataHash = this.dataHashByLabelHash.get(hash ?? '');
      if (dataHash === undefined) throw new RejectedRequest(`no label row ${hash}`, 'RESOURCE_NOT_FOUND_ERROR');
      if (label?.label_hash !== hash || label.data_hash !== dataHash) throw new RejectedRequest(`label row ${hash} does not match its uid`);
      if (!isLabelShaped(label)) throw new RejectedRequest(`label row ${hash} is malformed`, 'CORRUPTED_LABEL_ERROR');
      return dataHash;
    });
    targets.forEach((dataHash, i) => {
      this.rows.set(dataHash, structuredClone(labels[i] as LabelRow));
      const metadata = this.metadata.get(dataHash) as LabelRowMetadata;
      if (metadata.label_status === 'NOT_LABELLED') metadata.label_status = 'LABEL_IN_PROGRESS';
    });
  }
}

function isLabelShaped(row: LabelRow): boolean {
  return ['data_units', 'classification_answers', 'object_answers', 'object_actions'].every(
    (k) => row[k] !== null && typeof row[k] === 'object' && !Array.isArray(row[k]),
  );
}
