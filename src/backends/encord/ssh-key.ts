/**
 * Reads an OpenSSH Ed25519 private key (`-----BEGIN OPENSSH PRIVATE KEY-----`) into a
 * node:crypto KeyObject. Node cannot read the OpenSSH container itself (encord-api.md §1.1),
 * so we walk the `openssh-key-v1` layout and rebuild the key as PKCS#8 DER.
 * Errors never quote the input: it is key material.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { BackendError } from '../backend.js';

export interface SigningKey {
  privateKey: KeyObject;
  /** Lower-case hex of the 32 raw public-key bytes: the `keyid` Encord knows the user by. */
  publicKeyHex: string;
}

const PEM_BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const PEM_END = '-----END OPENSSH PRIVATE KEY-----';
const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
/** PKCS#8 prefix for an Ed25519 private key: SEQUENCE { version 0, AlgorithmIdentifier 1.3.101.112, OCTET STRING { OCTET STRING seed } }. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const KEY_HINT =
  'Use the unencrypted OpenSSH Ed25519 key registered in Encord (ssh-keygen -t ed25519 -N ""), see docs/encord.md.';

function keyError(message: string): BackendError {
  return new BackendError('encord/bad-key', message, KEY_HINT);
}

/** A cursor over SSH wire encoding: uint32 big-endian lengths before byte strings. */
class SshReader {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}

  readUint32(): number {
    if (this.offset + 4 > this.bytes.length) throw keyError('the private key is truncated');
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  readString(): Buffer {
    const length = this.readUint32();
    if (this.offset + length > this.bytes.length) throw keyError('the private key is truncated');
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  readText(): string {
    return this.readString().toString('latin1');
  }
}

/** Extracts the base64 body of the PEM armour; throws `encord/bad-key` when it is not an OpenSSH private key. */
function decodeOpenSshPem(text: string): Buffer {
  const trimmed = text.replace(/\r\n?/g, '\n').trim();
  const begin = trimmed.indexOf(PEM_BEGIN);
  const end = trimmed.indexOf(PEM_END);
  if (begin < 0 || end < begin) {
    if (/-----BEGIN (RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----/.test(trimmed)) {
      throw keyError('the key is a PEM/PKCS key, not an OpenSSH private key');
    }
    throw keyError('the key is not an OpenSSH private key (no "BEGIN OPENSSH PRIVATE KEY" block)');
  }
  const body = trimmed.slice(begin + PEM_BEGIN.length, end).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw keyError('the OpenSSH key block is not valid base64');
  return Buffer.from(body, 'base64');
}

/**
 * Parses an unencrypted OpenSSH Ed25519 private key. Pure.
 * Throws BackendError `encord/bad-key` for passphrase-protected, non-Ed25519 or malformed keys;
 * messages name the problem, never the key bytes.
 */
export function parseOpenSshPrivateKey(text: string): SigningKey {
  const bytes = decodeOpenSshPem(text);
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw keyError('the OpenSSH key block does not start with "openssh-key-v1"');
  }
  const reader = new SshReader(bytes.subarray(MAGIC.length));
  const cipher = reader.readText();
  const kdf = reader.readText();
  reader.readString(); // kdf options
  if (cipher !== 'none' || kdf !== 'none') {
    throw keyError(
      'the private key is protected by a passphrase; Encord keys must be unencrypted ' +
        '(remove it with `ssh-keygen -p -N "" -f <file>`, or create a new key)',
    );
  }
  const keyCount = reader.readUint32();
  if (keyCount !== 1) throw keyError(`the key file holds ${keyCount} keys; expected exactly one`);
  const publicBlob = new SshReader(reader.readString());
  const publicType = publicBlob.readText();
  if (publicType !== 'ssh-ed25519') {
    throw keyError(`the key is of type "${publicType.slice(0, 40)}"; Encord needs an Ed25519 key (ssh-ed25519)`);
  }
  return readPrivateSection(new SshReader(reader.readString()));
}

function readPrivateSection(section: SshReader): SigningKey {
  const check1 = section.readUint32();
  const check2 = section.readUint32();
  // Equal check words are how OpenSSH tells a correct decryption; unequal here means corruption.
  if (check1 !== check2) throw keyError('the private key is corrupted (check words differ)');
  if (section.readText() !== 'ssh-ed25519') throw keyError('the private section is not an Ed25519 key');
  const publicKey = section.readString();
  const secret = section.readString();
  if (publicKey.length !== 32 || secret.length !== 64) throw keyError('the Ed25519 key has the wrong length');
  const seed = secret.subarray(0, 32);
  if (!secret.subarray(32).equals(publicKey)) throw keyError('the private key does not match its public key');
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const derived = rawPublicKey(privateKey);
  if (!derived.equals(publicKey)) throw keyError('the private key does not match its public key');
  return { privateKey, publicKeyHex: derived.toString('hex') };
}

/** The 32 raw public-key bytes of an Ed25519 key (the tail of its SPKI DER). */
export function rawPublicKey(key: KeyObject): Buffer {
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32);
}
