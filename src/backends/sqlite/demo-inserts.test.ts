import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { streamDemoProjectInput } from '../../demo/index.js';
import { openSqliteStore, type SqliteStore } from './index.js';
// Worker threads run compiled JavaScript: this module, loaded from its TypeScript source, has
// no worker file beside it and always plans on the main thread. The built copy (vitest's global
// setup runs the build) is the one that starts workers.
// Imported by path, so that type-checking does not depend on a build being there.
const distDir = fileURLToPath(new URL('../../../dist/backends/sqlite/', import.meta.url));
const built = (await import(pathToFileURL(join(distDir, 'index.js')).href)) as typeof import('./index.js');
const builtInserts = (await import(pathToFileURL(join(distDir, 'demo-inserts.js')).href)) as typeof import('./demo-inserts.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'encord-rules-demo-inserts-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function readAllRows(store: { db: SqliteStore['db'] }): unknown[] {
  return [
    store.db.prepare(`SELECT * FROM tasks ORDER BY seq`).all(),
    store.db.prepare(`SELECT * FROM task_states ORDER BY seq`).all(),
  ];
}

describe('demo tasks planned on worker threads', () => {
  it('runs from the build, where the worker file exists', () => {
    expect(builtInserts.canPlanInWorker(10, true)).toBe(true);
    expect(builtInserts.canPlanInWorker(10)).toBe(false);
  });

  // 4,500 tasks: two workers, an uneven last batch (batches of 2,000).
  it.each([0, 1, 4_500])('writes exactly the rows the main thread writes (%i tasks)', (tasks) => {
    const input = { tasks, seed: 7 };
    const viaWorker = built.openSqliteStore(join(dir, 'worker.db'));
    const viaMain = openSqliteStore(join(dir, 'main.db'));
    try {
      const summary = viaWorker.createProject(streamDemoProjectInput(input), { demoGeneration: 'worker' });
      viaMain.createProject(streamDemoProjectInput(input), { demoGeneration: 'main' });
      expect(summary.taskCount).toBe(tasks);
      expect(readAllRows(viaWorker)).toEqual(readAllRows(viaMain));
      expect(viaWorker.checkIntegrity()).toEqual(['ok']);
    } finally {
      viaWorker.close();
      viaMain.close();
    }
  });

  it('writes nothing, and stops the workers, when the load fails part way', () => {
    const store = built.openSqliteStore(join(dir, 'failed.db'));
    try {
      const fail = (): void => {
        throw new Error('disk on fire');
      };
      const input = streamDemoProjectInput({ tasks: 6_000, seed: 7 });
      expect(() => store.createProject(input, { demoGeneration: 'worker', onProgress: fail, progressEvery: 3_000 })).toThrow('disk on fire');
      expect(store.listProjects()).toEqual([]);
      expect(store.createProject(input, { demoGeneration: 'worker' }).taskCount).toBe(6_000);
    } finally {
      store.close();
    }
  });
});
