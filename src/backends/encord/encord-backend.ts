/**
 * The Backend on the Encord platform: v2 REST for the project, task listing, priorities and
 * moves; v1 RPC for label rows (encord-api.md §2). HTTP call counts per batch of N tasks:
 * 1 metadata call, ⌈N/100⌉ label saves, ⌈N/1000⌉ priority calls, ⌈N/1000⌉ proceeds, plus
 * full-row fetches only when a stage reads labels.
 */
import { BackendError } from '../backend.js';
import type { Backend, CommitBatch, TaskCommitOutcome, TaskPage, TaskPageRequest } from '../backend.js';
import type { AgentTask, DocumentNeeds, Project, TaskRecord } from '../../model/index.js';
import { EncordApi } from './api.js';
import { commitBatch } from './commit.js';
import { loadEncordCredentials, ENCORD_ENV, type CredentialIO } from './credentials.js';
import { EncordApiError } from './errors.js';
import { EncordHttpClient, type EncordHttpOptions } from './http-client.js';
import { fetchTaskRecords } from './records.js';
import { readEmbeddedOntology, readOntology, readProject, readTaskPage } from './wire.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when the text has the shape of an Encord project hash (a UUID). Pure. */
export function isEncordProjectHash(text: string): boolean {
  return UUID.test(text);
}

export class EncordBackend implements Backend {
  readonly kind = 'encord' as const;
  readonly api: EncordApi;

  constructor(options: EncordHttpOptions) {
    this.api = new EncordApi(new EncordHttpClient(options));
  }

  /**
   * Project, workflow and ontology: one call, two when the project comes without its ontology.
   * Not cached: a long-running caller that asks again wants the workflow as it is now.
   */
  async getProject(projectHash: string): Promise<Project> {
    if (!isEncordProjectHash(projectHash)) {
      throw new BackendError('backend/project-not-found', `"${projectHash}" is not an Encord project hash`, 'An Encord project hash is a UUID: copy it from the project page in Encord.');
    }
    let body: unknown;
    try {
      body = await this.api.fetchProject(projectHash);
    } catch (error) {
      if (error instanceof EncordApiError && (error.code === 'encord/not-found' || error.code === 'encord/resource-not-found')) {
        throw new BackendError('backend/project-not-found', `Encord has no project ${projectHash} (or this user cannot see it)`, 'Check the project hash, and that the key belongs to a member of the project.');
      }
      throw error;
    }
    const ontology = readEmbeddedOntology(body) ?? (await this.fetchOntologyOf(body));
    return readProject(body, ontology);
  }

  private async fetchOntologyOf(body: unknown): Promise<ReturnType<typeof readOntology>> {
    const record = body as Record<string, unknown>;
    const hash = record.ontologyHash ?? record.ontology_hash;
    if (typeof hash !== 'string') return { objects: [], classifications: [] };
    const ontology = (await this.api.fetchOntology(hash)) as Record<string, unknown> | undefined;
    return readOntology(ontology?.editor ?? {});
  }

  async listStageTasks(projectHash: string, stageUuid: string, request: TaskPageRequest = {}): Promise<TaskPage> {
    return readTaskPage(await this.api.fetchStageTaskPage(projectHash, stageUuid, request.filter, request.pageToken));
  }

  fetchTaskRecords(projectHash: string, tasks: AgentTask[], needs: DocumentNeeds): Promise<TaskRecord[]> {
    return fetchTaskRecords(this.api, projectHash, tasks, needs);
  }

  commitBatch(projectHash: string, batch: CommitBatch): Promise<TaskCommitOutcome[]> {
    return commitBatch(this.api, projectHash, batch);
  }

  close(): Promise<void> {
    return this.api.http.close();
  }
}

export type EncordBackendEnvOptions = Omit<EncordHttpOptions, 'credentials' | 'domain'> & CredentialIO;

/**
 * An EncordBackend from ENCORD_SSH_KEY_FILE / ENCORD_SSH_KEY / ENCORD_BEARER_TOKEN and
 * ENCORD_DOMAIN. Throws BackendError `encord/no-credentials`, `encord/bad-key`, `encord/bad-domain`.
 */
export function createEncordBackendFromEnv(env: NodeJS.ProcessEnv, options: EncordBackendEnvOptions): EncordBackend {
  const credentials = loadEncordCredentials(env, options);
  return new EncordBackend({ ...options, credentials, domain: env[ENCORD_ENV.domain] });
}
