import { createHash } from 'node:crypto';

/**
 * A small seeded PRNG and the identifiers derived from it. Pure and deterministic:
 * the same seed and stream key always give the same values, on every platform.
 *
 * util/ imports nothing of ours, so any layer may use it: the demo generator (backends/)
 * builds projects from it, and compile/'s fuzz tests draw reproducible data from it.
 */

/** Hashes a seed (number or string) and a stream key into 32 bits (FNV-1a over the text). */
export function hashSeed(seed: number | string, key: string | number = ''): number {
  const text = `${typeof seed === 'number' ? `n${seed}` : `s${seed}`}/${key}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic random stream (sfc32, seeded through splitmix-style mixing). */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * `stream` tells apart streams of one seed (e.g. one per task): distinct streams start in
   * distinct states, so a million tasks never share a stream, as 32-bit seeds alone would.
   */
  constructor(seed: number, stream = 0) {
    this.a = mix32(seed ^ 0x9e3779b9);
    this.b = (mix32(seed ^ 0x243f6a88) + stream) | 0;
    this.c = mix32(seed ^ 0xb7e15162) ^ mix32(stream);
    this.d = 1;
    // Discard the first outputs: sfc32 needs a few rounds to decorrelate close seeds.
    for (let i = 0; i < 12; i++) this.next32();
  }

  /** The next unsigned 32-bit integer. */
  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.next32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A version-4-shaped UUID (hyphenated, lower-case hex). */
  uuid(): string {
    const h = hex8(this.next32()) + hex8(this.next32()) + hex8(this.next32()) + hex8(this.next32());
    const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** An 8-character base64 id, the shape of Encord's featureNodeHash / classificationHash. */
  shortHash(): string {
    let out = '';
    let bits = this.next32();
    const more = this.next32();
    for (let i = 0; i < 8; i++) {
      if (i === 5) bits = more;
      out += BASE64[bits & 63];
      bits >>>= 6;
    }
    return out;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return (
    (HEX_BYTES[n >>> 24] as string) +
    (HEX_BYTES[(n >>> 16) & 255] as string) +
    (HEX_BYTES[(n >>> 8) & 255] as string) +
    (HEX_BYTES[n & 255] as string)
  );
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A UUID derived from names (SHA-1, shaped as RFC 4122 version 5): 122 bits of the hash, so
 * unlike a 32-bit seed it does not collide across millions of names.
 */
export function deriveUuid(...names: string[]): string {
  const h = createHash('sha1').update(names.join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A stream for one purpose of one seed, e.g. `randomFor(seed, 'ontology')`. Few per seed: 32-bit. */
export function randomFor(seed: number | string, ...key: (string | number)[]): SeededRandom {
  return new SeededRandom(hashSeed(seed, key.join(':')));
}
