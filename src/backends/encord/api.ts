/**
 * The Encord endpoints encord-rules uses (encord-api.md §2), one function each, over
 * EncordHttpClient. Says which calls are safe to repeat; knows nothing of batches or outcomes.
 */
import type { TaskFilter } from '../backend.js';
import type { LabelRow, LabelRowMetadata } from '../../model/index.js';
import type { EncordHttpClient } from './http-client.js';
import { formatQuery } from './url.js';

export interface PathwayAction {
  taskUuid: string;
  pathwayUuid: string;
}

const seg = encodeURIComponent;

export class EncordApi {
  constructor(readonly http: EncordHttpClient) {}

  fetchProject(projectHash: string): Promise<unknown> {
    return this.http.callV2('GET', `/projects/${seg(projectHash)}`, undefined, { idempotent: true, endpoint: 'GET project' });
  }

  fetchOntology(ontologyHash: string): Promise<unknown> {
    return this.http.callV2('GET', `/ontologies/${seg(ontologyHash)}`, undefined, { idempotent: true, endpoint: 'GET ontology' });
  }

  fetchStageTaskPage(projectHash: string, stageUuid: string, filter: TaskFilter = {}, pageToken?: string): Promise<unknown> {
    const query = formatQuery({
      pageToken,
      userEmails: filter.userEmails,
      dataHashes: filter.dataHashes,
      datasetHashes: filter.datasetHashes,
      dataTitleContains: filter.dataTitleContains,
      statuses: filter.statuses,
    });
    const path = `/projects/${seg(projectHash)}/workflow/stages/${seg(stageUuid)}/tasks${query}`;
    return this.http.callV2('GET', path, undefined, { idempotent: true, endpoint: 'GET tasks' });
  }

  /** Not safe to repeat blindly: see commit-moves.ts for what happens after an ambiguous failure. */
  async postPathwayActions(projectHash: string, stageUuid: string, actions: PathwayAction[]): Promise<void> {
    const body = actions.map((a) => ({ taskUuid: a.taskUuid, action: 'PATHWAY_ACTION', pathwayUuid: a.pathwayUuid }));
    const path = `/projects/${seg(projectHash)}/workflow/stages/${seg(stageUuid)}/actions`;
    await this.http.callV2('POST', path, body, { idempotent: false, endpoint: 'POST actions' });
  }

  /** Setting the same values twice leaves the same state, so retries are safe. */
  async postPriorities(projectHash: string, priorities: [dataHash: string, priority: number][]): Promise<void> {
    await this.http.callV2('POST', `/projects/${seg(projectHash)}/priorities`, { priorities }, { idempotent: true, endpoint: 'POST priorities' });
  }

  async fetchLabelRowMetadata(projectHash: string, dataHashes: string[], includeClientMetadata: boolean): Promise<LabelRowMetadata[]> {
    // Every key the SDK sends, null when unused: the server has only seen that shape.
    const payload = {
      edited_before: null, edited_after: null, label_statuses: null, shadow_data_state: null,
      include_uninitialised_labels: true, data_hashes: dataHashes, label_hashes: null,
      data_title_eq: null, data_title_like: null, workflow_graph_node_title_eq: null, workflow_graph_node_title_like: null,
      include_client_metadata: includeClientMetadata, include_images_data: false, include_children: false,
      include_workflow_graph_node: true, include_all_label_branches: false, branch_name: null,
    };
    const response = await this.http.callV1(
      projectHash,
      { queryType: 'labelrowmetadata', method: 'GET', uid: null, payload },
      { idempotent: true, endpoint: 'v1 labelrowmetadata' },
    );
    return (Array.isArray(response) ? response : []) as LabelRowMetadata[];
  }

  async fetchLabelRows(projectHash: string, labelHashes: string[]): Promise<LabelRow[]> {
    const payload = {
      get_signed_url: false, multi_request: true, include_object_feature_hashes: null,
      include_classification_feature_hashes: null, include_reviews: false, include_export_history: false, include_archived: false,
    };
    const response = await this.http.callV1(
      projectHash,
      { queryType: 'labelrow', method: 'GET', uid: labelHashes, payload },
      { idempotent: true, endpoint: 'v1 labelrow GET' },
    );
    return (Array.isArray(response) ? response : []) as LabelRow[];
  }

  /** Initialises rows that have no label hash yet. Not assumed safe to repeat (see records.ts). */
  async createLabelRows(projectHash: string, dataHashes: string[], branchName: string | null): Promise<LabelRow[]> {
    const response = await this.http.callV1(
      projectHash,
      { queryType: 'labelrow', method: 'PUT', uid: dataHashes, payload: { multi_request: true, get_signed_url: false, branch_name: branchName } },
      { idempotent: false, endpoint: 'v1 labelrow PUT' },
    );
    return (Array.isArray(response) ? response : []) as LabelRow[];
  }

  /** Saving the same whole rows twice leaves the same labels, so retries are safe. */
  async saveLabelRows(projectHash: string, rows: LabelRow[]): Promise<void> {
    await this.http.callV1(
      projectHash,
      {
        queryType: 'labelrow',
        method: 'POST',
        uid: rows.map((r) => r.label_hash as string),
        payload: { multi_request: true, labels: rows, validate_before_saving: false },
      },
      { idempotent: true, endpoint: 'v1 labelrow POST' },
    );
  }
}
