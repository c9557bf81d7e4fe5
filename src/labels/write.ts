/**
 * Sets a classification answer on an Encord label row the way the SDK's LabelRowV2 does
 * (encord-api.md §3.2): replace the answer of an existing instance of that classification,
 * else create a new instance (frame entry + classification_answers entry). Pure: the clock
 * and the random source come in as parameters, and the input row is never mutated.
 */
import type { AnswerValue, LabelRow, OntologyAttribute, OntologyClassification, OntologyOption } from '../model/index.js';
import { addFrameEntry, buildAttributeAnswer, buildClassificationInstance, findAnswerEntry, formatRowDate, isObject } from './label-row.js';
import { findOption } from './read.js';

export interface LabelWriteEnv {
  /** Stamps createdAt/lastEditedAt in the row's date format. */
  now: Date;
  /** n random bytes; crypto.randomBytes in production, a fixed sequence in tests. */
  randomBytes(n: number): Uint8Array;
}

export type LabelWriteResult =
  | { ok: true; row: LabelRow; before: AnswerValue | null; classificationHash: string }
  | { ok: false; code: string; message: string };

type Json = Record<string, unknown>;

/** The answer the row holds now for this classification, or null when unanswered. Pure. */
export function readClassificationAnswer(row: LabelRow, classification: OntologyClassification): AnswerValue | null {
  const entry = findAnswerEntry(row, classification.featureNodeHash);
  return entry ? resolveEntryAnswer(entry[1], rootAttribute(classification)) : null;
}

/** True when two answers say the same thing (checklists compare as sets). Pure. */
export function isSameAnswer(a: AnswerValue | null, b: AnswerValue | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'radio':
      return a.option === (b as typeof a).option;
    case 'text':
      return a.text === (b as typeof a).text;
    case 'numeric':
      return a.value === (b as typeof a).value;
    case 'checklist': {
      const other = new Set((b as typeof a).options);
      return a.options.length === other.size && a.options.every((o) => other.has(o));
    }
  }
}

/**
 * Returns a copy of `row` with `answer` set for `classification`, and the answer it held
 * before. Fails (as data) when the answer does not fit the ontology: wrong type, unknown option.
 */
export function writeClassificationAnswer(
  row: LabelRow,
  classification: OntologyClassification,
  answer: AnswerValue,
  env: LabelWriteEnv,
): LabelWriteResult {
  const attribute = rootAttribute(classification);
  const built = resolveAttributeAnswer(attribute, answer);
  if (!built.ok) return built;
  const stamp = formatRowDate(env.now);
  const existing = findAnswerEntry(row, classification.featureNodeHash);
  if (existing) {
    const [hash, entry] = existing;
    const before = resolveEntryAnswer(entry, attribute);
    // Nested answers under the old radio option no longer apply, so the list is replaced whole.
    const updated = { ...entry, classifications: [built.answer], lastEditedAt: stamp };
    const answers = { ...row.classification_answers, [hash]: updated };
    return { ok: true, row: { ...row, classification_answers: answers }, before, classificationHash: hash };
  }
  const hash = createClassificationHash(row, env);
  // As the SDK creates it: by nobody in particular, by hand, certain.
  const author = { createdBy: null, createdAt: stamp, manualAnnotation: true, confidence: 1.0 };
  const global = classification.level === 'global';
  const { frameEntry, answerEntry } = buildClassificationInstance(classification.featureNodeHash, attribute, hash, built.answer, author, { global });
  const withAnswer: LabelRow = { ...row, classification_answers: { ...row.classification_answers, [hash]: answerEntry } };
  const next = frameEntry ? addFrameEntry(withAnswer, frameEntry) : withAnswer;
  return { ok: true, row: next, before: null, classificationHash: hash };
}

function rootAttribute(classification: OntologyClassification): OntologyAttribute {
  const attribute = classification.attributes[0];
  // The ontology guarantees one root attribute; a classification without one is corrupt input.
  if (!attribute) throw new Error(`classification ${classification.featureNodeHash} has no attribute`);
  return attribute;
}

