/**
 * Reading labels out of a label row (Encord's JSON, encord-api.md §3.1) with names from the
 * ontology (§3.3). Pure; imports model only. src/labels/write.ts reuses the resolvers.
 *
 * Answers are matched by featureHash, never by the `name`/`value` stored in the row, since
 * those go stale when the ontology is renamed.
 */
import type {
  AnswerValue,
  Ontology,
  OntologyAttribute,
  OntologyClassification,
  OntologyObject,
  OntologyOption,
} from '../model/index.js';

/** An ontology name that names nothing; `code` is `rule/unknown-classification` or `rule/unknown-object`. */
export class LabelReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A classification, and the attribute a name resolved to (its root, or a nested one). */
export interface ResolvedClassification {
  classification: OntologyClassification;
  attribute: OntologyAttribute;
}

/**
 * Finds a classification by featureNodeHash or title (attributes[0].name), then a nested
 * attribute (under a radio option) by featureNodeHash or name. Prefers unarchived entries.
 */
export function findClassification(ontology: Ontology, nameOrHash: string): ResolvedClassification | undefined {
  const roots = ontology.classifications.flatMap((classification) => {
    const attribute = classification.attributes[0];
    return attribute ? [{ classification, attribute }] : [];
  });
  const rootHit = preferActive(
    roots.filter(
      ({ classification, attribute }) =>
        classification.featureNodeHash === nameOrHash || attribute.featureNodeHash === nameOrHash || attribute.name === nameOrHash,
    ),
    (r) => r.attribute.archived,
  );
  if (rootHit) return rootHit;
  const nested = roots.flatMap(({ classification, attribute }) =>
    nestedAttributes(attribute).map((a) => ({ classification, attribute: a })),
  );
  return preferActive(
    nested.filter(({ attribute }) => attribute.featureNodeHash === nameOrHash || attribute.name === nameOrHash),
    (r) => r.attribute.archived,
  );
}

/** Finds an object class by featureNodeHash or name; prefers unarchived entries. */
export function findObject(ontology: Ontology, nameOrHash: string): OntologyObject | undefined {
  return preferActive(
    ontology.objects.filter((o) => o.featureNodeHash === nameOrHash || o.name === nameOrHash),
    (o) => o.archived,
  );
}

/** Finds an option of a radio or checklist attribute by label, value or featureNodeHash. */
export function findOption(attribute: OntologyAttribute, labelOrHash: string): OntologyOption | undefined {
  const options = attribute.options ?? [];
  return preferActive(
    options.filter((o) => o.label === labelOrHash || o.featureNodeHash === labelOrHash),
    (o) => o.archived,
  ) ?? preferActive(options.filter((o) => o.value === labelOrHash), (o) => o.archived);
}

/** Attributes nested under radio options, depth first. */
export function nestedAttributes(attribute: OntologyAttribute): OntologyAttribute[] {
  return (attribute.options ?? []).flatMap((option) =>
    (option.options ?? []).flatMap((child) => [child, ...nestedAttributes(child)]),
  );
}

/**
 * The answer a label row holds for a classification (or nested attribute), by ontology name
 * or hash; undefined when unanswered. With several instances (video frame ranges) the first
 * entry in `classification_answers` wins. Throws LabelReadError for a name not in the ontology.
 */
export function readAnswer(document: unknown, ontology: Ontology, classification: string): AnswerValue | undefined {
  const resolved = findClassification(ontology, classification);
  if (!resolved) {
    throw new LabelReadError('rule/unknown-classification', `no classification "${classification}" in the project's ontology`);
  }
  for (const entry of classificationAnswerEntries(document)) {
    if (entry.featureHash !== resolved.classification.featureNodeHash) continue;
    const attributeAnswer = asArray(entry.classifications).find(
      (a) => isRecord(a) && a.featureHash === resolved.attribute.featureNodeHash,
    );
    if (isRecord(attributeAnswer)) return toAnswerValue(resolved.attribute, attributeAnswer.answers);
  }
  return undefined;
}

/** An object annotation on one frame, with where it was found. */
export type ObjectInstance = Record<string, unknown> & { frame: number; dataUnit: string };

/**
 * Every object annotation in the row (all data units, all frames), optionally only those of
 * one ontology object class. Images are frame 0. Throws LabelReadError for an unknown class.
 */
export function readObjects(document: unknown, ontology: Ontology, objectName?: string): ObjectInstance[] {
  let featureHash: string | undefined;
  if (objectName !== undefined) {
    const object = findObject(ontology, objectName);
    if (!object) throw new LabelReadError('rule/unknown-object', `no object "${objectName}" in the project's ontology`);
    featureHash = object.featureNodeHash;
  }
  const found: ObjectInstance[] = [];
  for (const [dataUnit, unit] of entriesOf(field(document, 'data_units'))) {
    for (const { frame, objects } of frameObjects(field(unit, 'labels'))) {
      for (const object of objects) {
        if (!isRecord(object) || (featureHash !== undefined && object.featureHash !== featureHash)) continue;
        found.push({ ...object, frame, dataUnit });
      }
    }
  }
  return found;
}

/** Image labels are `{objects, classifications}`; video labels are keyed by frame number. */
function frameObjects(labels: unknown): { frame: number; objects: unknown[] }[] {
  if (!isRecord(labels)) return [];
  if (Array.isArray(labels.objects)) return [{ frame: 0, objects: labels.objects }];
  return entriesOf(labels)
    .filter(([key]) => /^\d+$/.test(key))
    .map(([key, frameLabels]) => ({ frame: Number(key), objects: asArray(field(frameLabels, 'objects')) }))
    .sort((a, b) => a.frame - b.frame);
}

function toAnswerValue(attribute: OntologyAttribute, answers: unknown): AnswerValue | undefined {
  switch (attribute.type) {
    case 'radio': {
      const first = asArray(answers)[0];
      return isRecord(first) ? { type: 'radio', option: optionLabel(attribute, first) } : undefined;
    }
    case 'checklist':
      return { type: 'checklist', options: asArray(answers).filter(isRecord).map((a) => optionLabel(attribute, a)) };
    case 'text':
      return typeof answers === 'string' ? { type: 'text', text: answers } : undefined;
    case 'numeric': {
      const value = typeof answers === 'string' && answers.trim() !== '' ? Number(answers) : answers;
      return typeof value === 'number' && Number.isFinite(value) ? { type: 'numeric', value } : undefined;
    }
  }
}

/** The option's current label from the ontology; the stored name if the option is gone. */
function optionLabel(attribute: OntologyAttribute, answer: Record<string, unknown>): string {
  const byHash = (attribute.options ?? []).find((o) => o.featureNodeHash === answer.featureHash);
  return byHash?.label ?? String(answer.name ?? answer.value ?? '');
}

function classificationAnswerEntries(document: unknown): Record<string, unknown>[] {
  return entriesOf(field(document, 'classification_answers'))
    .map(([, entry]) => entry)
    .filter(isRecord);
}

function preferActive<T>(items: T[], archived: (item: T) => boolean | undefined): T | undefined {
  return items.find((item) => !archived(item)) ?? items[0];
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

function entriesOf(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
