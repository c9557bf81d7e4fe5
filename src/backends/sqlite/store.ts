/**
 * The embedded local project store: many projects in one SQLite file. Admin operations
 * (create, reset, status, listing, export) live here; SqliteBackend serves the runner.
 */
import type Database from 'better-sqlite3';
import { UNKNOWN_STAGE } from '../../diagnostics/index.js';
import { findStage, type Project, type Stage } from '../../model/index.js';
import { BackendError } from '../backend.js';
import { canPlanInWorker, planDemoInsertsInWorker } from './demo-inserts.js';
import { chunkTaskInserts, createChunkWriter, type InsertChunk } from './bulk-insert.js';
import { planTaskInsert, type TaskInput } from './rows.js';
import { DROP_TASK_INDEXES, TASK_INDEXES, openStoreDatabase, toStoreError, type OpenDatabaseOptions } from './schema.js';

export interface ProjectSummary {
  projectHash: string;
  title: string;
  taskCount: number;
}

export interface StageCount {
  stage: Stage;
  count: number;
}

/** One entry of `local tasks`: stable keys for scripts. */
export interface TaskSummary {
  uuid: string;
  data_hash: string;
  data_title: string;
  stage: string;
  stage_uuid: string;
  priority: number | null;
}

export interface ProjectInput {
  project: Project;
  tasks: Iterable<TaskInput>;
  /**
   * Set by streamDemoProjectInput: `tasks` are exactly the demo tasks of this seed and count,
   * so the store may regenerate them on a worker thread instead of iterating `tasks`.
   */
  demo?: { seed: number | string; taskCount: number };
}

export interface CreateProjectOptions {
  /** The stage of tasks whose metadata names none of the project's stages; default: the first. */
  startStageUuid?: string;
  /** Called every `progressEvery` tasks, e.g. to draw a progress bar. */
  onProgress?: (tasksWritten: number) => void;
  progressEvery?: number;
  /** Where demo tasks are generated: 'auto' (a worker thread for large counts), 'worker' or 'main' (tests pin both). */
  demoGeneration?: 'auto' | 'worker' | 'main';
}

