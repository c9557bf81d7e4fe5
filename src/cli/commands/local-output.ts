/** Text and JSON output of `local status` and `local tasks`; streamed for large stores. */
import type { Project } from '../../model/index.js';
import type { StageCount, TaskSummary } from '../../backends/sqlite/index.js';

/** Tasks per stage, aligned; pure. */
export function formatStatusText(project: Project, counts: StageCount[]): string {
  const width = Math.max(5, ...counts.map((c) => c.stage.title.length));
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const lines = [`${project.title} (${project.projectHash})`];
  for (const c of counts) {
    lines.push(`  ${c.stage.title.padEnd(width)}  ${String(c.count).padStart(9)}  ${c.stage.stageType}`);
  }
  lines.push(`  ${'total'.padEnd(width)}  ${String(total).padStart(9)}`);
  return lines.join('\n') + '\n';
}

/** One JSON array, one task per line: `[{uuid, data_hash, data_title, stage, priority}, …]`. */
export function writeTasksJson(tasks: Iterable<TaskSummary>, write: (chunk: string) => void): void {
  let buffer = '[';
  let first = true;
  for (const t of tasks) {
    const entry = { uuid: t.uuid, data_hash: t.data_hash, data_title: t.data_title, stage: t.stage, priority: t.priority };
    buffer += (first ? '\n' : ',\n') + JSON.stringify(entry);
    first = false;
    if (buffer.length > 1 << 16) {
      write(buffer);
      buffer = '';
    }
  }
  write(buffer + (first ? ']\n' : '\n]\n'));
}

/** A plain table, one task per line. */
export function formatTasksTable(tasks: Iterable<TaskSummary>, write: (chunk: string) => void): void {
  let buffer = `${'UUID'.padEnd(36)}  ${'DATA HASH'.padEnd(36)}  ${'STAGE'.padEnd(12)}  PRIORITY  TITLE\n`;
  for (const t of tasks) {
    const priority = t.priority === null ? '-' : String(t.priority);
    buffer += `${t.uuid.padEnd(36)}  ${t.data_hash.padEnd(36)}  ${t.stage.padEnd(12)}  ${priority.padStart(8)}  ${t.data_title}\n`;
    if (buffer.length > 1 << 16) {
      write(buffer);
      buffer = '';
    }
  }
  write(buffer);
}
