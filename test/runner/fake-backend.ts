/**
 * A small in-memory Backend for the runner's unit tests: keyset page tokens, per-task commit
 * outcomes, and hooks to make a task stale or a write fail. Counts every call.
 */
import type { Backend, CommitBatch, TaskCommitOutcome, TaskPage, TaskPageRequest } from '../../src/backends/backend.js';
import type { AgentTask, DocumentNeeds, LabelRow, Project, TaskRecord } from '../../src/model/index.js';
import { makeLabelRow, makeRecord } from './fixtures.js';

export interface FakeTask {
  task: AgentTask;
  stageUuid: string;
  priority: number | null;
  labelRow: LabelRow;
}

export class FakeBackend implements Backend {
  readonly kind = 'local' as const;
  readonly tasks = new Map<string, FakeTask>();
  readonly calls = { list: 0, fetch: 0, commit: 0 };
  /** Tasks that leave the stage (as if another agent moved them) just before a commit. */
  readonly staleOnCommit = new Set<string>();
  /** Tasks whose writes fail. */
  readonly failOnCommit = new Set<string>();
  /** Re-list tasks left in place on every page (a misbehaving backend). */
  relistEverything = false;
  /** Page tokens are offsets into the stage's current list (moves shift later tasks back). */
  offsetPaging = false;
  /** Claims Backend.keysetListing (true to its keyset tokens unless offsetPaging or relistEverything). */
  keysetListing = false;

  constructor(
    readonly project: Project,
    tasks: AgentTask[],
    stageUuid: string,
    priority: number | null = 0.5,
  ) {
    for (const task of tasks) this.tasks.set(task.uuid, { task, stageUuid, priority, labelRow: makeLabelRow(task) });
  }

  async getProject(): Promise<Project> {
    return this.project;
  }

  async listStageTasks(_p: string, stageUuid: string, request: TaskPageRequest = {}): Promise<TaskPage> {
    this.calls.list += 1;
    const size = request.pageSize ?? 100;
    const after = request.pageToken ?? '';
    const inStage = [...this.tasks.values()]
      .filter((t) => t.stageUuid === stageUuid)
      .sort((a, b) => (a.task.uuid < b.task.uuid ? -1 : 1));
    if (this.offsetPaging) {
      const offset = Number(request.pageToken ?? 0);
      const slice = inStage.slice(offset, offset + size).map((t) => t.task);
      return offset + size < inStage.length ? { tasks: slice, nextPageToken: String(offset + size) } : { tasks: slice };
    }
    const page = inStage.filter((t) => t.task.uuid > after).slice(0, size).map((t) => t.task);
    const last = page.at(-1);
    // Misbehaving: every page repeats the tasks listed before that are still in the stage.
    const relisted = this.relistEverything ? inStage.filter((t) => t.task.uuid <= after).map((t) => t.task) : [];
    const tasks = [...relisted, ...page];
    return page.length === size && last ? { tasks, nextPageToken: last.uuid } : { tasks };
  }

  async fetchTaskRecords(_p: string, tasks: AgentTask[], needs: DocumentNeeds): Promise<TaskRecord[]> {
    this.calls.fetch += 1;
    return tasks.map((t) => {
      const stored = this.tasks.get(t.uuid)!;
      const record = makeRecord(stored.task, stored.priority);
      if (needs.labels) record.labelRow = structuredClone(stored.labelRow);
      return record;
    });
  }

  async commitBatch(_p: string, batch: CommitBatch): Promise<TaskCommitOutcome[]> {
    this.calls.commit += 1;
    return batch.tasks.map((c) => {
      const stored = this.tasks.get(c.taskUuid)!;
      const outcome: TaskCommitOutcome = {
        taskUuid: c.taskUuid,
        dataHash: c.dataHash,
        status: 'ok',
        labelsSaved: false,
        prioritySet: false,
        moved: false,
      };
      if (this.failOnCommit.has(c.taskUuid)) return { ...outcome, status: 'failed', error: 'disk on fire' };
      if (this.staleOnCommit.has(c.taskUuid)) stored.stageUuid = 'elsewhere';
      if (c.labelRow) {
        stored.labelRow = c.labelRow;
        outcome.labelsSaved = true;
      }
      if (c.priority !== undefined) {
        stored.priority = c.priority;
        outcome.prioritySet = true;
      }
      if (c.pathwayUuid) {
        if (stored.stageUuid !== batch.stageUuid) return { ...outcome, status: 'stale' };
        const stage = this.project.workflow.stages.find((s) => s.uuid === batch.stageUuid)!;
        stored.stageUuid = stage.pathways.find((p) => p.uuid === c.pathwayUuid)!.destinationUuid;
        outcome.moved = true;
      }
      return outcome;
    });
  }

  async close(): Promise<void> {}
}
