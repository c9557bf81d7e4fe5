/**
 * Opens the backend a command works on: the local SQLite store (default
 * `.encord-rules/local.db`, `--store`) or Encord (see open-encord-backend.ts for the choice).
 */
import { resolve } from 'node:path';
import { BackendError, type Backend } from '../backends/backend.js';
import { openSqliteStore, SqliteBackend, type SqliteStore } from '../backends/sqlite/index.js';
import type { CliIO } from './context.js';
import { chooseBackend, openEncordBackend, type EncordCliOptions } from './open-encord-backend.js';

export const DEFAULT_STORE_PATH = '.encord-rules/local.db';

export interface OpenBackendOptions extends EncordCliOptions {
  project?: string;
  /** 'auto' (the default) picks Encord for an Encord project hash when credentials are set. */
  backend?: string;
  store?: string;
}

export function resolveStorePath(io: CliIO, store: string | undefined): string {
  return resolve(io.cwd, store ?? DEFAULT_STORE_PATH);
}

/** Opens an existing local store (never creates one); throws BackendError `store/not-found` etc. */
export function openLocalStore(io: CliIO, store: string | undefined): SqliteStore {
  return openSqliteStore(resolveStorePath(io, store), { create: false });
}

/**
 * The project of a local store a command means: `given` as a project hash or a unique title;
 * with none given, the store's only project. Throws BackendError listing the projects.
 */
export function resolveLocalProject(store: SqliteStore, given: string | undefined): string {
  const projects = store.listProjects();
  const known = projects.map((p) => `${p.projectHash} (${p.title})`).join(', ');
  const hint = projects.length > 0 ? `projects in ${store.path}: ${known}` : 'create one with `encord-rules local init --demo` or `encord-rules local import`';
  if (given === undefined) {
    if (projects.length === 1 && projects[0]) return projects[0].projectHash;
    throw new BackendError('cli/project-required', `the store ${store.path} holds ${projects.length} projects: say which with --project`, hint);
  }
  const byHash = projects.find((p) => p.projectHash === given);
  if (byHash) return byHash.projectHash;
  const byTitle = projects.filter((p) => p.title === given);
  if (byTitle.length === 1 && byTitle[0]) return byTitle[0].projectHash;
  const why = byTitle.length > 1 ? `${byTitle.length} projects are titled "${given}": use the project hash` : `no project "${given}" in the local store`;
  throw new BackendError('backend/project-not-found', why, hint);
}

/** Throws BackendError for a bad choice, missing credentials or a missing store; opens nothing then. */
export async function openBackend(io: CliIO, options: OpenBackendOptions): Promise<Backend> {
  const backend = options.backend === 'auto' ? undefined : options.backend;
  const choice = chooseBackend({ backend, project: options.project, storeGiven: options.store !== undefined, env: io.env });
  if (choice === 'encord') return openEncordBackend(io, options);
  return new SqliteBackend(openLocalStore(io, options.store));
}

/**
 * As openBackend, and resolves the project too: for the local store a missing `project` means
 * the store's only project (else an error listing them); Encord needs the project hash.
 */
export async function openProjectBackend(io: CliIO, options: OpenBackendOptions): Promise<{ backend: Backend; projectHash: string }> {
  const backend = await openBackend(io, options);
  try {
    if (backend instanceof SqliteBackend) return { backend, projectHash: resolveLocalProject(backend.store, options.project) };
    if (options.project === undefined) throw new BackendError('cli/project-required', 'no project: give --project with the Encord project hash');
    return { backend, projectHash: options.project };
  } catch (error) {
    await backend.close();
    throw error;
  }
}
