/**
 * The endpoints the fake Encord serves (encord-api.md §2), each checking the request shape
 * the way the real API would and answering in its shapes. Pure over the project state:
 * server.ts does the HTTP, auth and fault injection.
 */
import type { LabelRow } from '../../src/model/index.js';
import { RejectedRequest, type FakeProjectState, type PathwayAction, type TaskQuery } from './state.js';
import { serialiseOntology, serialiseProject, serialiseTask, type KeyStyle } from './wire.js';

export interface RouteContext {
  projects: Map<string, FakeProjectState>;
  style: KeyStyle;
  pageSize: number;
  /** Projects served without a workflow (manual QA), for the error path. */
  withoutWorkflow: Set<string>;
  /** Serve projects without `editorOntology`, so the client must fetch the ontology. */
  omitEmbeddedOntology: boolean;
  /**
   * keyset: a token resumes after the last task returned (moved tasks shift nothing).
   * offset: a token is a position, as many REST APIs do: tasks moved out shift later pages.
   * Encord's choice is undocumented; clients must work with both.
   */
  pagination: 'keyset' | 'offset';
}

export type RouteResult = { status: number; body?: unknown };

/** 1000 actions or priorities per call (LABEL_ROW_BUNDLE_DEFAULT_LIMIT). */
export const MAX_BULK = 1000;
export const MAX_LABELS_PER_SAVE = 100;
const TASK_QUERY_KEYS = new Set(['pageToken', 'userEmails', 'dataHashes', 'datasetHashes', 'dataTitleContains', 'statuses']);
const STATUSES = new Set(['NEW', 'ASSIGNED', 'RELEASED', 'SKIPPED', 'REOPENED', 'COMPLETED']);

function project(ctx: RouteContext, hash: string): FakeProjectState {
  const state = ctx.projects.get(hash);
  if (!state) throw new NotFound(`project ${hash} not found`);
  return state;
}

export class NotFound extends Error {}

export function getProject(ctx: RouteContext, hash: string): RouteResult {
  const state = project(ctx, hash);
  return { status: 200, body: serialiseProject(state.project, ctx.style, { withWorkflow: !ctx.withoutWorkflow.has(hash), withOntology: !ctx.omitEmbeddedOntology }) };
}

export function getOntology(ctx: RouteContext, ontologyHash: string): RouteResult {
  const state = [...ctx.projects.values()].find((p) => p.project.ontologyHash === ontologyHash);
  if (!state) throw new NotFound(`ontology ${ontologyHash} not found`);
  return { status: 200, body: serialiseOntology(state.project, ctx.style) };
}

function encodePageToken(position: number): string {
  return Buffer.from(JSON.stringify({ at: position })).toString('base64url');
}

function decodePageToken(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  try {
    const at = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { at?: unknown }).at;
    if (typeof at === 'number') return at;
  } catch {
    // fall through: a token we did not issue
  }
  throw new RejectedRequest('invalid pageToken');
}

function readTaskQuery(params: URLSearchParams): { query: TaskQuery; pageToken?: string } {
  for (const key of params.keys()) if (!TASK_QUERY_KEYS.has(key)) throw new RejectedRequest(`unknown query parameter ${key}`);
  const list = (key: string): string[] | undefined => (params.has(key) ? params.getAll(key) : undefined);
  const statuses = list('statuses');
  for (const s of statuses ?? []) if (!STATUSES.has(s)) throw new RejectedRequest(`invalid status ${s}`);
  const query: TaskQuery = {};
  if (params.has('dataHashes')) query.dataHashes = list('dataHashes');
  if (params.has('datasetHashes')) query.datasetHashes = list('datasetHashes');
  if (params.has('userEmails')) query.userEmails = list('userEmails');
  if (statuses) query.statuses = statuses;
  const title = params.get('dataTitleContains');
  if (title !== null) query.dataTitleContains = title;
  const pageToken = params.get('pageToken') ?? undefined;
  return pageToken === undefined ? { query } : { query, pageToken };
}

export function listTasks(ctx: RouteContext, hash: string, stageUuid: string, params: URLSearchParams): RouteResult {
  const state = project(ctx, hash);
  const stage = state.stage(stageUuid);
  // The SDK lists every stage type through this endpoint (annotation, review, … tasks differ in shape only).
  if (!stage) throw new NotFound(`stage ${stageUuid} not found`);
  const { query, pageToken } = readTaskQuery(params);
  const position = decodePageToken(pageToken);
  const page =
    ctx.pagination === 'keyset'
      ? state.queryStage(stageUuid, query, position ?? -1, 0, ctx.pageSize)
      : state.queryStage(stageUuid, query, -1, position ?? 0, ctx.pageSize);
  const body: Record<string, unknown> = { results: page.tasks.map((t) => serialiseTask(t, ctx.style)) };
  const next = ctx.pagination === 'keyset' ? page.lastSeq : (position ?? 0) + page.tasks.length;
  if (page.more && next !== undefined) body[ctx.style === 'camel' ? 'nextPageToken' : 'next_page_token'] = encodePageToken(next);
  return { status: 200, body };
}

