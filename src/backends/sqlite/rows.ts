/**
 * Between a task's Encord shapes (AgentTask, LabelRowMetadata, LabelRow) and a `tasks` row.
 * The fields rules and paging read most are columns; the rest of the metadata is JSON; the
 * label row is JSON that is parsed only when labels are asked for.
 */
import type { AgentTask, DocumentNeeds, LabelRow, LabelRowMetadata, Stage, TaskStatus } from '../../model/index.js';
import { createEmptyLabelRow } from '../../labels/label-row.js';
import { deriveUuid } from '../../util/random.js';

/** A task as the store receives it: the generator's and the importer's output. */
export interface TaskInput {
  task: AgentTask;
  metadata: LabelRowMetadata;
  labelRow: LabelRow | null;
}

/** The columns every record read selects, from `tasks t JOIN task_states s`. */
export const TASK_COLUMNS = `s.seq, s.uuid, s.stage_uuid, s.status, s.data_hash, t.data_title, t.data_type,
  t.dataset_hash, s.priority, t.label_hash, s.assignee, s.last_actioned_by, t.label_branch_name, t.created_at,
  s.updated_at, t.metadata_json`;

/**
 * A TaskRow from a raw() result row of TASK_COLUMNS plus the three optional columns.
 * raw() with a fixed-shape literal is about twice as fast as better-sqlite3's row objects,
 * which matters at tens of thousands of tasks a second.
 */
export function toTaskRow(v: unknown[]): TaskRow {
  return {
    seq: v[0] as number,
    uuid: v[1] as string,
    stage_uuid: v[2] as string,
    status: v[3] as string,
    data_hash: v[4] as string,
    data_title: v[5] as string,
    data_type: v[6] as string,
    dataset_hash: v[7] as string,
    priority: v[8] as number | null,
    label_hash: v[9] as string | null,
    assignee: v[10] as string | null,
    last_actioned_by: v[11] as string | null,
    label_branch_name: v[12] as string,
    created_at: v[13] as string,
    updated_at: v[14] as string,
    metadata_json: v[15] as string,
    client_metadata_json: (v[16] ?? null) as string | null,
    label_row_json: (v[17] ?? null) as string | null,
    initial_label_row_json: (v[18] ?? null) as string | null,
  };
}

/** The AgentTask of a raw() row of AGENT_TASK_COLUMNS; the seq comes first. */
export function toAgentTask(v: unknown[]): AgentTask {
  return {
    uuid: v[1] as string,
    createdAt: v[6] as string,
    updatedAt: v[7] as string,
    status: v[2] as TaskStatus,
    dataHash: v[3] as string,
    dataTitle: v[4] as string,
    labelBranchName: v[5] as string,
    assignee: v[8] as string | null,
    lastActionedBy: v[9] as string | null,
  };
}

/** The columns of an AgentTask alone (stage listings). */
export const AGENT_TASK_COLUMNS = `s.seq, s.uuid, s.status, s.data_hash, t.data_title, t.label_branch_name,
  t.created_at, s.updated_at, s.assignee, s.last_actioned_by`;

export interface TaskRow {
  seq: number;
  uuid: string;
  stage_uuid: string;
  status: string;
  data_hash: string;
  data_title: string;
  data_type: string;
  dataset_hash: string;
  priority: number | null;
  label_hash: string | null;
  assignee: string | null;
  last_actioned_by: string | null;
  label_branch_name: string;
  created_at: string;
  updated_at: string;
  metadata_json: string;
  client_metadata_json?: string | null;
  label_row_json?: string | null;
  initial_label_row_json?: string | null;
}

/** The seq is given, not assigned: bulk loads number their rows themselves (bulk-insert.ts). */
export const INSERT_TASK_SQL = `INSERT INTO tasks (seq, project_hash, data_title, data_type, dataset_hash,
  label_branch_name, created_at, label_hash, metadata_json, client_metadata_json, label_row_json,
  initial_label_row_json, initial_label_hash, initial_stage_uuid, initial_status, initial_priority, initial_assignee,
  initial_updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`;

