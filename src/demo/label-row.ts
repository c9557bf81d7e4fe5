/**
 * Label rows in Encord's JSON (encord-api.md §3.1–3.2): the empty row Encord creates when a
 * label row is first initialised, and the label entries the demo pre-fills. Pure.
 */
import type { LabelRow, LabelRowMetadata, OntologyAttribute, OntologyOption } from '../model/index.js';
import { toLowerSnakeCase } from './ontology.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Encord's label-row date format, `Thu, 09 Feb 2023 14:12:03 UTC`, from an ISO date. */
export function formatEncordDate(iso: string): string {
  const d = new Date(iso);
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`
  );
}

function metadataString(metadata: LabelRowMetadata, key: string, fallback: string | null = null): string | null {
  const value = metadata[key];
  return typeof value === 'string' ? value : fallback;
}

function metadataNumber(metadata: LabelRowMetadata, key: string): number | null {
  const value = metadata[key];
  return typeof value === 'number' ? value : null;
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
    created_at: createdAt === null ? null : formatEncordDate(createdAt),
    last_edited_at: editedAt === null ? null : formatEncordDate(editedAt),
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

/** Who made a label entry and when, as Encord records it. */
export interface LabelAuthor {
  createdBy: string | null;
  createdAt: string;
  manualAnnotation: boolean;
  confidence: number;
}

/** An AttributeAnswer (§3.1) for a radio or checklist attribute. */
export function buildOptionAnswer(attribute: OntologyAttribute, options: OntologyOption[], manual: boolean): object {
  return {
    name: attribute.name,
    value: toLowerSnakeCase(attribute.name),
    featureHash: attribute.featureNodeHash,
    manualAnnotation: manual,
    answers: options.map((o) => ({ name: o.label, value: o.value, featureHash: o.featureNodeHash })),
  };
}

/** An AttributeAnswer (§3.1) for a text or numeric attribute. */
export function buildValueAnswer(attribute: OntologyAttribute, value: string | number, manual: boolean): object {
  return {
    name: attribute.name,
    value: toLowerSnakeCase(attribute.name),
    featureHash: attribute.featureNodeHash,
    manualAnnotation: manual,
    answers: value,
  };
}

/** The frame entry and the classification_answers entry of one classification instance (§3.2). */
export function buildClassificationInstance(
  classificationFeatureHash: string,
  root: OntologyAttribute,
  classificationHash: string,
  answer: object,
  author: LabelAuthor,
): { frameEntry: object; answerEntry: object } {
  const frameEntry = {
    name: root.name,
    value: toLowerSnakeCase(root.name),
    createdAt: author.createdAt,
    createdBy: author.createdBy,
    confidence: author.confidence,
    featureHash: classificationFeatureHash,
    classificationHash,
    manualAnnotation: author.manualAnnotation,
    lastEditedAt: author.createdAt,
    lastEditedBy: author.createdBy,
  };
  const answerEntry = {
    classifications: [answer],
    classificationHash,
    featureHash: classificationFeatureHash,
    spaces: {},
    range: [[0, 0]],
    createdBy: author.createdBy,
    createdAt: author.createdAt,
    lastEditedBy: author.createdBy,
    lastEditedAt: author.createdAt,
    manualAnnotation: author.manualAnnotation,
  };
  return { frameEntry, answerEntry };
}
