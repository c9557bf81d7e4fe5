/** The shared Backend contract against the SQLite store, in a file and in memory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, SqliteBackend } from '../../src/backends/sqlite/index.js';
import { describeBackendContract } from '../backend-contract.js';

describeBackendContract('sqlite :memory:', async (demo) => {
  const store = openSqliteStore(':memory:');
  store.createProject(demo);
  const backend = new SqliteBackend(store);
  return { backend, projectHash: demo.project.projectHash, cleanup: () => backend.close() };
});

describeBackendContract('sqlite file', async (demo) => {
  const dir = mkdtempSync(join(tmpdir(), 'encord-rules-contract-'));
  const store = openSqliteStore(join(dir, 'store.db'));
  store.createProject(demo);
  const backend = new SqliteBackend(store);
  return {
    backend,
    projectHash: demo.project.projectHash,
    cleanup: async () => {
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
