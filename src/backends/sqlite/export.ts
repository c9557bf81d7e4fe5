/**
 * Export: a project with every task in its current state, written as one JSON document
 * chunk by chunk (a million tasks never sit in memory). `local import` reads it back.
 */
import type { AgentTask, LabelRow, LabelRowMetadata, Project } from '../../model/index.js';
import { readAgentTask, readMetadata, TASK_COLUMNS, type TaskRow } from './rows.js';
import type { SqliteStore } from './store.js';

export const EXPORT_FORMAT = 'encord-rules-store-export';
export const EXPORT_VERSION = 1;

export interface ExportedTask {
  task: AgentTask;
  metadata: LabelRowMetadata;
  /** null when the label row was never initialised (Encord creates it on first use). */
  labelRow: LabelRow | null;
}

/** Every task of a project in its current state, in store order, streamed. */
export function* iterateExportedTasks(store: SqliteStore, projectHash: string): Generator<ExportedTask> {
  const project = store.getProject(projectHash);
  const stages = new Map(project.workflow.stages.map((s) => [s.uuid, s]));
  const rows = store.db
    .prepare(`SELECT ${TASK_COLUMNS}, t.client_metadata_json, t.label_row_json, t.initial_label_row_json
      FROM task_states s JOIN tasks t ON t.seq = s.seq WHERE s.project_hash = ? ORDER BY s.seq`)
    .iterate(projectHash) as IterableIterator<TaskRow>;
  for (const row of rows) {
    const json = row.label_row_json ?? row.initial_label_row_json;
    yield {
      task: readAgentTask(row),
      metadata: readMetadata(row, stages.get(row.stage_uuid), true),
      labelRow: json ? (JSON.parse(json) as LabelRow) : null,
    };
  }
}

/** Writes `{format, version, project, tasks: [...]}` through `write`, one task per line. */
export function writeProjectExport(store: SqliteStore, projectHash: string, write: (chunk: string) => void): number {
  const project: Project = store.getProject(projectHash);
  write(`{"format":${JSON.stringify(EXPORT_FORMAT)},"version":${EXPORT_VERSION},\n"project":${JSON.stringify(project)},\n"tasks":[`);
  let count = 0;
  let buffer = '';
  for (const task of iterateExportedTasks(store, projectHash)) {
    buffer += (count === 0 ? '\n' : ',\n') + JSON.stringify(task);
    count += 1;
    // Batch small writes: one syscall per task would dominate a large export.
    if (buffer.length > 1 << 20) {
      write(buffer);
      buffer = '';
    }
  }
  write(`${buffer}\n]}\n`);
  return count;
}
