/**
 * The demo project's ontology in Encord's editor structure (encord-api.md §3.3):
 * one classification of each attribute type and two object classes with attributes.
 */
import type {
  AttributeType,
  Ontology,
  OntologyAttribute,
  OntologyClassification,
  OntologyObject,
  OntologyOption,
} from '../model/index.js';
import { randomFor, type SeededRandom } from '../util/random.js';
import { toLowerSnakeCase } from '../labels/label-row.js';

/** The demo's classification titles (attributes[0].name), for rules and tests to refer to. */
export const DEMO_CLASSIFICATIONS = {
  weather: 'Weather',
  sceneTags: 'Scene tags',
  notes: 'Notes',
  quality: 'Quality',
} as const;

export const DEMO_WEATHER = ['Sunny', 'Cloudy', 'Rainy', 'Snowy'] as const;
export const DEMO_SCENE_TAGS = ['Urban', 'Rural', 'Indoor', 'Outdoor', 'Night'] as const;
export const DEMO_OBJECTS = { car: 'Car', pedestrian: 'Pedestrian' } as const;
export const DEMO_CAR_COLOURS = ['Red', 'Blue', 'Black', 'White', 'Silver'] as const;
export const DEMO_PEDESTRIAN_ACTIVITY = ['Walking', 'Standing', 'Cycling'] as const;


function buildOptions(random: SeededRandom, parentId: string, labels: readonly string[]): OntologyOption[] {
  return labels.map((label, i) => ({
    id: `${parentId}.${i + 1}`,
    label,
    value: toLowerSnakeCase(label),
    featureNodeHash: random.shortHash(),
  }));
}

function buildAttribute(
  random: SeededRandom,
  id: string,
  name: string,
  type: AttributeType,
  labels: readonly string[] = [],
): OntologyAttribute {
  const attribute: OntologyAttribute = { id, name, type, featureNodeHash: random.shortHash(), required: false };
  if (type === 'radio' || type === 'checklist') attribute.options = buildOptions(random, id, labels);
  return attribute;
}

function buildClassification(
  random: SeededRandom,
  id: string,
  name: string,
  type: AttributeType,
  labels: readonly string[] = [],
): OntologyClassification {
  const featureNodeHash = random.shortHash();
  return { id, featureNodeHash, attributes: [buildAttribute(random, `${id}.1`, name, type, labels)] };
}

/** The demo ontology for a seed; pure. Feature hashes are derived from the seed. */
export function buildDemoOntology(seed: number | string): Ontology {
  const random = randomFor(seed, 'ontology');
  const objects: OntologyObject[] = [
    {
      id: '1',
      name: DEMO_OBJECTS.car,
      color: '#D33115',
      shape: 'bounding_box',
      featureNodeHash: random.shortHash(),
      required: false,
      attributes: [buildAttribute(random, '1.1', 'Colour', 'radio', DEMO_CAR_COLOURS)],
    },
    {
      id: '2',
      name: DEMO_OBJECTS.pedestrian,
      color: '#1A73E8',
      shape: 'polygon',
      featureNodeHash: random.shortHash(),
      required: false,
      attributes: [buildAttribute(random, '2.1', 'Activity', 'radio', DEMO_PEDESTRIAN_ACTIVITY)],
    },
  ];
  const classifications: OntologyClassification[] = [
    buildClassification(random, '3', DEMO_CLASSIFICATIONS.weather, 'radio', DEMO_WEATHER),
    buildClassification(random, '4', DEMO_CLASSIFICATIONS.sceneTags, 'checklist', DEMO_SCENE_TAGS),
    buildClassification(random, '5', DEMO_CLASSIFICATIONS.notes, 'text'),
    buildClassification(random, '6', DEMO_CLASSIFICATIONS.quality, 'numeric'),
  ];
  return { objects, classifications };
}
