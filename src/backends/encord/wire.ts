/**
 * Reads Encord's v2 JSON into our model. The SDK parses with pydantic `populate_by_name`, so
 * both camelCase and snake_case keys occur (encord-api.md §2.0); every read accepts both.
 * Pure; throws BackendError for shapes we cannot use.
 */
import { BackendError } from '../backend.js';
import type { TaskPage } from '../backend.js';
import type { AgentTask, Ontology, Pathway, Project, Stage, StageType, TaskStatus } from '../../model/index.js';

type Json = Record<string, unknown>;

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The value under a camelCase key or its snake_case twin. */
export function readKey(object: Json, camelKey: string): unknown {
  return camelKey in object ? object[camelKey] : object[snakeCase(camelKey)];
}

function asObject(value: unknown, what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BackendError('encord/bad-response', `Encord sent an unexpected ${what} (not an object)`);
  }
  return value as Json;
}

function readString(object: Json, key: string, what: string): string {
  const value = readKey(object, key);
  if (typeof value !== 'string') throw new BackendError('encord/bad-response', `Encord sent a ${what} without ${key}`);
  return value;
}

function optionalString(object: Json, key: string): string | null {
  const value = readKey(object, key);
  return typeof value === 'string' ? value : null;
}

function readPathway(value: unknown): Pathway {
  const p = asObject(value, 'pathway');
  return {
    uuid: readString(p, 'uuid', 'pathway'),
    // Encord calls it `title`; the SDK's AgentPathway (and our model) call it `name`.
    name: optionalString(p, 'title') ?? readString(p, 'name', 'pathway'),
    destinationUuid: readString(p, 'destinationUuid', 'pathway'),
  };
}

function readStage(value: unknown): Stage {
  const s = asObject(value, 'workflow stage');
  const stageType = readString(s, 'stageType', 'workflow stage') as StageType;
  const pathways = readKey(s, 'pathways');
  return {
    uuid: readString(s, 'uuid', 'workflow stage'),
    title: readString(s, 'title', 'workflow stage'),
    stageType,
    pathways: stageType === 'AGENT' && Array.isArray(pathways) ? pathways.map(readPathway) : [],
  };
}

/** The ontology `editor` structure, with missing lists as empty. */
export function readOntology(value: unknown): Ontology {
  const o = asObject(value, 'ontology');
  const objects = Array.isArray(o.objects) ? o.objects : [];
  const classifications = Array.isArray(o.classifications) ? o.classifications : [];
  return { ...o, objects, classifications } as Ontology;
}

/** The editor ontology embedded in a v2 project, if it came with one. */
export function readEmbeddedOntology(body: unknown): Ontology | undefined {
  const value = readKey(asObject(body, 'project'), 'editorOntology');
  return value && typeof value === 'object' ? readOntology(value) : undefined;
}

/**
 * A v2 project. Throws `encord/no-workflow` for a project that cannot be automated (no
 * workflow, or a manual-QA project), since agent stages only exist in workflows.
 */
export function readProject(body: unknown, ontology: Ontology): Project {
  const p = asObject(body, 'project');
  const projectHash = readString(p, 'projectHash', 'project');
  const title = optionalString(p, 'title') ?? projectHash;
  const workflow = readKey(p, 'workflow');
  const projectType = optionalString(p, 'projectType') ?? 'workflow';
  if (projectType !== 'workflow' || !workflow || typeof workflow !== 'object') {
    throw new BackendError(
      'encord/no-workflow',
      `project "${title}" (${projectHash}) has no workflow, so it has no agent stages to automate`,
      'Task agents need a workflow project with at least one agent stage; create one in Encord (Projects → New → Workflow).',
    );
  }
  const stages = readKey(workflow as Json, 'stages');
  return {
    projectHash,
    title,
    description: optionalString(p, 'description') ?? '',
    projectType: 'workflow',
    ontologyHash: optionalString(p, 'ontologyHash') ?? '',
    ontology,
    workflow: { stages: Array.isArray(stages) ? stages.map(readStage) : [] },
  };
}

export function readAgentTask(value: unknown): AgentTask {
  const t = asObject(value, 'task');
  return {
    uuid: readString(t, 'uuid', 'task'),
    createdAt: optionalString(t, 'createdAt') ?? '',
    updatedAt: optionalString(t, 'updatedAt') ?? '',
    status: (optionalString(t, 'status') ?? 'NEW') as TaskStatus,
    dataHash: readString(t, 'dataHash', 'task'),
    dataTitle: optionalString(t, 'dataTitle') ?? '',
    labelBranchName: optionalString(t, 'labelBranchName') ?? 'main',
    assignee: optionalString(t, 'assignee'),
    lastActionedBy: optionalString(t, 'lastActionedBy'),
  };
}

/** A `Page<AgentTask>`: `{results, nextPageToken?}`. */
export function readTaskPage(body: unknown): TaskPage {
  const page = asObject(body, 'task page');
  const results = readKey(page, 'results');
  if (!Array.isArray(results)) throw new BackendError('encord/bad-response', 'Encord sent a task page without results');
  const next = optionalString(page, 'nextPageToken');
  return next ? { tasks: results.map(readAgentTask), nextPageToken: next } : { tasks: results.map(readAgentTask) };
}
