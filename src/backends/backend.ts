/**
 * The one interface both backends implement: the local SQLite store and the Encord API.
 * Shaped after what Encord can do in bulk (encord-api.md): paged task listing per stage,
 * label rows for a batch of data hashes, bulk saves, bulk priorities, bulk proceed.
 * All task I/O lives behind it.
 */
import type { AgentTask, DocumentNeeds, LabelRow, Project, TaskRecord, TaskStatus } from '../model/index.js';

/** Server-side filters, as Encord's agent-stage task listing supports them. */
export interface TaskFilter {
  dataHashes?: string[];
  datasetHashes?: string[];
  dataTitleContains?: string;
  statuses?: TaskStatus[];
  userEmails?: string[];
}

export interface TaskPageRequest {
  filter?: TaskFilter;
  pageToken?: string;
  /** A hint; Encord chooses its own page size. */
  pageSize?: number;
}

export interface TaskPage {
  tasks: AgentTask[];
  nextPageToken?: string;
}

/** Everything to write for one task. Order of application: labelRow, priority, then the move. */
export interface TaskCommit {
  taskUuid: string;
  dataHash: string;
  /** The whole edited label row (Encord saves whole rows). */
  labelRow?: LabelRow;
  priority?: number;
  /** Proceed along this pathway of the batch's stage. */
  pathwayUuid?: string;
}

export interface CommitBatch {
  stageUuid: string;
  tasks: TaskCommit[];
}

export type TaskCommitStatus =
  /** Everything asked for was written. */
  | 'ok'
  /** The task had already left the stage: label/priority writes may have happened, the move did not. */
  | 'stale'
  /** A write failed; nothing after it was attempted for this task (never moved with unsaved edits). */
  | 'failed';

export interface TaskCommitOutcome {
  taskUuid: string;
  dataHash: string;
  status: TaskCommitStatus;
  labelsSaved: boolean;
  prioritySet: boolean;
  moved: boolean;
  error?: string;
}

export interface Backend {
  readonly kind: 'local' | 'encord';
  /**
   * True when a stage listing is a keyset cursor: followed from the start, it hands out each
   * task at most once and skips no task that stays in the stage, however many tasks move out
   * meanwhile. A runner then keeps nothing per task during a pass, so its memory does not grow
   * with the tasks it leaves in place. Absent: the runner remembers every task it handed out
   * and re-lists after moves (Encord's page tokens promise less).
   */
  readonly keysetListing?: boolean;
  /** The project with its workflow and ontology. Throws BackendError `backend/project-not-found`. */
  getProject(projectHash: string): Promise<Project>;
  /** One page of the tasks waiting in an agent stage. */
  listStageTasks(projectHash: string, stageUuid: string, request?: TaskPageRequest): Promise<TaskPage>;
  /**
   * Metadata (and full label rows when `needs.labels`) for these tasks, in the same order.
   * Rows that do not exist yet are created, as Encord does on first initialisation. With
   * `needs.fields`, metadata may leave out fields not named there (priority, data_hash and
   * the other fields a plan reads are always present).
   */
  fetchTaskRecords(projectHash: string, tasks: AgentTask[], needs: DocumentNeeds): Promise<TaskRecord[]>;
  /**
   * Writes a batch: label rows and priorities first, pathway moves last, so a crash at any
   * point leaves unmoved tasks that a re-run completes. One task's failure or staleness
   * never fails the others; every task gets an outcome, in input order.
   */
  commitBatch(projectHash: string, batch: CommitBatch): Promise<TaskCommitOutcome[]>;
  close(): Promise<void>;
}

/** An expected failure talking to a backend (not a bug): the CLI prints it as a diagnostic. */
export class BackendError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

/** The label rows to save: the documented per-call limit on Encord. */
export const MAX_LABEL_ROWS_PER_SAVE = 100;
/** Proceed actions and priorities per call on Encord. */
export const MAX_ACTIONS_PER_CALL = 1000;
