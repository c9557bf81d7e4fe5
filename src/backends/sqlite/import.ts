/**
 * `local import`: label rows exported from Encord plus a workflow (and optionally an
 * ontology) become a project a store can load. Pure: parsed JSON/YAML in, a ProjectInput or
 * a list of problems out — nothing reaches the store unless everything checks out.
 */
import { randomUUID } from 'node:crypto';
import type { AgentTask, LabelRow, LabelRowMetadata, Ontology, Project, Stage, StageType } from '../../model/index.js';
import { deriveUuid } from '../../util/random.js';
import { EXPORT_FORMAT, type ExportedTask } from './export.js';
import type { ProjectInput } from './store.js';

/** One thing wrong with an input, with a JSON path into the file it came from. */
export interface ImportProblem {
  input: 'labelRows' | 'workflow' | 'ontology';
  path: string;
  message: string;
}

export type ImportResult = { ok: true; input: ProjectInput; taskCount: number } | { ok: false; problems: ImportProblem[] };

export interface ImportSources {
  labelRows: unknown;
  workflow?: unknown;
  ontology?: unknown;
  title: string;
}

const STAGE_TYPES: readonly StageType[] = ['AGENT', 'ANNOTATION', 'REVIEW', 'CONSENSUS_ANNOTATION', 'CONSENSUS_REVIEW', 'USER_ROUTER', 'PERCENTAGE_ROUTER', 'DONE'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The label rows of the file: a bare array, or `{label_rows: [...]}`. */
function findLabelRows(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (isObject(value) && Array.isArray(value.label_rows)) return value.label_rows;
  return undefined;
}

function checkLabelRow(row: unknown, i: number, seen: Set<string>, problems: ImportProblem[]): row is LabelRow {
  const at = (path: string, message: string): false => {
    problems.push({ input: 'labelRows', path: `[${i}]${path}`, message });
    return false;
  };
  if (!isObject(row)) return at('', 'is not a label row object');
  if (!str(row.data_hash)) return at('.data_hash', 'a label row needs a data_hash string');
  if (typeof row.data_title !== 'string') return at('.data_title', 'a label row needs a data_title string');
  if (!isObject(row.data_units)) return at('.data_units', 'a label row needs a data_units object');
  if (row.label_hash !== undefined && row.label_hash !== null && typeof row.label_hash !== 'string') {
    return at('.label_hash', 'label_hash must be a string or null');
  }
  if (seen.has(row.data_hash as string)) return at('.data_hash', `data hash ${String(row.data_hash)} appears twice`);
  seen.add(row.data_hash as string);
  return true;
}

/** Parses the workflow file: `{stages: [...]}` or `{workflow: {stages}}`, titles or uuids as destinations. */
export function resolveWorkflow(value: unknown, problems: ImportProblem[]): Stage[] {
  const root = isObject(value) && isObject(value.workflow) ? value.workflow : value;
  const list = isObject(root) ? root.stages : undefined;
  const fail = (path: string, message: string): Stage[] => {
    problems.push({ input: 'workflow', path, message });
    return [];
  };
  if (!Array.isArray(list) || list.length === 0) return fail('.stages', 'a workflow needs a non-empty "stages" list');
  const stages: Stage[] = [];
  for (const [i, raw] of list.entries()) {
    if (!isObject(raw)) return fail(`.stages[${i}]`, 'a stage must be an object');
    const title = str(raw.title) ?? str(raw.name);
    const type = str(raw.stageType) ?? str(raw.type) ?? (Array.isArray(raw.pathways) ? 'AGENT' : undefined);
    if (!title) return fail(`.stages[${i}].title`, 'a stage needs a title');
    if (!type || !STAGE_TYPES.includes(type.toUpperCase() as StageType)) {
      return fail(`.stages[${i}].type`, `stage type must be one of ${STAGE_TYPES.join(', ')}`);
    }
    stages.push({ uuid: str(raw.uuid) ?? deriveUuid('import-stage', title), title, stageType: type.toUpperCase() as StageType, pathways: [] });
  }
  for (const [i, raw] of (list as Record<string, unknown>[]).entries()) {
    const pathways = Array.isArray(raw.pathways) ? raw.pathways : [];
    for (const [j, p] of pathways.entries()) {
      const path = `.stages[${i}].pathways[${j}]`;
      const name = isObject(p) ? (str(p.name) ?? str(p.title)) : undefined;
      const to = isObject(p) ? (str(p.destinationUuid) ?? str(p.to) ?? str(p.destination)) : undefined;
      const target = stages.find((s) => s.uuid === to) ?? stages.find((s) => s.title === to);
      if (!name) return fail(path, 'a pathway needs a name');
      if (!target) return fail(path, `pathway "${name}" goes to "${to ?? ''}", which is not a stage of this workflow`);
      const stage = stages[i] as Stage;
      const uuid = isObject(p) && str(p.uuid) ? (p.uuid as string) : deriveUuid('import-pathway', stage.title, name);
      stage.pathways.push({ uuid, name, destinationUuid: target.uuid });
    }
  }
  return stages;
}

function resolveOntology(value: unknown, problems: ImportProblem[]): Ontology {
  if (value === undefined) return { objects: [], classifications: [] };
  const root = isObject(value) && isObject(value.editor) ? value.editor : value;
  if (!isObject(root) || !Array.isArray(root.objects ?? []) || !Array.isArray(root.classifications ?? [])) {
    problems.push({ input: 'ontology', path: '', message: 'an ontology needs "objects" and "classifications" lists (Encord editor structure)' });
    return { objects: [], classifications: [] };
  }
  return { objects: (root.objects ?? []) as Ontology['objects'], classifications: (root.classifications ?? []) as Ontology['classifications'] };
}

/** The metadata and task Encord would report for an imported row waiting in `stage`. */
function planImportedTask(row: LabelRow, stage: Stage, now: string): { task: AgentTask; metadata: LabelRowMetadata; labelRow: LabelRow } {
  const unit = Object.values(row.data_units)[0] as Record<string, unknown> | undefined;
  const rowType = typeof row.data_type === 'string' ? row.data_type : 'image';
  const metadata: LabelRowMetadata = {
    label_hash: row.label_hash ?? null,
    branch_name: str(row.branch_name) ?? 'main',
    created_at: now,
    last_edited_at: now,
    data_hash: row.data_hash,
    dataset_hash: str(row.dataset_hash) ?? '',
    dataset_title: str(row.dataset_title) ?? '',
    data_title: row.data_title,
    data_type: rowType.toUpperCase(),
    data_link: unit?.data_link ?? null,
    file_type: unit?.data_type ?? null,
    label_status: str(row.label_status) ?? 'NOT_LABELLED',
    workflow_graph_node: { uuid: stage.uuid, title: stage.title },
    priority: 0.5,
    width: unit?.width ?? null,
    height: unit?.height ?? null,
    client_metadata: isObject(row.client_metadata) ? row.client_metadata : {},
  };
  const task: AgentTask = {
    uuid: deriveUuid('import-task', row.data_hash),
    createdAt: now,
    updatedAt: now,
    status: 'NEW',
    dataHash: row.data_hash,
    dataTitle: row.data_title,
    labelBranchName: str(row.branch_name) ?? 'main',
    assignee: null,
    lastActionedBy: null,
  };
  const labelRow = { ...row, label_hash: row.label_hash ?? null, data_type: rowType };
  delete (labelRow as Record<string, unknown>).client_metadata;
  return { task, metadata, labelRow };
}

function resolveExport(value: Record<string, unknown>): ImportResult {
  const project = value.project as Project;
  if (!isObject(project) || !str(project.projectHash) || !Array.isArray(value.tasks)) {
    return { ok: false, problems: [{ input: 'labelRows', path: '', message: 'the export has no project or tasks' }] };
  }
  const tasks = value.tasks as ExportedTask[];
  return { ok: true, input: { project, tasks }, taskCount: tasks.length };
}

/**
 * Checks everything and builds the project: tasks start in the workflow's first stage.
 * Also accepts a `local export` file as `labelRows` (then the workflow comes from it).
 */
export function resolveImportProject(sources: ImportSources, now = new Date().toISOString()): ImportResult {
  if (isObject(sources.labelRows) && sources.labelRows.format === EXPORT_FORMAT) return resolveExport(sources.labelRows);
  const problems: ImportProblem[] = [];
  const rows = findLabelRows(sources.labelRows);
  if (!rows) {
    problems.push({ input: 'labelRows', path: '', message: 'expected a JSON array of Encord label rows (or {"label_rows": [...]})' });
  }
  if (sources.workflow === undefined) problems.push({ input: 'workflow', path: '', message: 'a workflow is required (--workflow)' });
  const stages = sources.workflow === undefined ? [] : resolveWorkflow(sources.workflow, problems);
  const ontology = resolveOntology(sources.ontology, problems);
  const seen = new Set<string>();
  const valid = (rows ?? []).filter((row, i): row is LabelRow => checkLabelRow(row, i, seen, problems));
  if (rows?.length === 0) problems.push({ input: 'labelRows', path: '', message: 'the file holds no label rows' });
  if (problems.length > 0) return { ok: false, problems };
  const start = stages[0] as Stage;
  const project: Project = {
    projectHash: randomUUID(),
    title: sources.title,
    description: `Imported from label rows on ${now.slice(0, 10)}`,
    projectType: 'workflow',
    ontologyHash: randomUUID(),
    ontology,
    workflow: { stages },
  };
  return { ok: true, input: { project, tasks: valid.map((row) => planImportedTask(row, start, now)) }, taskCount: valid.length };
}
