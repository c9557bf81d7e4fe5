/**
 * Where the Encord credentials come from: environment variables only, never flags (flags end
 * up in shell history and process listings).
 *
 * Precedence (documented in docs/encord.md): ENCORD_SSH_KEY_FILE, then ENCORD_SSH_KEY, then
 * ENCORD_BEARER_TOKEN. The file wins as in the Encord SDK's `get_env_ssh_key` (encord-agents
 * prefers the content variable; we warn whenever more than one is set so nobody is surprised).
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { BackendError } from '../backend.js';
import { parseOpenSshPrivateKey, type SigningKey } from './ssh-key.js';

export const ENCORD_ENV = {
  keyFile: 'ENCORD_SSH_KEY_FILE',
  key: 'ENCORD_SSH_KEY',
  bearerToken: 'ENCORD_BEARER_TOKEN',
  domain: 'ENCORD_DOMAIN',
} as const;

export type EncordCredentials =
  | { kind: 'ssh'; key: SigningKey; source: typeof ENCORD_ENV.keyFile | typeof ENCORD_ENV.key }
  | { kind: 'bearer'; token: string };

/** Hooks for what touches the outside; tests replace them. */
export interface CredentialIO {
  warn(message: string): void;
  readFile?(path: string): string;
  /** File mode bits, or undefined when the file does not exist. */
  fileMode?(path: string): number | undefined;
}

const NO_CREDENTIALS_HINT =
  `Set ${ENCORD_ENV.keyFile} to the path of your Encord SSH private key ` +
  `(or ${ENCORD_ENV.key} to its contents, or ${ENCORD_ENV.bearerToken}); see docs/encord.md.`;

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/** True when any credential variable is set (not that it is valid). Pure. */
export function hasEncordCredentials(env: NodeJS.ProcessEnv): boolean {
  return isSet(env[ENCORD_ENV.keyFile]) || isSet(env[ENCORD_ENV.key]) || isSet(env[ENCORD_ENV.bearerToken]);
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

function defaultFileMode(path: string): number | undefined {
  try {
    return statSync(path).mode;
  } catch {
    return undefined;
  }
}

/**
 * Reads and parses the configured credentials. Throws BackendError `encord/no-credentials`
 * when none is set and `encord/bad-key` when the key cannot be used. Warnings go to `io.warn`;
 * nothing it says contains key material.
 */
export function loadEncordCredentials(env: NodeJS.ProcessEnv, io: CredentialIO): EncordCredentials {
  const keyFile = env[ENCORD_ENV.keyFile];
  const keyText = env[ENCORD_ENV.key];
  const token = env[ENCORD_ENV.bearerToken];
  const set = [keyFile, keyText, token].filter(isSet).length;
  if (set === 0) {
    throw new BackendError('encord/no-credentials', 'no Encord credentials are configured', NO_CREDENTIALS_HINT);
  }
  if (set > 1) {
    const chosen = isSet(keyFile) ? ENCORD_ENV.keyFile : ENCORD_ENV.key;
    io.warn(`several Encord credential variables are set; using ${chosen} (precedence: ${ENCORD_ENV.keyFile}, ${ENCORD_ENV.key}, ${ENCORD_ENV.bearerToken})`);
  }
  if (isSet(keyFile)) return { kind: 'ssh', key: readKeyFile(expandHome(keyFile), io), source: ENCORD_ENV.keyFile };
  if (isSet(keyText)) return { kind: 'ssh', key: readKeyText(keyText, io), source: ENCORD_ENV.key };
  return { kind: 'bearer', token: readBearerToken(token as string) };
}

function readKeyFile(path: string, io: CredentialIO): SigningKey {
  const mode = (io.fileMode ?? defaultFileMode)(path);
  if (mode === undefined) {
    throw new BackendError(
      'encord/bad-key',
      `${ENCORD_ENV.keyFile} points to ${path}, which does not exist`,
      'Set it to the path of your Encord SSH private key.',
    );
  }
  if ((mode & 0o077) !== 0) {
    io.warn(`the key file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
  }
  let text: string;
  try {
    text = (io.readFile ?? ((p) => readFileSync(p, 'utf8')))(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new BackendError('encord/bad-key', `cannot read the key file ${path} (${code})`);
  }
  return withSource(() => parseOpenSshPrivateKey(text), `${ENCORD_ENV.keyFile} (${path})`);
}

function readKeyText(text: string, io: CredentialIO): SigningKey {
  if (!text.includes('-----BEGIN')) {
    // encord-agents refuses a path here too: the variable holds the key itself.
    const looksLikePath = (io.fileMode ?? defaultFileMode)(expandHome(text.trim())) !== undefined;
    if (looksLikePath) {
      throw new BackendError(
        'encord/bad-key',
        `${ENCORD_ENV.key} holds a file path; it must hold the key itself`,
        `Set ${ENCORD_ENV.keyFile} to the path instead.`,
      );
    }
  }
  return withSource(() => parseOpenSshPrivateKey(text), ENCORD_ENV.key);
}

function readBearerToken(token: string): string {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  if (trimmed === '' || /\s/.test(trimmed)) {
    throw new BackendError('encord/bad-token', `${ENCORD_ENV.bearerToken} is not a single token`);
  }
  return trimmed;
}

/** Prefixes a key error with where the key came from, so the user knows which variable to fix. */
function withSource(parse: () => SigningKey, source: string): SigningKey {
  try {
    return parse();
  } catch (error) {
    if (error instanceof BackendError) throw new BackendError(error.code, `${source}: ${error.message}`, error.hint);
    // node:crypto's own messages are safe, but a generic one is certain to hold no key bytes.
    throw new BackendError('encord/bad-key', `${source}: the Ed25519 key could not be loaded`);
  }
}
