/**
 * A case's task as the store takes it: the AgentTask, label-row metadata and label row,
 * with what the case leaves out filled in the way Encord would (docs/testing-rules.md
 * lists the defaults). Pure: identifiers derive from the case's position in its file.
 */
import { diagnosticAt, type Diagnostic } from '../diagnostics/index.js';
import type { TaskInput } from '../backends/sqlite/index.js';
import { findObject } from '../labels/read.js';
import { createEmptyLabelRow, formatRowDate } from '../labels/label-row.js';
import { writeClassificationAnswer } from '../labels/write.js';
import type { AgentTask, LabelRow, LabelRowMetadata, Project, Stage } from '../model/index.js';
import { resolveClassification } from '../runner/plan.js';
import type { TestCase } from './types.js';

/** Encord's priority for a task nobody re-prioritised. */
export const DEFAULT_TASK_PRIORITY = 0.5;

/**
 * A deterministic byte source (an LCG) for label writes: the same case always gets the same
 * classification hashes, and successive calls differ, as the label writer needs them to.
 */
export function createSeededBytes(seed: number): (n: number) => Uint8Array {
  let state = (seed * 2654435761 + 1) >>> 0;
  return (n) =>
    Uint8Array.from({ length: n }, () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state >>> 24;
    });
}

/** A uuid-shaped identifier for case `index`, distinct per `kind` digit. */
function caseIdentifier(kind: string, index: number): string {
  return `00000000-0000-4000-${kind}000-${(index + 1).toString(16).padStart(12, '0')}`;
}

/** The task for a case in `stage`; a diagnostic when an answer does not fit the ontology. */
export function resolveCaseTask(
  testCase: TestCase,
  project: Project,
  stage: Stage,
): { task: TaskInput } | { diagnostics: Diagnostic[] } {
  const exported = testCase.input.labelRow?.row;
  const metadata = resolveMetadata(testCase, stage, exported);
  const task = resolveAgentTask(testCase, metadata);
  const row = resolveLabelRow(testCase, metadata, exported);
  const start = row ?? createEmptyLabelRow(metadata, caseIdentifier('c', testCase.index));
  const answered = writeAnswers(testCase, project, start);
  const labelled = 'row' in answered ? writeObjects(testCase, project, answered.row) : answered;
  if ('diagnostics' in labelled) return labelled;
  const edited = Object.keys(testCase.input.answers).length > 0 || Object.keys(testCase.input.objects).length > 0;
  const labelRow = edited ? labelled.row : row;
  if (labelRow && metadata.label_hash === null) metadata.label_hash = labelRow.label_hash;
  return { task: { task, metadata, labelRow: labelRow ?? null } };
}

function resolveMetadata(testCase: TestCase, stage: Stage, exported: LabelRow | undefined): LabelRowMetadata {
  const dataHash = exported?.data_hash ?? caseIdentifier('b', testCase.index);
  const created = new Date(testCase.now.getTime() - 3_600_000).toISOString();
  const defaults: LabelRowMetadata = {
    label_hash: exported?.label_hash ?? null,
    data_hash: dataHash,
    data_title: exported?.data_title ?? `task-${testCase.index + 1}.jpg`,
    data_type: (exported?.data_type ?? 'image').toUpperCase(),
    dataset_hash: stringOf(exported?.dataset_hash) ?? caseIdentifier('d', 0),
    dataset_title: stringOf(exported?.dataset_title) ?? 'Test dataset',
    label_status: stringOf(exported?.label_status) ?? 'NOT_LABELLED',
    priority: DEFAULT_TASK_PRIORITY,
    workflow_graph_node: { uuid: stage.uuid, title: stage.title },
    client_metadata: {},
    branch_name: 'main',
    created_at: created,
    last_edited_at: created,
  };
  // The stage is the case's, whatever the metadata or export says.
  return { ...defaults, ...testCase.input.metadata, workflow_graph_node: { uuid: stage.uuid, title: stage.title } };
}

function resolveAgentTask(testCase: TestCase, metadata: LabelRowMetadata): AgentTask {
  const created = stringOf(metadata.created_at) ?? testCase.now.toISOString();
  return {
    uuid: caseIdentifier('a', testCase.index),
    createdAt: created,
    updatedAt: created,
    status: 'NEW',
    dataHash: metadata.data_hash,
    dataTitle: metadata.data_title,
    labelBranchName: 'main',
    assignee: null,
    lastActionedBy: null,
    ...testCase.input.task,
  };
}