export class SqliteStore {
  private readonly projectCache = new Map<string, Project>();
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    readonly db: Database.Database,
    readonly path: string,
  ) {}

  /** A prepared statement, compiled once per store. */
  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** A prepared statement returning rows as arrays (raw mode), compiled once per store. */
  prepareRaw(sql: string): Database.Statement {
    const key = `raw:${sql}`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql).raw(true);
      this.statements.set(key, statement);
    }
    return statement;
  }

  /** Runs `fn`, turning SQLite's file-level failures into BackendErrors. */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw toStoreError(error, this.path);
    }
  }

  listProjects(): ProjectSummary[] {
    return this.guard(() =>
      (this.prepare(`SELECT p.project_hash AS projectHash, p.title AS title,
          (SELECT count(*) FROM task_states s WHERE s.project_hash = p.project_hash) AS taskCount
        FROM projects p ORDER BY p.created_at, p.project_hash`).all() as ProjectSummary[]),
    );
  }

  hasProject(projectHash: string): boolean {
    return this.guard(() => this.prepare(`SELECT 1 FROM projects WHERE project_hash = ?`).get(projectHash) !== undefined);
  }

  /** The project; cached, since a project's workflow and ontology never change in a store. */
  getProject(projectHash: string): Project {
    const cached = this.projectCache.get(projectHash);
    if (cached) return cached;
    const json = this.guard(
      () => this.prepare(`SELECT project_json FROM projects WHERE project_hash = ?`).pluck().get(projectHash) as string | undefined,
    );
    if (json === undefined) throw projectNotFound(projectHash, this.listProjects());
    const project = JSON.parse(json) as Project;
    this.projectCache.set(projectHash, project);
    return project;
  }

  /** Resolves a stage by uuid or title; throws UNKNOWN_STAGE listing the stages. */
  resolveStage(projectHash: string, stage: string): Stage {
    const project = this.getProject(projectHash);
    const found = findStage(project, stage);
    if (found) return found;
    const names = project.workflow.stages.map((s) => `"${s.title}"`).join(', ');
    throw new BackendError(UNKNOWN_STAGE, `project ${projectHash} has no stage "${stage}"`, `stages: ${names}`);
  }

  /**
   * Adds a project and its tasks in one transaction: all of it or, on any error (including
   * one thrown by the task iterable), nothing. Streams the tasks, never holding them all.
   */
  createProject(input: ProjectInput, options: CreateProjectOptions = {}): ProjectSummary {
    const { project } = input;
    const startStage = options.startStageUuid ?? project.workflow.stages[0]?.uuid;
    if (startStage === undefined) throw new BackendError('store/bad-project', 'the project has no workflow stages');
    if (this.hasProject(project.projectHash)) {
      throw new BackendError('store/project-exists', `project ${project.projectHash} is already in ${this.path}`, 'use `encord-rules local reset` to start it over');
    }
    const stageUuids = new Set(project.workflow.stages.map((s) => s.uuid));
    const every = options.progressEvery ?? 50_000;
    let count = 0;
    // A lost write here only loses a project still being created, which the caller re-runs;
    // durability returns to normal for the commits that follow.
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -262144');
    // Index builds may sort on a second thread. (Sort spills stay on disk: memory stays flat.)
    this.db.pragma('threads = 2');
    // Into an empty file a rollback journal writes each page once; WAL would write it twice.
    // SQLite keeps WAL if another connection is open, which is then merely slower.
    const switchJournal = this.path !== ':memory:' && this.isEmpty();
    if (switchJournal) this.db.pragma('journal_mode = DELETE');
    try {
      this.guard(() =>
        this.db
          .transaction(() => {
            const bulk = this.isEmpty();
            if (bulk) this.db.exec(DROP_TASK_INDEXES);
            // Prepared inside the transaction: dropping indexes invalidates earlier statements.
            const writeChunk = createChunkWriter(this.db);
            this.prepare(`INSERT INTO projects (project_hash, title, project_json, created_at) VALUES (?, ?, ?, ?)`).run(
              project.projectHash,
              project.title,
              JSON.stringify(project),
              new Date().toISOString(),
            );
            const firstSeq = (this.db.prepare(`SELECT coalesce(max(seq), 0) + 1 FROM tasks`).pluck().get() as number);
            for (const chunk of this.planInsertChunks(input, stageUuids, startStage, firstSeq, options.demoGeneration)) {
              writeChunk(chunk);
              const before = count;
              count += chunk.rows;
              if (options.onProgress && Math.floor(before / every) < Math.floor(count / every)) options.onProgress(count);
            }
            if (bulk) this.db.exec(TASK_INDEXES);
          })
          .immediate(),
      );
    } catch (error) {
      throw duplicateTaskError(error) ?? error;
    } finally {
      if (switchJournal) this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('cache_size = -65536');
      this.db.pragma('threads = 0');
    }
    return { projectHash: project.projectHash, title: project.title, taskCount: count };
  }

  /** The input's tasks as insert chunks, in order; demo tasks come from worker threads when that pays. */
  private planInsertChunks(
    input: ProjectInput,
    stageUuids: ReadonlySet<string>,
    startStage: string,
    firstSeq: number,
    demoGeneration: CreateProjectOptions['demoGeneration'] = 'auto',
  ): Iterable<InsertChunk> {
    const { project, demo } = input;
    if (demo && demoGeneration !== 'main' && canPlanInWorker(demo.taskCount, demoGeneration === 'worker')) {
      return planDemoInsertsInWorker({
        seed: demo.seed,
        taskCount: demo.taskCount,
        projectHash: project.projectHash,
        stageUuids: [...stageUuids],
        startStageUuid: startStage,
        firstSeq,
      });
    }
    const plans = mapIterable(input.tasks, (task) => planTaskInsert(project.projectHash, stageUuids, startStage, task));
    return chunkTaskInserts(plans, firstSeq);
  }

  private isEmpty(): boolean {
    return this.prepare(`SELECT NOT EXISTS (SELECT 1 FROM tasks)`).pluck().get() === 1;
  }

  /** Puts every task of a project back to its initial stage, status, priority and label row. */
  resetProject(projectHash: string): number {
    this.getProject(projectHash);
    return this.guard(
      () =>
        this.db
          .transaction(() => {
            this.prepare(`UPDATE tasks SET label_hash = initial_label_hash, label_row_json = NULL WHERE project_hash = ?`).run(projectHash);
            return this.prepare(`UPDATE task_states AS s SET stage_uuid = t.initial_stage_uuid, status = t.initial_status,
              priority = t.initial_priority, assignee = t.initial_assignee, updated_at = t.initial_updated_at
              FROM tasks AS t WHERE t.seq = s.seq AND s.project_hash = ?`).run(projectHash).changes;
          })
          .immediate(),
    );
  }

  /** Tasks per stage, in workflow order, including empty stages. */
  countTasksByStage(projectHash: string): StageCount[] {
    const project = this.getProject(projectHash);
    const rows = this.guard(
      () =>
        this.prepare(`SELECT stage_uuid AS stageUuid, count(*) AS count FROM task_states WHERE project_hash = ? GROUP BY stage_uuid`).all(
          projectHash,
        ) as { stageUuid: string; count: number }[],
    );
    const counts = new Map(rows.map((r) => [r.stageUuid, r.count]));
    return project.workflow.stages.map((stage) => ({ stage, count: counts.get(stage.uuid) ?? 0 }));
  }

  /** Every task (or those of one stage) in store order, streamed. */
  *listTasks(projectHash: string, stageUuid?: string): Generator<TaskSummary> {
    const project = this.getProject(projectHash);
    const titles = new Map(project.workflow.stages.map((s) => [s.uuid, s.title]));
    const sql = `SELECT s.uuid, s.data_hash, t.data_title, s.stage_uuid, s.priority
      FROM task_states s JOIN tasks t ON t.seq = s.seq
      WHERE ${stageUuid === undefined ? '+s.project_hash = ?' : 's.project_hash = ? AND s.stage_uuid = ?'} ORDER BY s.seq`;
    // Without a stage, `+` makes SQLite walk rows in seq order rather than sort a whole index.
    const params = stageUuid === undefined ? [projectHash] : [projectHash, stageUuid];
    const rows = this.db.prepare(sql).iterate(...params) as IterableIterator<Omit<TaskSummary, 'stage'>>;
    for (const row of rows) {
      yield { uuid: row.uuid, data_hash: row.data_hash, data_title: row.data_title, stage: titles.get(row.stage_uuid) ?? row.stage_uuid, stage_uuid: row.stage_uuid, priority: row.priority };
    }
  }

  /** `PRAGMA integrity_check` — `['ok']` for a sound file. */
  checkIntegrity(): string[] {
    return this.guard(() => this.db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]).map(
      (r) => r.integrity_check,
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function* mapIterable<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

function duplicateTaskError(error: unknown): BackendError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT')) return undefined;
  return new BackendError('store/duplicate-task', 'two tasks share a task uuid or data hash; nothing was written', String((error as Error).message));
}

export function projectNotFound(projectHash: string, projects: ProjectSummary[]): BackendError {
  const known = projects.map((p) => `${p.projectHash} (${p.title})`).join(', ');
  return new BackendError(
    'backend/project-not-found',
    `no project ${projectHash} in the local store`,
    projects.length > 0 ? `projects in the store: ${known}` : 'the store is empty: run `encord-rules local init --demo`',
  );
}

/** Opens a store file (or ':memory:'), creating it unless `create: false`. */
export function openSqliteStore(path: string, options: OpenDatabaseOptions = {}): SqliteStore {
  return new SqliteStore(openStoreDatabase(path, options), path);
}