function resolveEntryAnswer(entry: Json, attribute: OntologyAttribute): AnswerValue | null {
  const list = Array.isArray(entry.classifications) ? entry.classifications : [];
  const found = list.find((a): a is Json => isObject(a) && a.featureHash === attribute.featureNodeHash);
  if (!found) return null;
  const answers = found.answers;
  switch (attribute.type) {
    case 'radio': {
      const first = Array.isArray(answers) ? answers[0] : undefined;
      return isObject(first) ? { type: 'radio', option: optionLabel(attribute, first) } : null;
    }
    case 'checklist':
      return Array.isArray(answers)
        ? { type: 'checklist', options: answers.filter(isObject).map((a) => optionLabel(attribute, a)) }
        : null;
    case 'text':
      return typeof answers === 'string' ? { type: 'text', text: answers } : null;
    case 'numeric': {
      const value = typeof answers === 'string' ? Number(answers) : answers;
      return typeof value === 'number' && Number.isFinite(value) ? { type: 'numeric', value } : null;
    }
  }
}

/** Prefer the ontology's current label (found by featureHash) over the name stored in the row. */
function optionLabel(attribute: OntologyAttribute, answer: Json): string {
  const option = attribute.options?.find((o) => o.featureNodeHash === answer.featureHash);
  return option?.label ?? String(answer.name ?? '');
}

type BuiltAnswer = { ok: true; answer: Json } | { ok: false; code: string; message: string };

function resolveAttributeAnswer(attribute: OntologyAttribute, answer: AnswerValue): BuiltAnswer {
  if (attribute.type !== answer.type) {
    return fail('rule/answer-type', `"${attribute.name}" is a ${attribute.type} classification, not ${answer.type}`);
  }
  if (answer.type === 'text' || answer.type === 'numeric') {
    return { ok: true, answer: buildAttributeAnswer(attribute, answer.type === 'text' ? answer.text : answer.value, true) };
  }
  const labels = answer.type === 'radio' ? [answer.option] : answer.options;
  const options: OntologyOption[] = [];
  for (const label of labels) {
    const option = resolveOption(attribute, label);
    if (!option) return fail('rule/unknown-option', unknownOptionMessage(attribute, label));
    options.push(option);
  }
  return { ok: true, answer: buildAttributeAnswer(attribute, options, true) };
}

/** By label, value or featureNodeHash (read.ts's resolution); an archived option cannot be chosen. */
function resolveOption(attribute: OntologyAttribute, label: string): OntologyOption | undefined {
  const option = findOption(attribute, label);
  return option && !option.archived ? option : undefined;
}

function unknownOptionMessage(attribute: OntologyAttribute, label: string): string {
  const known = (attribute.options ?? []).filter((o) => !o.archived).map((o) => JSON.stringify(o.label));
  return `"${attribute.name}" has no option ${JSON.stringify(label)} (options: ${known.join(', ')})`;
}

function fail(code: string, message: string): { ok: false; code: string; message: string } {
  return { ok: false, code, message };
}

/** 8-character base64 of 6 random bytes, as the SDK's short_uuid_str; unique within the row. */
function createClassificationHash(row: LabelRow, env: LabelWriteEnv): string {
  const taken = new Set([...Object.keys(row.classification_answers ?? {}), ...Object.keys(row.object_answers ?? {})]);
  // 48 random bits collide with a row's few dozen hashes almost never; a source that keeps
  // repeating is a caller's bug (a fixed test stub), which must fail loudly rather than hang.
  for (let attempt = 0; attempt < MAX_HASH_ATTEMPTS; attempt += 1) {
    const hash = Buffer.from(env.randomBytes(6)).toString('base64');
    if (!taken.has(hash)) return hash;
  }
  throw new Error(`no unused classification hash after ${MAX_HASH_ATTEMPTS} attempts: the random source repeats`);
}

const MAX_HASH_ATTEMPTS = 64;
