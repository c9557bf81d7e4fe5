import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/backends/backend.js';
import { parseOpenSshPrivateKey } from '../../src/backends/encord/ssh-key.js';
import { encodeOpenSshPrivateKey, pkcs8PemKey, vectorKey } from '../fake-encord/ssh-keys.js';

function hasSshKeygen(): boolean {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // ssh-keygen -? exits non-zero but exists; ENOENT means absent.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

function expectKeyError(text: string, pattern: RegExp): BackendError {
  try {
    parseOpenSshPrivateKey(text);
  } catch (error) {
    expect(error).toBeInstanceOf(BackendError);
    const e = error as BackendError;
    expect(e.code).toBe('encord/bad-key');
    expect(e.message).toMatch(pattern);
    return e;
  }
  throw new Error('expected the key to be refused');
}

/** No 12+ character run of the key's base64 body may appear in an error message. */
function expectNoKeyMaterial(message: string, keyText: string): void {
  const body = keyText.split('\n').filter((l) => !l.startsWith('-----')).join('');
  for (let i = 0; i + 12 <= body.length; i += 6) expect(message).not.toContain(body.slice(i, i + 12));
}

describe('parseOpenSshPrivateKey', () => {
  it('reads the test-vector key and derives the documented public key', () => {
    const key = parseOpenSshPrivateKey(vectorKey().text);
    expect(key.publicKeyHex).toBe('03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8');
    expect(key.privateKey.asymmetricKeyType).toBe('ed25519');
  });

  it('accepts CRLF line endings and surrounding whitespace', () => {
    const text = '\n  ' + vectorKey().text.replace(/\n/g, '\r\n') + '\n\n';
    expect(parseOpenSshPrivateKey(text).publicKeyHex).toBe(vectorKey().publicKeyHex);
  });

  it('refuses a passphrase-protected key', () => {
    const text = encodeOpenSshPrivateKey(vectorKey().seed, { cipher: 'aes256-ctr', kdf: 'bcrypt' });
    const e = expectKeyError(text, /passphrase/);
    expectNoKeyMaterial(e.message + (e.hint ?? ''), text);
  });

  it('refuses a non-Ed25519 key type', () => {
    expectKeyError(encodeOpenSshPrivateKey(vectorKey().seed, { keyType: 'ssh-rsa' }), /Ed25519/);
  });

  it('refuses a PKCS#8 PEM key and says why', () => {
    const text = pkcs8PemKey();
    const e = expectKeyError(text, /not an OpenSSH private key/);
    expectNoKeyMaterial(e.message, text);
  });

  it.each([
    ['empty input', '', /not an OpenSSH private key/],
    ['garbage', 'hello world', /not an OpenSSH private key/],
    ['bad base64', '-----BEGIN OPENSSH PRIVATE KEY-----\n!!!!\n-----END OPENSSH PRIVATE KEY-----', /base64/],
    ['wrong magic', '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----', /openssh-key-v1/],
  ])('refuses %s', (_name, text, pattern) => {
    expectKeyError(text, pattern);
  });

  it('refuses a truncated key without leaking it', () => {
    const full = vectorKey().text;
    const body = full.split('\n').filter((l) => !l.startsWith('-----')).join('');
    const truncated = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.slice(0, 120)}\n-----END OPENSSH PRIVATE KEY-----`;
    const e = expectKeyError(truncated, /truncated/);
    expectNoKeyMaterial(e.message, truncated);
  });

  it('refuses a corrupted private section', () => {
    expectKeyError(encodeOpenSshPrivateKey(vectorKey().seed, { badCheck: true }), /corrupted/);
  });

  describe.skipIf(!hasSshKeygen())('with keys made by ssh-keygen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'encord-key-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const make = (name: string, args: string[]): string => {
      const file = join(dir, name);
      execFileSync('ssh-keygen', ['-q', '-f', file, '-C', 'test', ...args], { stdio: 'ignore' });
      return readFileSync(file, 'utf8');
    };

    it('reads an Ed25519 key and matches the .pub file', () => {
      const text = make('plain', ['-t', 'ed25519', '-N', '']);
      const pub = readFileSync(join(dir, 'plain.pub'), 'utf8').split(' ')[1] ?? '';
      const expected = Buffer.from(pub, 'base64').subarray(-32).toString('hex');
      expect(parseOpenSshPrivateKey(text).publicKeyHex).toBe(expected);
    });

    it('refuses a passphrase-protected Ed25519 key', () => {
      expectKeyError(make('locked', ['-t', 'ed25519', '-N', 'secret-pass']), /passphrase/);
    });

    it('refuses an ECDSA key', () => {
      expectKeyError(make('ecdsa', ['-t', 'ecdsa', '-N', '']), /Ed25519/);
    });
  });
});
