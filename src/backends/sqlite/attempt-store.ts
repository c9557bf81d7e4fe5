/**
 * The attempt store (backends/run-state.ts) in a small SQLite file of its own: how many times
 * each task has failed its stage's rules, remembered across runs so `on_error` can route a task
 * after N failures. Keyed by project, stage and task; cleared on success.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AttemptScope, AttemptStore } from '../run-state.js';

/** A small SQLite file (default `.encord-rules/state.db`), separate from any task store. */
export function openAttemptStore(path: string, options: { readonly?: boolean } = {}): AttemptStore {
  if (options.readonly) return openReadonly(path);
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS attempts (
    project TEXT NOT NULL, stage TEXT NOT NULL, task TEXT NOT NULL, attempts INTEGER NOT NULL,
    updated_at TEXT NOT NULL, PRIMARY KEY (project, stage, task)) WITHOUT ROWID`);
  const select = db.prepare(SELECT_ATTEMPTS);
  const upsert = db.prepare(`INSERT INTO attempts (project, stage, task, attempts, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (project, stage, task) DO UPDATE SET attempts = excluded.attempts, updated_at = excluded.updated_at`);
  const remove = db.prepare('DELETE FROM attempts WHERE project = ? AND stage = ? AND task = ?');
  const any = db.prepare('SELECT 1 FROM attempts WHERE project = ? AND stage = ? LIMIT 1');
  // Most runs have no failures: knowing a scope is empty makes clearing free on the hot path.
  const empty = new Map<string, boolean>();
  const scopeKey = (s: AttemptScope): string => `${s.projectHash}\u0000${s.stageUuid}`;
  const isEmpty = (s: AttemptScope): boolean => {
    const k = scopeKey(s);
    if (!empty.has(k)) empty.set(k, any.get(s.projectHash, s.stageUuid) === undefined);
    return empty.get(k)!;
  };
  const writeAll = db.transaction((s: AttemptScope, attempts: ReadonlyMap<string, number>) => {
    const now = new Date().toISOString();
    for (const [uuid, n] of attempts) upsert.run(s.projectHash, s.stageUuid, uuid, n, now);
  });
  const clearAll = db.transaction((s: AttemptScope, uuids: readonly string[]) => {
    for (const uuid of uuids) remove.run(s.projectHash, s.stageUuid, uuid);
  });
  return {
    readAttempts: (scope, uuids) => {
      if (uuids.length === 0 || isEmpty(scope)) return new Map();
      return readCounts(select, scope, uuids);
    },
    writeAttempts: (scope, attempts) => {
      if (attempts.size === 0) return;
      writeAll(scope, attempts);
      empty.set(scopeKey(scope), false);
    },
    clearAttempts: (scope, uuids) => {
      if (uuids.length === 0 || isEmpty(scope)) return;
      clearAll(scope, uuids);
    },
    close: () => db.close(),
  };
}

/** For dry runs: reads counts, writes nothing (an older file without the table reads as empty). */
function openReadonly(path: string): AttemptStore {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attempts'").get() !== undefined;
  const select = hasTable ? db.prepare(SELECT_ATTEMPTS) : undefined;
  return {
    readAttempts: (scope, uuids) => (select && uuids.length > 0 ? readCounts(select, scope, uuids) : new Map()),
    writeAttempts: () => undefined,
    clearAttempts: () => undefined,
    close: () => db.close(),
  };
}

/** One statement for a whole batch of tasks (the runner asks for every task it evaluates). */
const SELECT_ATTEMPTS = 'SELECT task, attempts FROM attempts WHERE project = ? AND stage = ? AND task IN (SELECT value FROM json_each(?))';

function readCounts(select: Database.Statement, scope: AttemptScope, uuids: readonly string[]): Map<string, number> {
  const rows = select.all(scope.projectHash, scope.stageUuid, JSON.stringify(uuids)) as Array<{ task: string; attempts: number }>;
  return new Map(rows.map((row) => [row.task, row.attempts]));
}
