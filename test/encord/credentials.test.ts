import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/backends/backend.js';
import { hasEncordCredentials, loadEncordCredentials } from '../../src/backends/encord/credentials.js';
import { encodeOpenSshPrivateKey, randomTestKey } from '../fake-encord/ssh-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'encord-cred-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeKey(name: string, text: string, mode = 0o600): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

function load(env: NodeJS.ProcessEnv) {
  const warnings: string[] = [];
  const credentials = loadEncordCredentials(env, { warn: (m) => warnings.push(m) });
  return { credentials, warnings };
}

function loadError(env: NodeJS.ProcessEnv): BackendError {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(BackendError);
    return error as BackendError;
  }
  throw new Error('expected an error');
}

describe('loadEncordCredentials', () => {
  const a = randomTestKey();
  const b = randomTestKey();

  it('reads the key file named by ENCORD_SSH_KEY_FILE', () => {
    const { credentials, warnings } = load({ ENCORD_SSH_KEY_FILE: writeKey('a', a.text) });
    expect(credentials).toMatchObject({ kind: 'ssh', source: 'ENCORD_SSH_KEY_FILE' });
    expect(credentials.kind === 'ssh' && credentials.key.publicKeyHex).toBe(a.publicKeyHex);
    expect(warnings).toEqual([]);
  });

  it('reads the key text in ENCORD_SSH_KEY', () => {
    const { credentials } = load({ ENCORD_SSH_KEY: b.text });
    expect(credentials.kind === 'ssh' && credentials.key.publicKeyHex).toBe(b.publicKeyHex);
  });

  it('prefers ENCORD_SSH_KEY_FILE over ENCORD_SSH_KEY and warns, without key material', () => {
    const { credentials, warnings } = load({ ENCORD_SSH_KEY_FILE: writeKey('a2', a.text), ENCORD_SSH_KEY: b.text });
    expect(credentials.kind === 'ssh' && credentials.key.publicKeyHex).toBe(a.publicKeyHex);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/using ENCORD_SSH_KEY_FILE/);
    expect(warnings.join('')).not.toContain(b.text.split('\n')[1]!.slice(0, 20));
  });

  it('warns when the key file is readable by group or others', () => {
    const { warnings } = load({ ENCORD_SSH_KEY_FILE: writeKey('open', a.text, 0o644) });
    expect(warnings.join('\n')).toMatch(/readable by other users.*chmod 600/);
  });

  it('uses ENCORD_BEARER_TOKEN when no key is set', () => {
    expect(load({ ENCORD_BEARER_TOKEN: 'Bearer tok-123' }).credentials).toEqual({ kind: 'bearer', token: 'tok-123' });
  });

  it('says which variable to set when nothing is configured', () => {
    const e = loadError({});
    expect(e.code).toBe('encord/no-credentials');
    expect(e.hint).toMatch(/ENCORD_SSH_KEY_FILE/);
    expect(hasEncordCredentials({})).toBe(false);
    expect(hasEncordCredentials({ ENCORD_SSH_KEY: 'x' })).toBe(true);
  });

  it('names a missing key file', () => {
    const e = loadError({ ENCORD_SSH_KEY_FILE: join(dir, 'nope') });
    expect(e.code).toBe('encord/bad-key');
    expect(e.message).toMatch(/does not exist/);
  });

  it('refuses a path in ENCORD_SSH_KEY', () => {
    const e = loadError({ ENCORD_SSH_KEY: writeKey('p', a.text) });
    expect(e.message).toMatch(/holds a file path/);
  });

  it('prefixes parse errors with the variable and leaks nothing of the key', () => {
    const locked = encodeOpenSshPrivateKey(a.seed, { cipher: 'aes256-ctr', kdf: 'bcrypt' });
    const e = loadError({ ENCORD_SSH_KEY: locked });
    expect(e.message).toMatch(/^ENCORD_SSH_KEY: .*passphrase/);
    const body = locked.split('\n')[1]!;
    expect(`${e.message} ${e.hint}`).not.toContain(body.slice(10, 30));
  });
});
