/**
 * The Encord branch of backend choice: when the Encord backend is used, and opening it from
 * the environment with warnings printed (never key material).
 */
import { BackendError } from '../backends/backend.js';
import { createEncordBackendFromEnv, ENCORD_ENV, hasEncordCredentials, isEncordProjectHash, type EncordBackend } from '../backends/encord/index.js';
import type { CliIO } from './context.js';
import { VERSION } from './version.js';

export type BackendChoice = 'local' | 'encord';

export interface BackendChoiceInput {
  /** `--backend`, when given. */
  backend?: string;
  project?: string;
  /** True when `--store` was given: the user asked for the local store. */
  storeGiven: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * `--backend` decides when given. Otherwise Encord is used for an Encord project hash (a UUID)
 * when credentials are configured and no `--store` was named; everything else stays local, so
 * nothing reaches the network unless credentials are set. Pure; throws for a bad `--backend`.
 */
export function chooseBackend(input: BackendChoiceInput): BackendChoice {
  if (input.backend !== undefined) {
    if (input.backend === 'local' || input.backend === 'encord') return input.backend;
    throw new BackendError('cli/bad-backend', `--backend must be "local" or "encord", not "${input.backend}"`);
  }
  const encordProject = input.project !== undefined && isEncordProjectHash(input.project);
  return encordProject && !input.storeGiven && hasEncordCredentials(input.env) ? 'encord' : 'local';
}

export interface EncordCliOptions {
  /** Requests per second (`--rate`). */
  rate?: number;
  /** Per-request timeout (`--timeout`, seconds on the command line). */
  timeoutMs?: number;
}

/** Opens the Encord backend from the environment; throws BackendError naming the variable to set. */
export function openEncordBackend(io: CliIO, options: EncordCliOptions = {}): EncordBackend {
  if (!hasEncordCredentials(io.env)) {
    throw new BackendError(
      'encord/no-credentials',
      `the Encord backend needs credentials: set ${ENCORD_ENV.keyFile} to the path of your Encord SSH private key`,
      `Or set ${ENCORD_ENV.key} to the key itself, or ${ENCORD_ENV.bearerToken}. See docs/encord.md.`,
    );
  }
  return createEncordBackendFromEnv(io.env, {
    warn: (message) => io.stderr(`warning: ${message}\n`),
    userAgent: `encord-rules/${VERSION}`,
    ...(options.rate !== undefined ? { rate: options.rate } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    signal: io.stopSignal,
  });
}
