/**
 * The one place that talks HTTP to Encord: signs every request (or adds the bearer token),
 * limits the rate, times out, retries per retry-policy.ts, and maps failures to
 * EncordApiError. Requests are written with node:http(s) rather than fetch so we know whether
 * a request left this machine before a failure: that decides whether a proceed may be re-sent.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { EncordCredentials } from './credentials.js';
import { createV1Error, createV2Error, EncordApiError } from './errors.js';
import { systemClock, TokenBucket, type Clock } from './rate-limiter.js';
import { DEFAULT_RETRY, parseRetryAfter, planRetry, type AttemptOutcome } from './retry-policy.js';
import { createdFor, signV1Body, signV2Request } from './signing.js';
import { resolveEncordDomain } from './url.js';

export { DEFAULT_ENCORD_DOMAIN, encodeQueryComponent, formatQuery, resolveEncordDomain } from './url.js';

export interface HttpLogEvent {
  endpoint: string;
  method: string;
  attempt: number;
  status?: number;
  /** Set when the call will be retried. */
  retryInMs?: number;
  error?: string;
}

export interface EncordHttpOptions {
  domain?: string;
  credentials: EncordCredentials;
  /** Per attempt. The SDK waits 180 s; a stuck agent run is worse than a retried call. */
  timeoutMs?: number;
  maxRetries?: number;
  /** Requests per second (token bucket); unlimited when absent. */
  rate?: number;
  baseDelayMs?: number;
  userAgent?: string;
  clock?: Clock;
  random?: () => number;
  /** Called per attempt; never given headers or bodies, so it cannot leak credentials. */
  log?: (event: HttpLogEvent) => void;
  /** Stops waiting between retries (a request in flight is allowed to finish). */
  signal?: AbortSignal;
}

export interface CallOptions {
  /** Safe to repeat after an ambiguous failure (GETs, priorities, label saves). */
  idempotent: boolean;
  /** Names the call in errors and logs, e.g. `POST actions`. */
  endpoint: string;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Attempt = { ok: true; response: RawResponse } | { ok: false; outcome: AttemptOutcome; error: string };

export class EncordHttpClient {
  readonly domain: string;
  private readonly url: URL;
  private readonly agent: HttpAgent;
  private readonly bucket: TokenBucket;
  private readonly clock: Clock;
  private readonly options: EncordHttpOptions;

  constructor(options: EncordHttpOptions) {
    this.options = options;
    this.domain = resolveEncordDomain(options.domain);
    this.url = new URL(this.domain);
    this.clock = options.clock ?? systemClock;
    this.bucket = new TokenBucket(options.rate ?? Infinity, this.clock);
    const agentOptions = { keepAlive: true, maxSockets: 8 };
    this.agent = this.url.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  /** A v2 REST call; `path` is below `/v2/public` and already percent-encoded. Returns the parsed body (undefined when empty). */
  async callV2(method: 'GET' | 'POST', path: string, body: unknown, call: CallOptions): Promise<unknown> {
    const target = `${this.url.pathname.replace(/\/$/, '')}/v2/public${path}`;
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
    const response = await this.send(method, target, bytes, call, () => this.v2Headers(method, target, bytes));
    const parsed = parseJson(response.body, call.endpoint);
    if (response.status !== 200 && response.status !== 204) throw createV2Error(call.endpoint, response.status, parsed);
    return parsed;
  }

  /** A v1 RPC call (`POST /public`) for a project; returns the envelope's `response`. */
  async callV1(projectHash: string, query: V1Query, call: CallOptions): Promise<unknown> {
    const target = `${this.url.pathname.replace(/\/$/, '')}/public`;
    const bytes = Buffer.from(
      JSON.stringify({ query_type: query.queryType, query_method: query.method, values: { uid: query.uid, payload: query.payload } }),
      'utf8',
    );
    const response = await this.send('POST', target, bytes, call, () => this.v1Headers(projectHash, bytes));
    const envelope = parseJson(response.body, call.endpoint);
    if (!envelope || typeof envelope !== 'object') {
      if (response.status !== 200) throw createV2Error(call.endpoint, response.status, envelope);
      throw new EncordApiError('encord/bad-response', `${call.endpoint}: expected a JSON envelope (HTTP ${response.status})`, response.status);
    }
    const { status, response: result, payload } = envelope as Record<string, unknown>;
    if (status !== 200) throw createV1Error(call.endpoint, typeof status === 'number' ? status : response.status, result, payload);
    return result;
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private authHeaders(): Record<string, string> | undefined {
    const { credentials } = this.options;
    return credentials.kind === 'bearer' ? { Authorization: `Bearer ${credentials.token}` } : undefined;
  }

  private v2Headers(method: string, target: string, body: Buffer): Record<string, string> {
    const { credentials } = this.options;
    const auth =
      this.authHeaders() ??
      (credentials.kind === 'ssh'
        ? signV2Request({ method, requestTarget: target, body, created: createdFor(this.clock.now()) }, credentials.key)
        : {});
    return { ...this.commonHeaders(body), ...auth };
  }

  private v1Headers(projectHash: string, body: Buffer): Record<string, string> {
    const { credentials } = this.options;
    const auth = this.authHeaders() ?? { Authorization: credentials.kind === 'ssh' ? signV1Body(body, credentials.key) : '' };
    return { ...this.commonHeaders(body), ...auth, ResourceType: 'project', ResourceID: projectHash };
  }

  private commonHeaders(body: Buffer): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Encoding': 'gzip',
      'User-Agent': this.options.userAgent ?? 'encord-rules',
      'X-Cloud-Trace-Context': `${randomUUID().replace(/-/g, '')}/1;o=1`,
    };
    if (body.length > 0) headers['Content-Type'] = 'application/json';
    return headers;
  }

