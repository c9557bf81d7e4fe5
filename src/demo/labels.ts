/**
 * The labels a demo task starts with when its label row is initialised: a model pre-filled
 * some classifications and drew some objects, as a pre-labelling pass would.
 */
import type { LabelRow, Ontology, OntologyAttribute, OntologyClassification, OntologyObject } from '../model/index.js';
import { buildAttributeAnswer, buildClassificationInstance, formatRowDate, toLowerSnakeCase, type LabelAuthor } from '../labels/label-row.js';
import { DEMO_CLASSIFICATIONS, DEMO_OBJECTS } from './ontology.js';
import type { SeededRandom } from '../util/random.js';

const NOTES = ['blurry corner', 'glare from windscreen', 'check occlusion', 'crowded crossing'];

interface FrameLabels {
  objects: object[];
  classifications: object[];
}

function findClassification(ontology: Ontology, name: string): OntologyClassification {
  const found = ontology.classifications.find((c) => c.attributes[0]?.name === name);
  if (!found) throw new Error(`demo ontology has no classification "${name}"`);
  return found;
}

function findObject(ontology: Ontology, name: string): OntologyObject {
  const found = ontology.objects.find((o) => o.name === name);
  if (!found) throw new Error(`demo ontology has no object "${name}"`);
  return found;
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

/** The answer a pre-labelling model would give for an attribute. */
function pickAnswer(random: SeededRandom, attribute: OntologyAttribute): Record<string, unknown> {
  const options = attribute.options ?? [];
  switch (attribute.type) {
    case 'radio':
      return buildAttributeAnswer(attribute, [random.pick(options)], false);
    case 'checklist':
      return buildAttributeAnswer(attribute, options.filter(() => random.chance(0.35)), false);
    case 'text':
      return buildAttributeAnswer(attribute, random.pick(NOTES), false);
    case 'numeric':
      return buildAttributeAnswer(attribute, 1 + random.int(5), false);
  }
}

function addClassifications(ontology: Ontology, row: LabelRow, frame: FrameLabels, random: SeededRandom, author: LabelAuthor): void {
  const odds: [string, number][] = [
    [DEMO_CLASSIFICATIONS.weather, 0.9],
    [DEMO_CLASSIFICATIONS.sceneTags, 0.5],
    [DEMO_CLASSIFICATIONS.quality, 0.3],
    [DEMO_CLASSIFICATIONS.notes, 0.15],
  ];
  for (const [name, p] of odds) {
    if (!random.chance(p)) continue;
    const classification = findClassification(ontology, name);
    const root = classification.attributes[0] as OntologyAttribute;
    const hash = random.shortHash();
    const { frameEntry, answerEntry } = buildClassificationInstance(
      classification.featureNodeHash,
      root,
      hash,
      pickAnswer(random, root),
      author,
    );
    if (frameEntry) frame.classifications.push(frameEntry);
    row.classification_answers[hash] = answerEntry;
  }
}

function buildShape(random: SeededRandom, shape: string): Record<string, unknown> {
  const x = round4(random.next() * 0.7);
  const y = round4(random.next() * 0.7);
  const w = round4(0.05 + random.next() * 0.25);
  const h = round4(0.05 + random.next() * 0.25);
  if (shape === 'bounding_box') return { boundingBox: { x, y, w, h } };
  // Encord's polygon: points keyed by their index as strings.
  return {
    polygon: {
      '0': { x, y },
      '1': { x: round4(x + w), y },
      '2': { x: round4(x + w), y: round4(y + h) },
      '3': { x, y: round4(y + h) },
    },
  };
}

function addObjects(ontology: Ontology, row: LabelRow, frame: FrameLabels, random: SeededRandom, author: LabelAuthor): void {
  const counts: [string, number][] = [
    [DEMO_OBJECTS.car, random.int(3)],
    [DEMO_OBJECTS.pedestrian, random.int(2)],
  ];
  for (const [name, count] of counts) {
    const object = findObject(ontology, name);
    const attribute = object.attributes?.[0] as OntologyAttribute;
    for (let i = 0; i < count; i++) {
      const objectHash = random.shortHash();
      frame.objects.push({
        objectHash,
        featureHash: object.featureNodeHash,
        name: object.name,
        color: object.color,
        shape: object.shape,
        value: toLowerSnakeCase(object.name),
        createdAt: author.createdAt,
        createdBy: author.createdBy,
        lastEditedAt: author.createdAt,
        lastEditedBy: author.createdBy,
        confidence: author.confidence,
        manualAnnotation: author.manualAnnotation,
        ...buildShape(random, object.shape),
      });
      row.object_answers[objectHash] = { objectHash, classifications: [pickAnswer(random, attribute)] };
    }
  }
}

/** Fills a freshly created demo label row (image: one data unit) with pre-labels. */
export function buildDemoLabels(ontology: Ontology, row: LabelRow, random: SeededRandom, isoDate: string): void {
  const unit = Object.values(row.data_units)[0] as { labels: FrameLabels };
  const createdBy = 'pre-label-model@example.com';
  const author: LabelAuthor = {
    createdBy,
    createdAt: formatRowDate(new Date(isoDate)),
    manualAnnotation: false,
    confidence: round4(0.6 + random.next() * 0.4),
    lastEditedBy: createdBy,
  };
  addClassifications(ontology, row, unit.labels, random, author);
  addObjects(ontology, row, unit.labels, random, author);
}
