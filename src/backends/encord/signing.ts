/**
 * Request signing for both Encord API styles (encord-api.md §1.2, §1.3), as pure functions of
 * the exact bytes sent: the server verifies the digest over what arrives, so callers must sign
 * the same Buffer they write.
 */
import { createHash, sign } from 'node:crypto';
import type { SigningKey } from './ssh-key.js';

/** The SDK signs `created` 30 s in the past so a server clock running behind still accepts it. */
export const CREATED_SKEW_SECONDS = 30;

/** `sha-256=:<base64>:` over the body bytes (the empty string for GETs). */
export function computeContentDigest(body: Buffer): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

export interface V2SignatureInput {
  /** Upper-cased before signing. */
  method: string;
  /** Path plus `?query`, percent-encoded exactly as it goes on the wire. */
  requestTarget: string;
  body: Buffer;
  /** `created` in Unix seconds: `floor(now) - 30` (see createdFor). */
  created: number;
}

export function createdFor(nowMs: number): number {
  return Math.floor(nowMs / 1000) - CREATED_SKEW_SECONDS;
}

/** The `@signature-params` value: components, created, keyid, alg, in the SDK's order. */
export function formatSignatureParams(created: number, keyId: string): string {
  return `("@method" "@request-target" "content-digest");created=${created};keyid="${keyId}";alg="ed25519"`;
}

/** The four-line signature base, joined by `\n` without a trailing newline. */
export function formatSignatureBase(input: V2SignatureInput, contentDigest: string, params: string): string {
  return [
    `"@method": ${input.method.toUpperCase()}`,
    `"@request-target": ${input.requestTarget}`,
    `"content-digest": ${contentDigest}`,
    `"@signature-params": ${params}`,
  ].join('\n');
}

/** The headers that authenticate one v2 request. Pure (given `created`). */
export function signV2Request(input: V2SignatureInput, key: SigningKey): Record<string, string> {
  const contentDigest = computeContentDigest(input.body);
  const params = formatSignatureParams(input.created, key.publicKeyHex);
  const base = formatSignatureBase(input, contentDigest, params);
  const signature = sign(null, Buffer.from(base, 'utf8'), key.privateKey).toString('base64');
  return {
    'Content-Digest': contentDigest,
    'Signature-Input': `encord-sig=${params}`,
    Signature: `encord-sig=:${signature}:`,
  };
}

/** v1 `Authorization: <pubhex>:<hex(ed25519(sha256(body)))>`: pure Ed25519 over the digest, not Ed25519ph. */
export function signV1Body(body: Buffer, key: SigningKey): string {
  const digest = createHash('sha256').update(body).digest();
  return `${key.publicKeyHex}:${sign(null, digest, key.privateKey).toString('hex')}`;
}