  /** Sends with retries; headers are rebuilt per attempt so `created` stays fresh. */
  private async send(
    method: string,
    target: string,
    body: Buffer,
    call: CallOptions,
    headers: () => Record<string, string>,
  ): Promise<RawResponse> {
    const policy = { ...DEFAULT_RETRY, idempotent: call.idempotent, random: this.options.random ?? Math.random };
    if (this.options.maxRetries !== undefined) policy.maxRetries = this.options.maxRetries;
    if (this.options.baseDelayMs !== undefined) policy.baseDelayMs = this.options.baseDelayMs;
    for (let attempt = 0; ; attempt++) {
      await this.waitOrStop(() => this.bucket.take(this.options.signal), call.endpoint);
      const result = await this.attempt(method, target, body, headers());
      if (result.ok && !isRetryStatus(result.response.status)) {
        this.log({ endpoint: call.endpoint, method, attempt, status: result.response.status });
        return result.response;
      }
      const outcome = result.ok ? responseOutcome(result.response, this.clock.now()) : result.outcome;
      const decision = planRetry(outcome, attempt, policy);
      const error = result.ok ? undefined : result.error;
      this.log({ endpoint: call.endpoint, method, attempt, status: result.ok ? result.response.status : undefined, error, ...(decision.retry ? { retryInMs: decision.delayMs } : {}) });
      if (!decision.retry) {
        if (result.ok) throw createV2Error(call.endpoint, result.response.status, parseJsonQuietly(result.response.body), decision.ambiguous);
        throw networkError(call.endpoint, outcome, result.error, decision.ambiguous);
      }
      await this.waitOrStop(() => this.clock.sleep(decision.delayMs, this.options.signal), call.endpoint);
    }
  }

  /** A stop request ends a wait (rate limit, backoff) as a BackendError, never mid-request. */
  private async waitOrStop(wait: () => Promise<void>, endpoint: string): Promise<void> {
    try {
      await wait();
    } catch (error) {
      if (!this.options.signal?.aborted) throw error;
      throw new EncordApiError('encord/stopped', `${endpoint}: stopped before the request was sent`, 0, false);
    }
  }

  private attempt(method: string, target: string, body: Buffer, headers: Record<string, string>): Promise<Attempt> {
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let sent = false;
      const signal = AbortSignal.timeout(timeoutMs);
      const fail = (error: Error): void => {
        const timedOut = signal.aborted;
        resolve({ ok: false, outcome: { kind: 'network', sent, timedOut }, error: timedOut ? `no answer within ${timeoutMs} ms` : describeNetworkError(error) });
      };
      const req = send(
        { protocol: this.url.protocol, hostname: this.url.hostname.replace(/^\[|\]$/g, ''), port: this.url.port, path: target, method, agent: this.agent, signal, headers: { ...headers, 'Content-Length': String(body.length) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', fail);
          res.on('aborted', () => fail(new Error('connection closed mid-response')));
          res.on('end', () => {
            if (!res.complete) return fail(new Error('connection closed mid-response'));
            try {
              const raw = Buffer.concat(chunks);
              const decoded = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
              resolve({ ok: true, response: { status: res.statusCode ?? 0, headers: res.headers, body: decoded } });
            } catch (error) {
              fail(error as Error);
            }
          });
        },
      );
      req.on('finish', () => {
        sent = true;
      });
      req.on('error', fail);
      req.end(body);
    });
  }

  private log(event: HttpLogEvent): void {
    this.options.log?.(event);
  }
}

export interface V1Query {
  queryType: string;
  method: 'GET' | 'POST' | 'PUT';
  uid: string | string[] | null;
  payload: unknown;
}

function isRetryStatus(status: number): boolean {
  return status === 413 || status === 429 || status >= 500;
}

function responseOutcome(response: RawResponse, nowMs: number): AttemptOutcome {
  const header = response.headers['retry-after'];
  const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header, nowMs);
  return retryAfterMs === undefined ? { kind: 'response', status: response.status } : { kind: 'response', status: response.status, retryAfterMs };
}

function describeNetworkError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${error.message}` : error.message;
}

function networkError(endpoint: string, outcome: AttemptOutcome, detail: string, ambiguous: boolean): EncordApiError {
  const timedOut = outcome.kind === 'network' && outcome.timedOut;
  return new EncordApiError(timedOut ? 'encord/timeout' : 'encord/network', `${endpoint}: ${detail}`, 0, ambiguous);
}

function parseJsonQuietly(body: Buffer): unknown {
  try {
    return body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function parseJson(body: Buffer, endpoint: string): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new EncordApiError('encord/bad-response', `${endpoint}: the response is not JSON`, 0);
  }
}
