/**
 * The Backend over a local store: the same semantics as Encord (encord-api.md §2), served
 * from SQLite with cached statements, keyset paging and one transaction per commit batch.
 */
import type { AgentTask, DocumentNeeds, Project, Stage, TaskRecord } from '../../model/index.js';
import { BackendError, type Backend, type CommitBatch, type TaskCommitOutcome, type TaskPage, type TaskPageRequest } from '../backend.js';
import { COMMIT_COLUMNS, commitStoreBatch, type CommitRow } from './commit.js';
import { TaskSeqs } from './task-seqs.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { ListedRows, type ListedRow } from './listed-rows.js';
import { readAgentTask, readLabelRow, readMetadata, storedKeysToFind, TASK_COLUMNS, toTaskRow, type TaskRow } from './rows.js';
import type { SqliteStore } from './store.js';

/** Encord picks its own page size; ours when none is hinted. */
export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 10_000;

export class SqliteBackend implements Backend {
  readonly kind = 'local' as const;
  /** Pages are `seq > cursor` in seq order (planStageQuery). */
  readonly keysetListing = true;
  private readonly seqs = new TaskSeqs();
  private readonly listed = new ListedRows();

  /** `ownsStore`: close() closes the store too. */
  constructor(
    readonly store: SqliteStore,
    private readonly ownsStore = true,
  ) {}

  async getProject(projectHash: string): Promise<Project> {
    return this.project(projectHash);
  }

  private project(projectHash: string): Project {
    return this.store.getProject(projectHash);
  }

  private stage(project: Project, stageUuid: string): Stage {
    const stage = project.workflow.stages.find((s) => s.uuid === stageUuid);
    if (!stage) {
      throw new BackendError('backend/stage-not-found', `project ${project.projectHash} has no stage ${stageUuid}`);
    }
    return stage;
  }

