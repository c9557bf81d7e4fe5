/**
 * Encord's label-row JSON (encord-api.md §3.1–3.2), built and read in one place: the empty row
 * Encord creates for a data unit, attribute answers, a classification instance's two entries
 * (the frame entry and the classification_answers entry), the row's date format and `value`
 * names. The writer (write.ts), the demo generator and the local store all build rows here, so
 * they cannot drift apart. Pure.
 */
import type { LabelRow, LabelRowMetadata, OntologyAttribute, OntologyOption } from '../model/index.js';

type Json = Record<string, unknown>;

/** Row dates use Python's `%a, %d %b %Y %H:%M:%S %Z` in UTC: `Thu, 09 Feb 2023 14:12:03 UTC`. */
export function formatRowDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, 'UTC');
}

/** Encord's `value` for a name: lower snake case (`_lower_snake_case` in the SDK). */
export function toLowerSnakeCase(name: string): string {
  return name.toLowerCase().replace(/ /g, '_');
}

/**
 * The label row Encord creates for a data unit that has none yet (image data: one data unit
 * keyed by the data hash, no labels). Built only from metadata, so a store needs to keep
 * nothing else for rows that were never labelled.
 */
export function createEmptyLabelRow(metadata: LabelRowMetadata, labelHash: string | null): LabelRow {
  const createdAt = metadataString(metadata, 'created_at');
  const editedAt = metadataString(metadata, 'last_edited_at', createdAt);
  return {
    label_hash: labelHash,
    branch_name: metadataString(metadata, 'branch_name', 'main'),
    created_at: createdAt === null ? null : formatRowDate(new Date(createdAt)),
    last_edited_at: editedAt === null ? null : formatRowDate(new Date(editedAt)),
    dataset_hash: metadata.dataset_hash,
    dataset_title: metadata.dataset_title,
    data_title: metadata.data_title,
    data_hash: metadata.data_hash,
    data_type: metadata.data_type.toLowerCase(),
    data_units: {
      [metadata.data_hash]: {
        data_hash: metadata.data_hash,
        data_title: metadata.data_title,
        data_link: metadataString(metadata, 'data_link'),
        data_type: metadataString(metadata, 'file_type', 'image/jpeg'),
        data_sequence: 0,
        width: metadataNumber(metadata, 'width'),
        height: metadataNumber(metadata, 'height'),
        labels: { objects: [], classifications: [] },
      },
    },
    object_answers: {},
    classification_answers: {},
    object_actions: {},
    label_status: metadata.label_status,
    annotation_task_status: metadataString(metadata, 'annotation_task_status'),
    is_valid: true,
    spaces: {},
  };
}

function metadataString(metadata: LabelRowMetadata, key: string, fallback: string | null = null): string | null {
  const value = metadata[key];
  return typeof value === 'string' ? value : fallback;
}

function metadataNumber(metadata: LabelRowMetadata, key: string): number | null {
  const value = metadata[key];
  return typeof value === 'number' ? value : null;
}

/** Who made a label entry and when (a row date), as Encord records it. */
export interface LabelAuthor {
  createdBy: string | null;
  createdAt: string;
  manualAnnotation: boolean;
  confidence: number;
  /**
   * Also written on the frame entry when given. The SDK leaves it off the frame entry of a
   * classification it creates (encord-api.md §3.2); a model's pre-labels carry it.
   */
  lastEditedBy?: string | null;
}

/**
 * An AttributeAnswer (§3.1), keys in the SDK's order: the chosen options of a radio or
 * checklist attribute, or the text or number of a text or numeric one.
 */
export function buildAttributeAnswer(attribute: OntologyAttribute, answer: readonly OntologyOption[] | string | number, manual: boolean): Json {
  const answers = typeof answer === 'string' || typeof answer === 'number' ? answer : answer.map((o) => ({ name: o.label, value: o.value, featureHash: o.featureNodeHash }));
  return { name: attribute.name, value: toLowerSnakeCase(attribute.name), answers, featureHash: attribute.featureNodeHash, manualAnnotation: manual };
}

/** The two entries of one classification instance (§3.2); a global classification has no frame entry. */
export interface ClassificationInstance {
  frameEntry?: Json;
  answerEntry: Json;
}

/**
 * One classification instance of the classification whose feature hash is `featureHash` and
 * whose root attribute is `root`, answered with `answer` (buildAttributeAnswer), on frame 0
 * (`range: [[0, 0]]`) or, `global`, on the whole data unit.
 */
export function buildClassificationInstance(
  featureHash: string,
  root: OntologyAttribute,
  classificationHash: string,
  answer: Json,
  author: LabelAuthor,
  options: { global?: boolean } = {},
): ClassificationInstance {
  const lastEditedBy = author.lastEditedBy === undefined ? author.createdBy : author.lastEditedBy;
  const answerEntry: Json = {
    classifications: [answer],
    classificationHash,
    featureHash,
    spaces: {},
    range: options.global ? [] : [[0, 0]],
    createdBy: author.createdBy,
    createdAt: author.createdAt,
    lastEditedBy,
    lastEditedAt: author.createdAt,
    manualAnnotation: author.manualAnnotation,
  };
  if (options.global) return { answerEntry };
  const frameEntry: Json = {
    name: root.name,
    value: toLowerSnakeCase(root.name),
    createdAt: author.createdAt,
    createdBy: author.createdBy,
    confidence: author.confidence,
    featureHash,
    classificationHash,
    manualAnnotation: author.manualAnnotation,
    lastEditedAt: author.createdAt,
  };
  if (author.lastEditedBy !== undefined) frameEntry.lastEditedBy = author.lastEditedBy;
  return { frameEntry, answerEntry };
}

/** The classification_answers entry of the instance of the classification `featureHash`, with its hash. */
export function findAnswerEntry(row: LabelRow, featureHash: string): [string, Json] | undefined {
  for (const [hash, value] of Object.entries(row.classification_answers ?? {})) {
    if (isObject(value) && value.featureHash === featureHash) return [hash, value];
  }
  return undefined;
}

/** A copy of `row` with `frameEntry` added to frame 0: the first data unit's flat labels for images, labels["0"] for frame-based media. */
export function addFrameEntry(row: LabelRow, frameEntry: Json): LabelRow {
  const units = Object.entries(row.data_units ?? {}).filter((e): e is [string, Json] => isObject(e[1]));
  if (units.length === 0) return row;
  units.sort((a, b) => Number(a[1].data_sequence ?? 0) - Number(b[1].data_sequence ?? 0));
  const [unitHash, unit] = units[0]!;
  const labels = isObject(unit.labels) ? unit.labels : {};
  const nextLabels = isFrameBased(row.data_type)
    ? { ...labels, '0': appendClassification(isObject(labels['0']) ? labels['0'] : { objects: [] }, frameEntry) }
    : appendClassification(labels, frameEntry);
  const nextUnit = { ...unit, labels: nextLabels };
  return { ...row, data_units: { ...row.data_units, [unitHash]: nextUnit } };
}

function appendClassification(frame: Json, entry: Json): Json {
  const existing = Array.isArray(frame.classifications) ? frame.classifications : [];
  return { objects: [], ...frame, classifications: [...existing, entry] };
}

const FRAME_BASED = new Set(['video', 'dicom', 'dicom_study', 'nifti', 'pdf']);

function isFrameBased(dataType: string): boolean {
  return FRAME_BASED.has(dataType.toLowerCase());
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
