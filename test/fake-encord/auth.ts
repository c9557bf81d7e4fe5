/**
 * How the fake Encord checks who is calling, written from encord-api.md §1 independently of
 * the client's signing code (so a shared mistake cannot make both sides agree).
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface AuthConfig {
  /** Registered public keys (lower-case hex of the 32 raw bytes). */
  publicKeys: Set<string>;
  bearerTokens: Set<string>;
  /** Server clock, Unix ms. */
  now(): number;
  /** How old `created` may be (the client signs 30 s in the past). */
  maxAgeSeconds: number;
}

export type AuthResult = { ok: true; user: string } | { ok: false; status: 401 | 400; v1Code: string; message: string };

const SIGNATURE_INPUT =
  /^encord-sig=(\("@method" "@request-target" "content-digest"\);created=(\d+);keyid="([0-9a-f]{64})";alg="ed25519")$/;
const keyCache = new Map<string, KeyObject>();

function publicKeyFromHex(hex: string): KeyObject {
  let key = keyCache.get(hex);
  if (!key) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
    keyCache.set(hex, key);
  }
  return key;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function fail(message: string, v1Code = 'AUTHENTICATION_ERROR', status: 401 | 400 = 401): AuthResult {
  return { ok: false, status, v1Code, message };
}

function checkBearer(req: IncomingMessage, config: AuthConfig): AuthResult | undefined {
  const authorization = header(req, 'authorization');
  if (!authorization?.startsWith('Bearer ')) return undefined;
  return config.bearerTokens.has(authorization.slice(7)) ? { ok: true, user: 'bearer' } : fail('unknown bearer token');
}

/** v2: Content-Digest over the exact body, then the Ed25519 signature over the signature base. */
export function verifyV2Request(req: IncomingMessage, body: Buffer, config: AuthConfig): AuthResult {
  const bearer = checkBearer(req, config);
  if (bearer) return bearer;
  const input = header(req, 'signature-input');
  const signature = header(req, 'signature');
  const digest = header(req, 'content-digest');
  if (!input || !signature || !digest) return fail('missing Signature, Signature-Input or Content-Digest');
  const match = SIGNATURE_INPUT.exec(input);
  if (!match) return fail('malformed Signature-Input');
  const [, params, createdText, keyId] = match as unknown as [string, string, string, string];
  const expectedDigest = `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
  if (digest !== expectedDigest) return fail('Content-Digest does not match the body');
  const nowSeconds = Math.floor(config.now() / 1000);
  const created = Number(createdText);
  if (created > nowSeconds + 5 || nowSeconds - created > config.maxAgeSeconds) return fail('signature expired or from the future');
  if (!config.publicKeys.has(keyId)) return fail('unknown public key');
  const sig = /^encord-sig=:([A-Za-z0-9+/]+={0,2}):$/.exec(signature)?.[1];
  if (!sig) return fail('malformed Signature');
  const base = [
    `"@method": ${req.method}`,
    `"@request-target": ${req.url}`,
    `"content-digest": ${digest}`,
    `"@signature-params": ${params}`,
  ].join('\n');
  return verify(null, Buffer.from(base), publicKeyFromHex(keyId), Buffer.from(sig, 'base64'))
    ? { ok: true, user: keyId }
    : fail('signature does not verify');
}

/** v1: `Authorization: <pubhex>:<hex sig of sha256(body)>` plus ResourceType/ResourceID. */
export function verifyV1Request(req: IncomingMessage, body: Buffer, config: AuthConfig, projectHash: string | undefined): AuthResult {
  if (header(req, 'resourcetype') !== 'project' || !projectHash) return fail('missing ResourceType/ResourceID', 'INVALID_ARGUMENTS_ERROR', 400);
  const bearer = checkBearer(req, config);
  if (bearer) return bearer;
  const match = /^([0-9a-f]{64}):([0-9a-f]{128})$/.exec(header(req, 'authorization') ?? '');
  if (!match) return fail('malformed Authorization');
  const [, keyId, sig] = match as unknown as [string, string, string];
  if (!config.publicKeys.has(keyId)) return fail('unknown public key', 'SSH_KEY_NOT_FOUND_ERROR', 400);
  const digest = createHash('sha256').update(body).digest();
  return verify(null, digest, publicKeyFromHex(keyId), Buffer.from(sig, 'hex')) ? { ok: true, user: keyId } : fail('signature does not verify');
}
