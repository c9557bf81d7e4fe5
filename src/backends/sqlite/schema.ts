/**
 * The store file: its schema, its identity (application_id + user_version) and the checks
 * that refuse a file that is corrupt or not a store before anything writes to it.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { BackendError } from '../backend.js';

/** 'ERST' — marks a SQLite file as an encord-rules store (PRAGMA application_id). */
export const STORE_APPLICATION_ID = 0x45525354;
export const STORE_PAGE_SIZE = 16384;
/** Bumped on every schema change; a store newer than this is refused, older ones migrated. */
export const STORE_SCHEMA_VERSION = 1;

// Two task tables, one row each per task (same seq): `task_states` holds, in narrow rows,
// the task's identity and what every commit changes — so a commit of 1,000 moves rewrites a
// few dozen pages, and the indexes build from a small table; `tasks` holds the wide rest
// (metadata, label rows, initial state for reset).
const SCHEMA_V1 = `
CREATE TABLE projects (
  project_hash TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  project_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE tasks (
  seq INTEGER PRIMARY KEY,
  project_hash TEXT NOT NULL,
  data_title TEXT NOT NULL,
  data_type TEXT NOT NULL,
  dataset_hash TEXT NOT NULL,
  label_branch_name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  label_hash TEXT,
  metadata_json TEXT NOT NULL,
  client_metadata_json TEXT,
  label_row_json TEXT,
  initial_label_row_json TEXT,
  initial_label_hash TEXT,
  initial_stage_uuid TEXT NOT NULL,
  initial_status TEXT NOT NULL,
  initial_priority REAL,
  initial_assignee TEXT,
  initial_updated_at TEXT NOT NULL
);
CREATE TABLE task_states (
  seq INTEGER PRIMARY KEY,
  project_hash TEXT NOT NULL,
  uuid TEXT NOT NULL,
  data_hash TEXT NOT NULL,
  stage_uuid TEXT NOT NULL,
  status TEXT NOT NULL,
  priority REAL,
  assignee TEXT,
  last_actioned_by TEXT,
  updated_at TEXT NOT NULL
);
`;

/** The task indexes; dropped and rebuilt around a bulk load into an empty store (sorting beats random inserts). */
export const TASK_INDEXES = `
CREATE UNIQUE INDEX tasks_by_uuid ON task_states(project_hash, uuid);
CREATE UNIQUE INDEX tasks_by_data_hash ON task_states(project_hash, data_hash);
CREATE INDEX task_states_by_stage ON task_states(project_hash, stage_uuid, seq);
`;
export const DROP_TASK_INDEXES = `
DROP INDEX tasks_by_uuid;
DROP INDEX tasks_by_data_hash;
DROP INDEX task_states_by_stage;
`;

const SQLITE_HEADER = 'SQLite format 3\0';

/** Reads the first bytes of a file to tell a SQLite file from anything else, without opening it. */
function readFileHeader(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(16);
    const read = readSync(fd, buffer, 0, 16, 0);
    return buffer.toString('latin1', 0, read);
  } finally {
    closeSync(fd);
  }
}

function notAStore(path: string, why: string): BackendError {
  return new BackendError(
    'store/not-a-store',
    `${path} is not an encord-rules store (${why}); it was left untouched`,
    'pass --store with a store path, or a new file name to create one',
  );
}

/** Maps SQLite failures that mean "bad file" or "locked" to BackendErrors; rethrows the rest. */
export function toStoreError(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new BackendError('store/corrupt', `the store ${path} is corrupt (${code})`, 'restore it from a backup or create a new one with `encord-rules local init`');
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new BackendError('store/busy', `the store ${path} stayed locked by another process`, 'retry when the other run has finished');
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return new BackendError('store/cannot-write', `cannot open ${path} for writing (${code})`);
  }
  if (code === 'SQLITE_FULL') return new BackendError('store/full', `the disk holding ${path} is full`);
  return error;
}

/** Refuses, before SQLite touches it, a file that cannot be a store. */
function checkFileBeforeOpen(path: string): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (!stat.isFile()) throw notAStore(path, 'not a regular file');
  if (stat.size === 0) throw notAStore(path, 'empty file');
  const header = readFileHeader(path);
  if (header !== SQLITE_HEADER) {
    throw stat.size >= 100 && header.startsWith('SQLite')
      ? new BackendError('store/corrupt', `the store ${path} has a damaged header`, 'restore it from a backup')
      : notAStore(path, 'not a SQLite file');
  }
}

/** Checks an existing file's identity with reads only; returns its schema version. */
function checkStoreIdentity(db: Database.Database, path: string): number {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (applicationId !== STORE_APPLICATION_ID) throw notAStore(path, 'a SQLite database of another application');
  if (version > STORE_SCHEMA_VERSION) {
    throw new BackendError(
      'store/too-new',
      `the store ${path} has schema version ${version}; this encord-rules reads up to ${STORE_SCHEMA_VERSION}`,
      'upgrade encord-rules',
    );
  }
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
  for (const table of ['projects', 'tasks', 'task_states']) {
    if (!tables.includes(table)) throw new BackendError('store/corrupt', `the store ${path} has no "${table}" table`);
  }
  return version;
}

/** Creates the schema in a file we just created; another process may have won the race. */
function createSchema(db: Database.Database, path: string): void {
  db.transaction(() => {
    const tables = db.prepare(`SELECT count(*) FROM sqlite_master`).pluck().get() as number;
    if (tables > 0) {
      checkStoreIdentity(db, path);
      return;
    }
    db.exec(SCHEMA_V1);
    db.exec(TASK_INDEXES);
    db.pragma(`application_id = ${STORE_APPLICATION_ID}`);
    db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
  }).immediate();
}

export interface OpenDatabaseOptions {
  /** Create the file when missing (default true); otherwise a missing file is `store/not-found`. */
  create?: boolean;
}

/**
 * Opens (or creates) a store file. Checks run with reads only, so a file that is not a store
 * or is corrupt is never modified. Sets WAL mode and a busy timeout for multi-process use.
 */
export function openStoreDatabase(path: string, options: OpenDatabaseOptions = {}): Database.Database {
  const inMemory = path === ':memory:';
  if (!inMemory) {
    if (!existsSync(path) && options.create === false) {
      throw new BackendError('store/not-found', `no local store at ${path}`, 'create one with `encord-rules local init --demo`');
    }
    checkFileBeforeOpen(path);
  }
  const isNew = inMemory || !existsSync(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma('busy_timeout = 10000');
    if (!isNew) checkStoreIdentity(db, path);
    // 16 KiB pages: label rows fit without overflow pages, and bulk loads and commits measured
    // 10–25 % faster than with 4 KiB (bench/store.bench.ts). Only settable before the first table.
    if (isNew) db.pragma(`page_size = ${STORE_PAGE_SIZE}`);
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    if (isNew) createSchema(db, path);
    return db;
  } catch (error) {
    db?.close();
    throw toStoreError(error, path);
  }
}
