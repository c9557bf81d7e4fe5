/** The embedded local project store (SQLite): admin operations and the Backend. */
import { SqliteBackend } from './backend.js';
import { openSqliteStore } from './store.js';
import type { OpenDatabaseOptions } from './schema.js';

export { SqliteBackend, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './backend.js';
export {
  SqliteStore,
  openSqliteStore,
  type ProjectSummary,
  type StageCount,
  type TaskSummary,
  type ProjectInput,
  type CreateProjectOptions,
} from './store.js';
export { STORE_APPLICATION_ID, STORE_SCHEMA_VERSION, type OpenDatabaseOptions } from './schema.js';
export { writeProjectExport, iterateExportedTasks, EXPORT_FORMAT, EXPORT_VERSION, type ExportedTask } from './export.js';
export type { TaskInput } from './rows.js';

/** Opens a store and a Backend over it; closing the backend closes the store. */
export function openSqliteBackend(path: string, options: OpenDatabaseOptions = {}): SqliteBackend {
  return new SqliteBackend(openSqliteStore(path, options));
}
