import { describe, expect, it } from 'vitest';
import { encodeQueryComponent, formatQuery, resolveEncordDomain } from './url.js';
import { TokenBucket, type Clock } from './rate-limiter.js';
import { parseRetryAfter, planRetry } from './retry-policy.js';
import { createV1Error, resolveV1ErrorCode, resolveV2ErrorCode } from './errors.js';

describe('error mapping', () => {
  it('maps v2 statuses and v1 envelope codes to encord/<kind>', () => {
    expect([400, 401, 403, 404, 405, 413, 429, 500, 418].map(resolveV2ErrorCode)).toEqual([
      'encord/invalid-arguments', 'encord/authentication', 'encord/authorisation', 'encord/not-found',
      'encord/method-not-allowed', 'encord/payload-too-large', 'encord/rate-limited', 'encord/server-error', 'encord/unknown',
    ]);
    expect(resolveV1ErrorCode('MULTI_LABEL_LIMIT_ERROR')).toBe('encord/multi-label-limit');
    expect(resolveV1ErrorCode('OPERATION_NOT_ALLOWED')).toBe('encord/operation-not-allowed');
    const e = createV1Error('v1 labelrow POST', 400, ['MULTI_LABEL_LIMIT_ERROR'], { maximum_labels_allowed: 100 });
    expect(e).toMatchObject({ code: 'encord/multi-label-limit', status: 400 });
    expect(e.message).toBe('v1 labelrow POST: MULTI_LABEL_LIMIT_ERROR ({"maximum_labels_allowed":100})');
  });
});

describe('resolveEncordDomain', () => {
  it('defaults to https://api.encord.com and strips trailing slashes', () => {
    expect(resolveEncordDomain(undefined)).toBe('https://api.encord.com');
    expect(resolveEncordDomain('https://api.us.encord.com/')).toBe('https://api.us.encord.com');
  });

  it.each(['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9', 'http://127.4.5.6'])('allows plain http on loopback %s', (d) => {
    expect(() => resolveEncordDomain(d)).not.toThrow();
  });

  it.each(['http://api.encord.com', 'http://10.0.0.1', 'ftp://x', 'not a url'])('refuses %s', (d) => {
    expect(() => resolveEncordDomain(d)).toThrow(expect.objectContaining({ code: 'encord/bad-domain' }));
  });
});

describe('formatQuery', () => {
  it('repeats list keys and percent-encodes like Python urlencode', () => {
    expect(formatQuery({ pageToken: undefined, userEmails: ['a@b.com'], statuses: ['NEW', 'ASSIGNED'], dataTitleContains: "new york's" })).toBe(
      '?userEmails=a%40b.com&statuses=NEW&statuses=ASSIGNED&dataTitleContains=new+york%27s',
    );
    expect(formatQuery({})).toBe('');
    expect(encodeQueryComponent('a/b+c')).toBe('a%2Fb%2Bc');
  });
});

describe('retry policy', () => {
  const base = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000, random: () => 0 };

  it('retries ambiguous failures only for idempotent calls', () => {
    const dropped = { kind: 'network', sent: true, timedOut: false } as const;
    expect(planRetry(dropped, 0, { ...base, idempotent: true })).toEqual({ retry: true, delayMs: 500 });
    expect(planRetry(dropped, 0, { ...base, idempotent: false })).toEqual({ retry: false, ambiguous: true });
    expect(planRetry({ kind: 'response', status: 500 }, 0, { ...base, idempotent: false })).toEqual({ retry: false, ambiguous: true });
  });

  it('retries refusals and unsent requests for every call', () => {
    expect(planRetry({ kind: 'response', status: 429, retryAfterMs: 3000 }, 1, { ...base, idempotent: false })).toEqual({ retry: true, delayMs: 3000 });
    expect(planRetry({ kind: 'network', sent: false, timedOut: false }, 2, { ...base, idempotent: false })).toEqual({ retry: true, delayMs: 2000 });
    expect(planRetry({ kind: 'response', status: 400 }, 0, { ...base, idempotent: true })).toEqual({ retry: false, ambiguous: false });
  });

  it('stops after maxRetries and refuses a Retry-After beyond the cap', () => {
    expect(planRetry({ kind: 'response', status: 503 }, 3, { ...base, idempotent: true })).toMatchObject({ retry: false });
    expect(planRetry({ kind: 'response', status: 429, retryAfterMs: 600_000 }, 0, { ...base, idempotent: true })).toMatchObject({ retry: false });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('12', 0)).toBe(12_000);
    expect(parseRetryAfter(new Date(5000).toUTCString(), 2000)).toBe(3000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});

describe('TokenBucket', () => {
  it('lets a burst of `rate` through, then spaces requests at 1/rate', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const clock: Clock = { now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) };
    const bucket = new TokenBucket(4, clock);
    for (let i = 0; i < 10; i++) await bucket.take();
    expect(sleeps).toEqual([250, 250, 250, 250, 250, 250]);
    expect(now).toBe(1500);
  });

  it('does nothing when unlimited', async () => {
    const clock: Clock = { now: () => 0, sleep: () => Promise.reject(new Error('should not sleep')) };
    const bucket = new TokenBucket(Infinity, clock);
    for (let i = 0; i < 100; i++) await bucket.take();
    expect(bucket.limited).toBe(false);
  });
});
