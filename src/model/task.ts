/**
 * Tasks and label rows in Encord's own shapes (encord-api.md §2(b), §2(e), §3.1).
 * Label rows stay plain JSON so a rule reads the same document on every backend.
 */
export type TaskStatus = 'NEW' | 'ASSIGNED' | 'RELEASED' | 'SKIPPED' | 'REOPENED' | 'COMPLETED';

/** A task waiting in an agent stage (v2 AgentTask, camelCase as on the wire). */
export interface AgentTask {
  uuid: string;
  createdAt: string;
  updatedAt: string;
  status: TaskStatus;
  dataHash: string;
  dataTitle: string;
  labelBranchName: string;
  assignee: string | null;
  lastActionedBy: string | null;
}

/** v1 LabelRowMetadata (snake_case as on the wire). Unknown keys are kept. */
export interface LabelRowMetadata {
  label_hash: string | null;
  data_hash: string;
  data_title: string;
  /** Upper case here (`IMAGE`, `VIDEO`, …), lower case in the full label row. */
  data_type: string;
  dataset_hash: string;
  dataset_title: string;
  label_status: string;
  priority: number | null;
  workflow_graph_node: { uuid: string; title: string } | null;
  client_metadata?: Record<string, unknown> | null;
  [key: string]: unknown;
}

/** The full label row (v1 `labelrow` GET response / save payload). */
export interface LabelRow {
  label_hash: string | null;
  data_hash: string;
  data_title: string;
  data_type: string;
  data_units: Record<string, unknown>;
  classification_answers: Record<string, unknown>;
  object_answers: Record<string, unknown>;
  object_actions: Record<string, unknown>;
  [key: string]: unknown;
}

/** The label-row keys that hold labels, as opposed to metadata. */
export const LABEL_FIELDS = ['data_units', 'classification_answers', 'object_answers', 'object_actions'] as const;

/** What a stage needs of a task, so a backend fetches no more than needed. */
export interface DocumentNeeds {
  /** Full label rows (classification answers, objects), not just metadata: read by an expression, or edited by an action. */
  labels: boolean;
  /** `client_metadata`, which Encord only returns when asked. */
  clientMetadata: boolean;
  /**
   * Every field name the expressions mention, at any depth; absent when they may read any
   * field (`$`, `*`, `$keys()`…). A backend may then leave out of `metadata` the fields not
   * named here, and skip the work of reading them.
   */
  fields?: readonly string[];
}

/** One task with what was fetched for it. `labelRow` is present when labels were asked for. */
export interface TaskRecord {
  task: AgentTask;
  metadata: LabelRowMetadata;
  labelRow?: LabelRow;
}