function readActions(body: unknown): PathwayAction[] {
  if (!Array.isArray(body)) throw new RejectedRequest('the body must be a JSON array of actions');
  if (body.length > MAX_BULK) throw new RejectedRequest(`at most ${MAX_BULK} actions per request`);
  return body.map((item: unknown) => {
    const a = item as Record<string, unknown>;
    if (!a || typeof a.taskUuid !== 'string' || a.action !== 'PATHWAY_ACTION') throw new RejectedRequest('malformed action');
    if (typeof a.pathwayUuid !== 'string' && typeof a.pathwayName !== 'string') throw new RejectedRequest('an action needs pathwayUuid or pathwayName');
    const action: PathwayAction = { taskUuid: a.taskUuid };
    if (typeof a.pathwayUuid === 'string') action.pathwayUuid = a.pathwayUuid;
    else action.pathwayName = a.pathwayName as string;
    return action;
  });
}

export function postActions(ctx: RouteContext, hash: string, stageUuid: string, body: unknown): RouteResult {
  project(ctx, hash).applyPathwayActions(stageUuid, readActions(body));
  return { status: 204 };
}

export function postPriorities(ctx: RouteContext, hash: string, body: unknown): RouteResult {
  const pairs = (body as { priorities?: unknown } | undefined)?.priorities;
  if (!Array.isArray(pairs) || pairs.some((p) => !Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string')) {
    throw new RejectedRequest('body must be {"priorities": [[dataHash, priority], …]}');
  }
  if (pairs.length > MAX_BULK) throw new RejectedRequest(`at most ${MAX_BULK} priorities per request`);
  project(ctx, hash).setPriorities(pairs as [string, number][]);
  return { status: 204 };
}

const METADATA_PAYLOAD_KEYS = new Set([
  'edited_before', 'edited_after', 'label_statuses', 'shadow_data_state', 'include_uninitialised_labels', 'data_hashes',
  'label_hashes', 'data_title_eq', 'data_title_like', 'workflow_graph_node_title_eq', 'workflow_graph_node_title_like',
  'include_client_metadata', 'include_images_data', 'include_children', 'include_workflow_graph_node',
  'include_all_label_branches', 'branch_name',
]);

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new RejectedRequest(`${what} must be a list of strings`);
  return value as string[];
}

/** One v1 RPC call: `{query_type, query_method, values: {uid, payload}}`; returns the envelope's `response`. */
export function handleV1(ctx: RouteContext, hash: string, queryType: string, method: string, uid: unknown, payload: unknown): unknown {
  const state = project(ctx, hash);
  const p = (payload ?? {}) as Record<string, unknown>;
  if (queryType === 'labelrowmetadata' && method === 'GET') {
    for (const key of Object.keys(p)) if (!METADATA_PAYLOAD_KEYS.has(key)) throw new RejectedRequest(`unknown payload key ${key}`);
    return state.listMetadata({
      dataHashes: p.data_hashes === null || p.data_hashes === undefined ? null : stringList(p.data_hashes, 'data_hashes'),
      includeClientMetadata: p.include_client_metadata === true,
      includeWorkflowGraphNode: p.include_workflow_graph_node === true,
      includeUninitialised: p.include_uninitialised_labels === true,
    });
  }
  if (queryType === 'labelrow') {
    const uids = stringList(uid, 'uid');
    if (method === 'GET') {
      if (uids.length > MAX_BULK) throw new RejectedRequest(`at most ${MAX_BULK} label rows per request`);
      return state.getRows(uids);
    }
    if (method === 'PUT') return state.createRows(uids);
    if (method === 'POST') {
      if (uids.length > MAX_LABELS_PER_SAVE) {
        throw new RejectedRequest('too many labels', 'MULTI_LABEL_LIMIT_ERROR', { maximum_labels_allowed: MAX_LABELS_PER_SAVE });
      }
      if (p.multi_request !== true || !Array.isArray(p.labels)) throw new RejectedRequest('a save needs multi_request and labels');
      state.saveRows(uids, p.labels as LabelRow[]);
      return uids.map(() => ({ status: 'ok' }));
    }
  }
  throw new RejectedRequest(`unsupported query ${queryType} ${method}`, 'OPERATION_NOT_ALLOWED');
}
