/**
 * An in-process fake of the Encord API (node:http on 127.0.0.1, port 0) for tests and benches:
 * verifies every signature, holds project state, counts requests per endpoint and injects
 * faults on demand (429 + Retry-After, 5xx, hangs, dropped connections before and after the
 * request was processed).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Project } from '../../src/model/index.js';
import { verifyV1Request, verifyV2Request, type AuthResult } from './auth.js';
import { getOntology, getProject, handleV1, listTasks, NotFound, postActions, postPriorities, type RouteContext, type RouteResult } from './routes.js';
import { FakeProjectState, RejectedRequest, type SeedTask } from './state.js';
import type { KeyStyle } from './wire.js';

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown }
  /** Never answer; the client must time out. */
  | { kind: 'hang' }
  /** Close the connection without acting on the request. */
  | { kind: 'drop-before' }
  /** Act on the request, then close the connection without answering. */
  | { kind: 'drop-after' }
  /** Run something first (e.g. someone else moves a task), then handle normally. */
  | { kind: 'run'; run: () => void };

export interface FakeEncordOptions {
  projects: { project: Project; tasks: Iterable<SeedTask>; withoutWorkflow?: boolean }[];
  publicKeys?: string[];
  bearerTokens?: string[];
  style?: KeyStyle;
  /** Tasks per page of a stage listing (Encord chooses; unknown, 100 assumed). */
  pageSize?: number;
  now?: () => number;
  pagination?: 'keyset' | 'offset';
  /** gzip response bodies when the client accepts it (the SDK sends Accept-Encoding: gzip). */
  gzip?: boolean;
}

export interface RecordedRequest {
  endpoint: string;
  method: string;
  url: string;
  status: number | 'dropped' | 'hung';
}

export interface FakeEncord {
  url: string;
  state(projectHash: string): FakeProjectState;
  /** Requests that arrived, per endpoint (`GET tasks`, `POST actions`, `v1 labelrow POST`, …). */
  counts(): Record<string, number>;
  total(): number;
  requests: RecordedRequest[];
  resetCounts(): void;
  setOmitEmbeddedOntology(omit: boolean): void;
  /** Applies `fault` to the next `times` requests to `endpoint`. */
  inject(endpoint: string, fault: Fault, times?: number): void;
  close(): Promise<void>;
}

interface PendingFault {
  endpoint: string;
  fault: Fault;
  remaining: number;
}

const V2_ROUTES: [string, string, RegExp][] = [
  ['GET', 'GET tasks', /^\/v2\/public\/projects\/([^/]+)\/workflow\/stages\/([^/]+)\/tasks$/],
  ['POST', 'POST actions', /^\/v2\/public\/projects\/([^/]+)\/workflow\/stages\/([^/]+)\/actions$/],
  ['POST', 'POST priorities', /^\/v2\/public\/projects\/([^/]+)\/priorities$/],
  ['GET', 'GET project', /^\/v2\/public\/projects\/([^/]+)$/],
  ['GET', 'GET ontology', /^\/v2\/public\/ontologies\/([^/]+)$/],
];

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new RejectedRequest('the body is not JSON');
  }
}

function endpointOf(method: string, path: string, body: Buffer): { endpoint: string; params: string[] } {
  if (path === '/public' && method === 'POST') {
    const rpc = (() => {
      try {
        return JSON.parse(body.toString('utf8')) as { query_type?: unknown; query_method?: unknown };
      } catch {
        return {};
      }
    })();
    return { endpoint: `v1 ${String(rpc.query_type)} ${String(rpc.query_method)}`, params: [] };
  }
  for (const [m, name, pattern] of V2_ROUTES) {
    const match = pattern.exec(path);
    if (match && m === method) return { endpoint: name, params: match.slice(1).map(decodeURIComponent) };
  }
  return { endpoint: `unknown ${method} ${path}`, params: [] };
}