export const INSERT_TASK_STATE_SQL = `INSERT INTO task_states (seq, project_hash, uuid, data_hash, stage_uuid, status,
  priority, assignee, last_actioned_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Parameters for INSERT_TASK_SQL and INSERT_TASK_STATE_SQL, after the seq. */
export interface TaskInsertPlan {
  task: unknown[];
  state: unknown[];
}

/** A label row with no labels and no hash is what Encord would create on first use: not stored. */
function isUninitialisedRow(row: LabelRow): boolean {
  if (row.label_hash !== null) return false;
  for (const key in row.classification_answers) return false;
  for (const key in row.object_answers) return false;
  for (const key in row.object_actions) return false;
  for (const unit of Object.values(row.data_units)) {
    const labels = (unit as { labels?: { objects?: unknown[]; classifications?: unknown[] } }).labels;
    if ((labels?.objects?.length ?? 0) > 0 || (labels?.classifications?.length ?? 0) > 0) return false;
  }
  return true;
}

/**
 * Insert parameters for one task of a project. The task starts in the stage its metadata
 * names (workflow_graph_node) when that is one of `stageUuids`, else in `defaultStageUuid`.
 */
export function planTaskInsert(
  projectHash: string,
  stageUuids: ReadonlySet<string>,
  defaultStageUuid: string,
  input: TaskInput,
): TaskInsertPlan {
  const { task, metadata, labelRow } = input;
  const named = metadata.workflow_graph_node?.uuid;
  const stageUuid = named !== undefined && stageUuids.has(named) ? named : defaultStageUuid;
  const {
    label_hash: labelHash,
    priority,
    workflow_graph_node: _stage,
    client_metadata: clientMetadata,
    // Kept as columns, laid back over the JSON on read.
    data_hash: _dataHash,
    data_title: _dataTitle,
    data_type: _dataType,
    dataset_hash: _datasetHash,
    ...rest
  } = metadata;
  const storedRow = labelRow === null || isUninitialisedRow(labelRow) ? null : JSON.stringify(labelRow);
  const rowHash = labelHash ?? (storedRow === null ? null : labelRow?.label_hash ?? null);
  const taskParams = [
    projectHash,
    metadata.data_title,
    metadata.data_type,
    metadata.dataset_hash,
    task.labelBranchName,
    task.createdAt,
    rowHash,
    JSON.stringify(rest),
    clientMetadata === undefined || clientMetadata === null ? null : JSON.stringify(clientMetadata),
    storedRow,
    rowHash,
    stageUuid,
    task.status,
    priority ?? null,
    task.assignee,
    task.updatedAt,
  ];
  const state = [
    projectHash,
    task.uuid,
    metadata.data_hash,
    stageUuid,
    task.status,
    priority ?? null,
    task.assignee,
    task.lastActionedBy,
    task.updatedAt,
  ];
  return { task: taskParams, state };
}

export function readAgentTask(row: Omit<TaskRow, 'stage_uuid' | 'data_type' | 'dataset_hash' | 'priority' | 'label_hash' | 'metadata_json'>): AgentTask {
  return {
    uuid: row.uuid,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    status: row.status as TaskStatus,
    dataHash: row.data_hash,
    dataTitle: row.data_title,
    labelBranchName: row.label_branch_name,
    assignee: row.assignee,
    lastActionedBy: row.last_actioned_by,
  };
}

/** What readMetadata sets from columns (client_metadata from its own): never read from the stored JSON. */
const COLUMN_FIELDS: ReadonlySet<string> = new Set([
  'label_hash',
  'data_hash',
  'data_title',
  'data_type',
  'dataset_hash',
  'priority',
  'workflow_graph_node',
  'client_metadata',
]);

/**
 * The stored-JSON keys (as `"name":`) whose presence in a row means its metadata JSON must be
 * parsed for these needs; undefined when it must always be. With labels it always is (an empty
 * label row is built from the whole metadata); otherwise only fields the columns do not give
 * can come from the JSON, and a row whose text has none of those keys as `"name":` holds none
 * of them. (The JSON is written by JSON.stringify, so keys are in that canonical form; a match
 * inside a string value only costs a parse.)
 */
export function storedKeysToFind(needs: DocumentNeeds): string[] | undefined {
  if (needs.labels || needs.fields === undefined) return undefined;
  return needs.fields.filter((f) => !COLUMN_FIELDS.has(f)).map((f) => `${JSON.stringify(f)}:`);
}

/**
 * Metadata as Encord returns it: the stored JSON with the live columns laid over it. With
 * `keysToFind` (storedKeysToFind) the JSON is parsed only if the row holds one of those keys:
 * the metadata then holds at least every field the needs name.
 */
export function readMetadata(row: TaskRow, stage: Stage | undefined, withClientMetadata: boolean, keysToFind?: readonly string[]): LabelRowMetadata {
  const json = row.metadata_json;
  const parse = keysToFind === undefined || keysToFind.some((key) => json.includes(key));
  const metadata = (parse ? JSON.parse(json) : {}) as LabelRowMetadata;
  metadata.label_hash = row.label_hash;
  metadata.data_hash = row.data_hash;
  metadata.data_title = row.data_title;
  metadata.data_type = row.data_type;
  metadata.dataset_hash = row.dataset_hash;
  metadata.priority = row.priority;
  metadata.workflow_graph_node = stage ? { uuid: stage.uuid, title: stage.title } : null;
  if (withClientMetadata) {
    metadata.client_metadata = row.client_metadata_json ? (JSON.parse(row.client_metadata_json) as Record<string, unknown>) : {};
  }
  return metadata;
}

/** The label hash Encord would assign when creating this task's row; stable, so re-reads agree. */
export function deriveLabelHash(taskUuid: string): string {
  return deriveUuid('label-hash', taskUuid);
}

/** The full label row: saved, or as imported, or the empty row Encord creates on first use. */
export function readLabelRow(row: TaskRow, metadata: LabelRowMetadata): LabelRow {
  const json = row.label_row_json ?? row.initial_label_row_json;
  if (json) return JSON.parse(json) as LabelRow;
  return createEmptyLabelRow(metadata, row.label_hash ?? deriveLabelHash(row.uuid));
}
