/**
 * Rows a stage listing read, kept until the runner fetches those tasks' records: the listing
 * joins the wide `tasks` table anyway, so a batch then costs one read query instead of two.
 * Each row is served at most once (taken on fetch) and dropped when this backend commits the
 * task, so a record is never older than the listing that handed the task out.
 */
import type { AgentTask } from '../../model/index.js';
import type { TaskRow } from './rows.js';

/** Rows kept; past it the oldest go. Tasks listed but never fetched (skipped) age out. */
const LIMIT = 20_000;

/** A listed row and the AgentTask the listing made of it (a fetch hands out the same object). */
export interface ListedRow {
  row: TaskRow;
  task: AgentTask;
}

interface Listed extends ListedRow {
  projectHash: string;
}

export class ListedRows {
  private readonly byUuid = new Map<string, Listed>();

  remember(projectHash: string, row: TaskRow, task: AgentTask): void {
    // Re-inserted, so a re-listed row counts as the newest.
    this.byUuid.delete(row.uuid);
    this.byUuid.set(row.uuid, { projectHash, row, task });
    if (this.byUuid.size > LIMIT) {
      for (const uuid of this.byUuid.keys()) {
        this.byUuid.delete(uuid);
        if (this.byUuid.size <= LIMIT) break;
      }
    }
  }

  /** The kept rows of these tasks (those found), removed from the cache. */
  take(projectHash: string, tasks: readonly { uuid: string }[]): Map<string, ListedRow> {
    const found = new Map<string, ListedRow>();
    for (const { uuid } of tasks) {
      const listed = this.byUuid.get(uuid);
      if (listed?.projectHash !== projectHash) continue;
      this.byUuid.delete(uuid);
      found.set(uuid, listed);
    }
    return found;
  }

  forget(projectHash: string, tasks: readonly { uuid: string }[]): void {
    if (this.byUuid.size === 0) return;
    for (const { uuid } of tasks) {
      if (this.byUuid.get(uuid)?.projectHash === projectHash) this.byUuid.delete(uuid);
    }
  }
}
