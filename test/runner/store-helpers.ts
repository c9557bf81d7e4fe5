/** Demo stores for the runner's end-to-end tests, and their final state task by task. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { runCliCaptured } from '../cli-helpers.js';

export interface TaskState {
  uuid: string;
  title: string;
  stage: string;
  priority: number | null;
}

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'runner-e2e-'));
}

/** A demo store of `tasks` tasks at `dir/<name>.db`; returns its path. */
export async function makeDemoStore(dir: string, tasks: number, name = 'local'): Promise<string> {
  const store = join(dir, `${name}.db`);
  const result = await runCliCaptured(['local', 'init', '--demo', '--tasks', String(tasks), '--store', store], { cwd: dir });
  if (result.code !== 0) throw new Error(`local init failed: ${result.stderr}`);
  return store;
}

/** Every task's stage title and priority, sorted by uuid (through the store's own listing). */
export function readTaskStates(path: string): TaskState[] {
  const store = openSqliteStore(path, { create: false });
  try {
    const [project] = store.listProjects();
    const tasks = [...store.listTasks(project!.projectHash)].map((t) => ({ uuid: t.uuid, title: t.data_title, stage: t.stage, priority: t.priority }));
    return tasks.sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
  } finally {
    store.close();
  }
}

export const LONDON_RULES = 'rules/london-priority.yaml';
export const REPO = process.cwd();