export async function startFakeEncord(options: FakeEncordOptions): Promise<FakeEncord> {
  const now = options.now ?? (() => Date.now());
  const ctx: RouteContext = { projects: new Map(), style: options.style ?? 'camel', pageSize: options.pageSize ?? 100, withoutWorkflow: new Set(), omitEmbeddedOntology: false, pagination: options.pagination ?? 'keyset' };
  for (const p of options.projects) {
    ctx.projects.set(p.project.projectHash, new FakeProjectState(p.project, p.tasks));
    if (p.withoutWorkflow) ctx.withoutWorkflow.add(p.project.projectHash);
  }
  const auth = { publicKeys: new Set(options.publicKeys ?? []), bearerTokens: new Set(options.bearerTokens ?? []), now, maxAgeSeconds: 300 };
  const counts: Record<string, number> = {};
  const requests: RecordedRequest[] = [];
  const faults: PendingFault[] = [];
  const sockets = new Set<Socket>();

  function takeFault(endpoint: string): Fault | undefined {
    const pending = faults.find((f) => f.endpoint === endpoint && f.remaining > 0);
    if (!pending) return undefined;
    pending.remaining -= 1;
    return pending.fault;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const { endpoint, params } = endpointOf(method, url.pathname, body);
    counts[endpoint] = (counts[endpoint] ?? 0) + 1;
    const record: RecordedRequest = { endpoint, method, url: req.url ?? '', status: 0 };
    requests.push(record);
    const fault = takeFault(endpoint);
    if (fault?.kind === 'hang') return void (record.status = 'hung');
    if (fault?.kind === 'drop-before') return void ((record.status = 'dropped'), req.socket.destroy());
    if (fault?.kind === 'status') {
      if (fault.retryAfter !== undefined) res.setHeader('Retry-After', fault.retryAfter);
      return void ((record.status = fault.status), sendJson(res, fault.status, fault.body ?? { message: `injected ${fault.status}` }));
    }
    if (fault?.kind === 'run') fault.run();
    const result = url.pathname === '/public' ? serveV1(req, body) : serveV2(req, endpoint, params, url, body);
    if (fault?.kind === 'drop-after') return void ((record.status = 'dropped'), req.socket.destroy());
    record.status = result.status;
    const gzip = options.gzip === true && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    sendJson(res, result.status, result.body, gzip);
  }

  function serveV2(req: IncomingMessage, endpoint: string, params: string[], url: URL, body: Buffer): RouteResult {
    const verdict = verifyV2Request(req, body, auth);
    if (!verdict.ok) return { status: verdict.status, body: { message: verdict.message } };
    try {
      const json = parseJson(body);
      const [a = '', b = ''] = params;
      switch (endpoint) {
        case 'GET project':
          return getProject(ctx, a);
        case 'GET ontology':
          return getOntology(ctx, a);
        case 'GET tasks':
          return listTasks(ctx, a, b, url.searchParams);
        case 'POST actions':
          return postActions(ctx, a, b, json);
        case 'POST priorities':
          return postPriorities(ctx, a, json);
        default:
          return { status: 404, body: { message: `no route ${req.method} ${url.pathname}` } };
      }
    } catch (error) {
      if (error instanceof NotFound) return { status: 404, body: { message: error.message } };
      if (error instanceof RejectedRequest) return { status: 400, body: { message: error.message } };
      throw error;
    }
  }

  function serveV1(req: IncomingMessage, body: Buffer): RouteResult {
    const projectHash = req.headers['resourceid'] as string | undefined;
    const verdict: AuthResult = verifyV1Request(req, body, auth, projectHash);
    if (!verdict.ok) return envelope(verdict.status, [verdict.v1Code], verdict.message);
    try {
      const rpc = parseJson(body) as { query_type?: unknown; query_method?: unknown; values?: { uid?: unknown; payload?: unknown } } | undefined;
      if (!rpc || typeof rpc.query_type !== 'string' || typeof rpc.query_method !== 'string' || !rpc.values) {
        throw new RejectedRequest('malformed RPC body');
      }
      const result = handleV1(ctx, projectHash ?? '', rpc.query_type, rpc.query_method, rpc.values.uid, rpc.values.payload);
      return envelope(200, result, null);
    } catch (error) {
      if (error instanceof NotFound) return envelope(404, ['RESOURCE_NOT_FOUND_ERROR'], error.message);
      if (error instanceof RejectedRequest) return envelope(400, [error.v1Code], error.payload);
      throw error;
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendJson(res, 500, { message: `fake bug: ${(error as Error).message}` }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state(projectHash) {
      const state = ctx.projects.get(projectHash);
      if (!state) throw new Error(`fake has no project ${projectHash}`);
      return state;
    },
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    requests,
    resetCounts() {
      for (const key of Object.keys(counts)) delete counts[key];
      requests.length = 0;
    },
    setOmitEmbeddedOntology(omit) {
      ctx.omitEmbeddedOntology = omit;
    },
    inject(endpoint, fault, times = 1) {
      faults.push({ endpoint, fault, remaining: times });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** v1 answers carry their own status in a JSON envelope; HTTP stays 200. */
function envelope(status: number, response: unknown, payload: unknown): RouteResult {
  return { status: 200, body: { status, response, payload } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, gzip = false): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status === 200 && body === undefined ? 204 : status).end();
    return;
  }
  const text = Buffer.from(JSON.stringify(body));
  const bytes = gzip ? gzipSync(text) : text;
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': bytes.length };
  if (gzip) headers['Content-Encoding'] = 'gzip';
  res.writeHead(status, headers).end(bytes);
}
