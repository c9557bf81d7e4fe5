/**
 * Builds OpenSSH private-key files for tests (the writer side of src/backends/encord/ssh-key.ts),
 * including the malformed and encrypted variants the parser must refuse.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { rawPublicKey } from '../../src/backends/encord/ssh-key.js';

function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function uint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

export interface OpenSshOptions {
  cipher?: string;
  kdf?: string;
  keyType?: string;
  /** Make the check words differ (corruption). */
  badCheck?: boolean;
  comment?: string;
}

/** Raw public key bytes for an Ed25519 seed. */
export function publicKeyForSeed(seed: Buffer): Buffer {
  const key = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return rawPublicKey(key);
}

/** An `-----BEGIN OPENSSH PRIVATE KEY-----` file holding this Ed25519 seed. */
export function encodeOpenSshPrivateKey(seed: Buffer, options: OpenSshOptions = {}): string {
  const pub = publicKeyForSeed(seed);
  const keyType = options.keyType ?? 'ssh-ed25519';
  const publicBlob = Buffer.concat([sshString(keyType), sshString(pub)]);
  const check = 0x12345678;
  let priv = Buffer.concat([
    uint32(check),
    uint32(options.badCheck ? check + 1 : check),
    sshString(keyType),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(options.comment ?? 'test@encord-rules'),
  ]);
  const padding: number[] = [];
  for (let i = 1; (priv.length + padding.length) % 8 !== 0; i++) padding.push(i);
  priv = Buffer.concat([priv, Buffer.from(padding)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString(options.cipher ?? 'none'),
    sshString(options.kdf ?? 'none'),
    sshString(options.kdf && options.kdf !== 'none' ? Buffer.alloc(24, 1) : Buffer.alloc(0)),
    uint32(1),
    sshString(publicBlob),
    sshString(priv),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
}

export interface TestKey {
  text: string;
  seed: Buffer;
  publicKeyHex: string;
}

/** The key of the documented test vectors: seed 0x00..0x1f. */
export function vectorKey(): TestKey {
  const seed = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
  return { text: encodeOpenSshPrivateKey(seed), seed, publicKeyHex: publicKeyForSeed(seed).toString('hex') };
}

/** A fresh random Ed25519 key. */
export function randomTestKey(): TestKey {
  const seed = randomBytes(32);
  return { text: encodeOpenSshPrivateKey(seed), seed, publicKeyHex: publicKeyForSeed(seed).toString('hex') };
}

/** A PEM PKCS#8 Ed25519 key: a real key in a container Encord's SDK does not accept. */
export function pkcs8PemKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}