  async listStageTasks(projectHash: string, stageUuid: string, request: TaskPageRequest = {}): Promise<TaskPage> {
    this.stage(this.project(projectHash), stageUuid);
    const afterSeq = request.pageToken === undefined ? 0 : decodePageToken(request.pageToken, projectHash, stageUuid);
    const hint = request.pageSize !== undefined && Number.isFinite(request.pageSize) ? Math.floor(request.pageSize) : DEFAULT_PAGE_SIZE;
    const pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, hint));
    const { sql, params } = planStageQuery(request.filter ?? {});
    const rows = this.store.guard(
      () => this.store.prepareRaw(sql).all(projectHash, stageUuid, afterSeq, ...params, pageSize + 1) as unknown[][],
    );
    const tasks: AgentTask[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = toTaskRow(rows[i]!);
      this.seqs.remember(projectHash, row.uuid, row.seq);
      if (i === pageSize) break;
      const task = readAgentTask(row);
      tasks.push(task);
      this.listed.remember(projectHash, row, task);
    }
    const page: TaskPage = { tasks };
    const last = rows[pageSize - 1];
    if (rows.length > pageSize && last) page.nextPageToken = encodePageToken({ projectHash, stageUuid, afterSeq: last[0] as number });
    return page;
  }

  async fetchTaskRecords(projectHash: string, tasks: AgentTask[], needs: DocumentNeeds): Promise<TaskRecord[]> {
    const project = this.project(projectHash);
    if (tasks.length === 0) return [];
    const stages = new Map(project.workflow.stages.map((s) => [s.uuid, s]));
    // The listing that handed out these tasks usually read their rows already; label rows it
    // does not read, so a fetch of labels always goes to the store.
    const byUuid = needs.labels ? new Map<string, ListedRow>() : this.listed.take(projectHash, tasks);
    if (needs.labels) this.listed.forget(projectHash, tasks);
    if (byUuid.size < tasks.length) {
      // Unneeded columns are selected as NULL so positions stay fixed for toTaskRow.
      const extra = `${needs.clientMetadata ? ', t.client_metadata_json' : ', NULL'}${needs.labels ? ', t.label_row_json, t.initial_label_row_json' : ''}`;
      const missing = tasks.filter((t) => !byUuid.has(t.uuid)).map((t) => t.uuid);
      for (const v of this.selectTaskRows(projectHash, missing, `${TASK_COLUMNS}${extra}`)) {
        const row = toTaskRow(v);
        byUuid.set(row.uuid, { row, task: readAgentTask(row) });
      }
    }
    const keysToFind = storedKeysToFind(needs);
    return tasks.map(({ uuid }) => {
      const found = byUuid.get(uuid);
      if (!found) throw new BackendError('backend/task-not-found', `task ${uuid} is not in project ${projectHash}`);
      const { row, task } = found;
      const metadata = readMetadata(row, stages.get(row.stage_uuid), needs.clientMetadata, keysToFind);
      const record: TaskRecord = { task, metadata };
      if (needs.labels) record.labelRow = readLabelRow(row, metadata);
      return record;
    });
  }

  /**
   * Raw rows (`columns`, the uuid second) of these tasks: by rowid when this backend listed
   * them all, else through the uuid index. Rows of other projects are never returned.
   */
  private selectTaskRows(projectHash: string, uuids: string[], columns: string): unknown[][] {
    const seqs = this.seqs.lookup(projectHash, uuids);
    // `+s.project_hash`: keeps SQLite from scanning the project's index instead of probing rowids.
    // The wide table only when a `t.` column is asked for: commits need none of it.
    const from = columns.includes('t.') ? 'task_states s JOIN tasks t ON t.seq = s.seq' : 'task_states s';
    const bySeq = `SELECT ${columns} FROM ${from} WHERE s.seq IN (SELECT value FROM json_each(?)) AND +s.project_hash = ?`;
    const byUuid = `SELECT ${columns} FROM ${from} WHERE s.project_hash = ? AND s.uuid IN (SELECT value FROM json_each(?))`;
    return this.store.guard(() =>
      seqs
        ? (this.store.prepareRaw(bySeq).all(JSON.stringify(seqs), projectHash) as unknown[][])
        : (this.store.prepareRaw(byUuid).all(projectHash, JSON.stringify(uuids)) as unknown[][]),
    );
  }

  async commitBatch(projectHash: string, batch: CommitBatch): Promise<TaskCommitOutcome[]> {
    const stage = this.stage(this.project(projectHash), batch.stageUuid);
    // A listed row this commit changes must not be served to a later fetch.
    this.listed.forget(projectHash, batch.tasks.map((t) => ({ uuid: t.taskUuid })));
    const select = (uuids: string[]): CommitRow[] =>
      this.selectTaskRows(projectHash, uuids, COMMIT_COLUMNS).map((v) => ({
        seq: v[0] as number,
        uuid: v[1] as string,
        data_hash: v[2] as string,
        stage_uuid: v[3] as string,
      }));
    return commitStoreBatch(this.store, stage, batch.tasks, select, (uuid) => this.seqs.seqOf(projectHash, uuid));
  }

  async close(): Promise<void> {
    if (this.ownsStore) this.store.close();
  }
}

/** The SQL (and its filter parameters) for one page of a stage; keyset on `seq`. */
function planStageQuery(filter: NonNullable<TaskPageRequest['filter']>): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: string[] | undefined): void => {
    // An empty list filters nothing, as on Encord, where it sends no query parameter at all.
    if (values === undefined || values.length === 0) return;
    clauses.push(`AND ${column} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(values));
  };
  inList('s.data_hash', filter.dataHashes);
  inList('t.dataset_hash', filter.datasetHashes);
  inList('s.status', filter.statuses);
  inList('s.assignee', filter.userEmails);
  if (filter.dataTitleContains !== undefined && filter.dataTitleContains !== '') {
    // Case-insensitive, as Encord's title search in the task list.
    clauses.push(`AND instr(lower(t.data_title), lower(?)) > 0`);
    params.push(filter.dataTitleContains);
  }
  // The columns of a record (client metadata included), not only the AgentTask: the join
  // reads the tasks row anyway, and fetchTaskRecords then needs no second read.
  const sql = `SELECT ${TASK_COLUMNS}, t.client_metadata_json FROM task_states s INDEXED BY task_states_by_stage
    JOIN tasks t ON t.seq = s.seq
    WHERE s.project_hash = ? AND s.stage_uuid = ? AND s.seq > ? ${clauses.join(' ')}
    ORDER BY s.seq LIMIT ?`;
  return { sql, params };
}