/** The exported row, or one built from `labels`; null when the case gives neither (never labelled). */
function resolveLabelRow(testCase: TestCase, metadata: LabelRowMetadata, exported: LabelRow | undefined): LabelRow | null {
  if (exported) {
    return { ...exported, data_hash: metadata.data_hash, data_title: metadata.data_title, label_hash: metadata.label_hash ?? exported.label_hash };
  }
  const labels = testCase.input.labels;
  if (!labels) return null;
  const labelHash = metadata.label_hash ?? caseIdentifier('c', testCase.index);
  return { ...createEmptyLabelRow(metadata, labelHash), ...labels };
}

function writeAnswers(testCase: TestCase, project: Project, start: LabelRow): { row: LabelRow } | { diagnostics: Diagnostic[] } {
  let row = start;
  const diagnostics: Diagnostic[] = [];
  const env = { now: testCase.now, randomBytes: createSeededBytes(testCase.index) };
  for (const [name, answer] of Object.entries(testCase.input.answers)) {
    const loc = testCase.answerLocs?.[name] ?? testCase.loc;
    const classification = resolveClassification(project.ontology, name);
    if (!classification) {
      const known = project.ontology.classifications.map((c) => `"${c.attributes[0]?.name ?? c.featureNodeHash}"`).join(', ');
      diagnostics.push(diagnosticAt(loc, 'error', 'test/unknown-classification', `case "${testCase.name}" answers "${name}", which the project's ontology does not have`, { hint: `Classifications: ${known || 'none'}.` }));
      continue;
    }
    const written = writeClassificationAnswer(row, classification, answer, env);
    if (!written.ok) {
      diagnostics.push(diagnosticAt(loc, 'error', 'test/bad-answer', `case "${testCase.name}": answer for "${name}": ${written.message}`));
      continue;
    }
    row = written.row;
  }
  return diagnostics.length > 0 ? { diagnostics } : { row };
}

/**
 * Adds `count` instances of each object to the row's first data unit (frame 0 of a video),
 * as bounding boxes laid out side by side; what `$objects(name)` reads back. Pure.
 */
function writeObjects(testCase: TestCase, project: Project, row: LabelRow): { row: LabelRow } | { diagnostics: Diagnostic[] } {
  const entries = Object.entries(testCase.input.objects);
  if (entries.length === 0) return { row };
  const [unitKey, unit] = Object.entries(row.data_units)[0] ?? [];
  if (unitKey === undefined || !isRecord(unit)) {
    return { diagnostics: [diagnosticAt(testCase.loc, 'error', 'test/no-data-unit', `case "${testCase.name}": the label row has no data unit to put objects in`)] };
  }
  const labels = isRecord(unit.labels) ? unit.labels : {};
  const frame = Array.isArray(labels.objects) ? labels : isRecord(labels['0']) ? labels['0'] : { objects: [], classifications: [] };
  const objects = Array.isArray(frame.objects) ? [...(frame.objects as unknown[])] : [];
  const diagnostics: Diagnostic[] = [];
  const stamp = formatRowDate(testCase.now);
  for (const [name, count] of entries) {
    const object = findObject(project.ontology, name);
    if (!object) {
      const known = project.ontology.objects.map((o) => `"${o.name}"`).join(', ');
      diagnostics.push(diagnosticAt(testCase.objectLocs?.[name] ?? testCase.loc, 'error', 'test/unknown-object', `case "${testCase.name}" has objects "${name}", which the project's ontology does not have`, { hint: `Objects: ${known || 'none'}.` }));
      continue;
    }
    for (let i = 0; i < count; i++) {
      const objectHash = `${object.featureNodeHash.slice(0, 4)}${String(objects.length).padStart(4, '0')}`;
      const box = { x: Math.round(((objects.length % 10) / 10) * 1e4) / 1e4, y: 0.1, w: 0.08, h: 0.2 };
      objects.push({ objectHash, featureHash: object.featureNodeHash, name: object.name, color: object.color, shape: object.shape, value: object.name.toLowerCase().replace(/ /g, '_'), createdAt: stamp, createdBy: null, confidence: 1, manualAnnotation: true, boundingBox: box });
    }
  }
  if (diagnostics.length > 0) return { diagnostics };
  const newFrame = { ...frame, objects };
  const newLabels = Array.isArray(labels.objects) || !isRecord(labels['0']) && Object.keys(labels).length === 0 ? newFrame : { ...labels, '0': newFrame };
  return { row: { ...row, data_units: { ...row.data_units, [unitKey]: { ...unit, labels: newLabels } } } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
