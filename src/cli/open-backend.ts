/**
 * Opens the backend a command works on: the local SQLite store (default
 * `.encord-rules/local.db`, `--store`) or Encord (see open-encord-backend.ts for the choice).
 */
import { resolve } from 'node:path';
import type { Backend } from '../backends/backend.js';
import { openSqliteBackend } from '../backends/sqlite/index.js';
import type { CliIO } from './context.js';
import { chooseBackend, openEncordBackend, type EncordCliOptions } from './open-encord-backend.js';

export const DEFAULT_STORE_PATH = '.encord-rules/local.db';

export interface OpenBackendOptions extends EncordCliOptions {
  project?: string;
  backend?: string;
  store?: string;
}

export function resolveStorePath(io: CliIO, store: string | undefined): string {
  return resolve(io.cwd, store ?? DEFAULT_STORE_PATH);
}

/** Throws BackendError for a bad choice, missing credentials or a missing store; opens nothing then. */
export async function openBackend(io: CliIO, options: OpenBackendOptions): Promise<Backend> {
  const choice = chooseBackend({ backend: options.backend, project: options.project, storeGiven: options.store !== undefined, env: io.env });
  if (choice === 'encord') return openEncordBackend(io, options);
  return openSqliteBackend(resolveStorePath(io, options.store), { create: false });
}
