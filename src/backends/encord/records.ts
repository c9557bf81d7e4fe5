/**
 * fetchTaskRecords for Encord: one label-row metadata call per batch, and full label rows only
 * when a stage's expressions read labels (rows without a label hash are created first, as
 * the SDK's initialise_labels does).
 */
import { BackendError } from '../backend.js';
import type { AgentTask, DocumentNeeds, LabelRow, LabelRowMetadata, TaskRecord } from '../../model/index.js';
import type { EncordApi } from './api.js';
import { EncordApiError } from './errors.js';

/** Label rows per v1 GET (LABEL_ROW_BUNDLE_GET_LIMIT); also used for creates and metadata lists. */
export const MAX_ROWS_PER_FETCH = 1000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Picks each task's metadata row, preferring the task's label branch. Pure; throws for missing rows. */
export function matchMetadata(tasks: AgentTask[], rows: LabelRowMetadata[]): LabelRowMetadata[] {
  const byDataHash = new Map<string, LabelRowMetadata[]>();
  for (const row of rows) byDataHash.set(row.data_hash, [...(byDataHash.get(row.data_hash) ?? []), row]);
  return tasks.map((task) => {
    const candidates = byDataHash.get(task.dataHash) ?? [];
    const row = candidates.find((r) => (r.branch_name ?? 'main') === task.labelBranchName) ?? candidates[0];
    if (!row) {
      throw new BackendError(
        'encord/missing-metadata',
        `Encord returned no label row metadata for task ${task.uuid} (data ${task.dataHash})`,
        'The data unit may have been removed from the project while the run was going; re-run.',
      );
    }
    return row;
  });
}

export async function fetchMetadata(api: EncordApi, projectHash: string, tasks: AgentTask[], clientMetadata: boolean): Promise<LabelRowMetadata[]> {
  const hashes = [...new Set(tasks.map((t) => t.dataHash))];
  const rows: LabelRowMetadata[] = [];
  for (const part of chunk(hashes, MAX_ROWS_PER_FETCH)) rows.push(...(await api.fetchLabelRowMetadata(projectHash, part, clientMetadata)));
  return matchMetadata(tasks, rows);
}

/**
 * Creates rows for data hashes that have none. Creating is not assumed safe to repeat, so after
 * an ambiguous failure we read the metadata again and only create what is still missing.
 */
export async function createMissingRows(api: EncordApi, projectHash: string, dataHashes: string[], branch: string | null): Promise<Map<string, LabelRow>> {
  const created = new Map<string, LabelRow>();
  for (const part of chunk(dataHashes, MAX_ROWS_PER_FETCH)) {
    let rows: LabelRow[];
    try {
      rows = await api.createLabelRows(projectHash, part, branch);
    } catch (error) {
      if (!(error instanceof EncordApiError && error.ambiguous)) throw error;
      const now = await api.fetchLabelRowMetadata(projectHash, part, false);
      const existing = now.filter((m) => m.label_hash !== null).map((m) => m.label_hash as string);
      const stillMissing = now.filter((m) => m.label_hash === null).map((m) => m.data_hash);
      rows = [
        ...(existing.length > 0 ? await api.fetchLabelRows(projectHash, existing) : []),
        ...(stillMissing.length > 0 ? await api.createLabelRows(projectHash, stillMissing, branch) : []),
      ];
    }
    for (const row of rows) created.set(row.data_hash, row);
  }
  return created;
}

async function fetchRows(api: EncordApi, projectHash: string, labelHashes: string[]): Promise<Map<string, LabelRow>> {
  const byLabelHash = new Map<string, LabelRow>();
  for (const part of chunk(labelHashes, MAX_ROWS_PER_FETCH)) {
    for (const row of await api.fetchLabelRows(projectHash, part)) byLabelHash.set(row.label_hash as string, row);
  }
  return byLabelHash;
}

/** Full label rows for the metadata rows, in the same order; creates the ones that do not exist. */
async function fetchFullRows(api: EncordApi, projectHash: string, metadata: LabelRowMetadata[]): Promise<LabelRow[]> {
  const missing = metadata.filter((m) => m.label_hash === null);
  const branch = (missing[0]?.branch_name as string | undefined) ?? null;
  const created = missing.length > 0 ? await createMissingRows(api, projectHash, missing.map((m) => m.data_hash), branch) : new Map<string, LabelRow>();
  const existing = metadata.filter((m) => m.label_hash !== null).map((m) => m.label_hash as string);
  const fetched = existing.length > 0 ? await fetchRows(api, projectHash, [...new Set(existing)]) : new Map<string, LabelRow>();
  return metadata.map((m) => {
    const row = m.label_hash === null ? created.get(m.data_hash) : fetched.get(m.label_hash);
    if (!row) throw new BackendError('encord/missing-label-row', `Encord returned no label row for data ${m.data_hash}`);
    if (m.label_hash === null) m.label_hash = row.label_hash;
    return row;
  });
}

export async function fetchTaskRecords(api: EncordApi, projectHash: string, tasks: AgentTask[], needs: DocumentNeeds): Promise<TaskRecord[]> {
  if (tasks.length === 0) return [];
  const metadata = await fetchMetadata(api, projectHash, tasks, needs.clientMetadata);
  if (!needs.labels) return tasks.map((task, i) => ({ task, metadata: metadata[i] as LabelRowMetadata }));
  const rows = await fetchFullRows(api, projectHash, metadata);
  return tasks.map((task, i) => ({ task, metadata: metadata[i] as LabelRowMetadata, labelRow: rows[i] as LabelRow }));
}
