/**
 * One demo task at a time: its AgentTask, label-row metadata and full label row. Task i
 * depends only on (seed, i), so the first N tasks of any larger demo are the same N tasks.
 */
import type { AgentTask, LabelRow, LabelRowMetadata, Project, Stage, TaskStatus } from '../model/index.js';
import { buildDemoLabels } from './labels.js';
import { createEmptyLabelRow } from '../labels/label-row.js';
import { demoStartStage } from './project.js';
import { hashSeed, randomFor, SeededRandom } from '../util/random.js';

export interface DemoTask {
  task: AgentTask;
  metadata: LabelRowMetadata;
  labelRow: LabelRow;
}

const CITIES = ['London', 'Paris', 'Berlin', 'Madrid', 'Tokyo', 'New_York', 'Amsterdam', 'Lisbon', 'Dublin', 'Oslo'];
const SIZES: readonly [number, number][] = [
  [1920, 1080],
  [1280, 720],
  [4032, 3024],
];
const PEOPLE = ['ana@example.com', 'ben@example.com', 'chloe@example.com', 'dev@example.com'];
const START_MS = Date.UTC(2026, 0, 5, 8, 0, 0);

/** What every task of one demo project shares, computed once. */
export interface DemoContext {
  seed: number | string;
  project: Project;
  /** Every task's random stream starts from this and the task's index. */
  taskSeed: number;
  startStage: Stage;
  datasets: { hash: string; title: string }[];
}

export function buildDemoContext(seed: number | string, project: Project): DemoContext {
  const random = randomFor(seed, 'datasets');
  return {
    seed,
    project,
    taskSeed: hashSeed(seed, 'task'),
    startStage: demoStartStage(project),
    datasets: [
      { hash: random.uuid(), title: 'Street scenes 2026' },
      { hash: random.uuid(), title: 'Dashcam batch B' },
    ],
  };
}

function pickTitle(random: SeededRandom, index: number): { title: string; city: string } {
  const city = random.pick(CITIES);
  const n = String(index).padStart(4, '0');
  const lower = city.toLowerCase();
  switch (random.int(4)) {
    case 0:
      return { title: `${city}_bridge_${n}.jpg`, city: lower };
    case 1:
      return { title: `street_${lower}_${n}.jpg`, city: lower };
    case 2:
      return { title: `${city.toUpperCase()}-dashcam-${n}.png`, city: lower };
    default:
      return { title: `img_${n}_${city}.jpeg`, city: lower };
  }
}

function pickStatus(random: SeededRandom): TaskStatus {
  const r = random.next();
  if (r < 0.85) return 'NEW';
  if (r < 0.9) return 'ASSIGNED';
  if (r < 0.95) return 'RELEASED';
  if (r < 0.98) return 'SKIPPED';
  return 'REOPENED';
}

function pickPriority(random: SeededRandom): number {
  // Encord's default priority is 0.5; a fifth of the demo tasks were re-prioritised by hand.
  return random.chance(0.2) ? Math.round(random.next() * 100) / 100 : 0.5;
}

/** A demo task whose label row is null when it was never initialised (what a store keeps). */
export interface DemoTaskInput {
  task: AgentTask;
  metadata: LabelRowMetadata;
  labelRow: LabelRow | null;
}

/** Task `index` (0-based) of the demo project; pure. */
export function generateDemoTask(context: DemoContext, index: number): DemoTask {
  const input = generateDemoTaskInput(context, index);
  return { ...input, labelRow: input.labelRow ?? createEmptyLabelRow(input.metadata, null) };
}

/**
 * Task `index` with a null label row when uninitialised: the same task as generateDemoTask
 * without building the empty row that a store would drop anyway (bulk loads need the speed).
 */
export function generateDemoTaskInput(context: DemoContext, index: number): DemoTaskInput {
  const random = new SeededRandom(context.taskSeed, index);
  const stage = context.startStage;
  const uuid = random.uuid();
  const dataHash = random.uuid();
  const { title, city } = pickTitle(random, index);
  const dataset = random.pick(context.datasets);
  const status = pickStatus(random);
  const createdAt = new Date(START_MS + index * 37_000).toISOString();
  const updatedAt = new Date(START_MS + index * 37_000 + random.int(86_400) * 1000).toISOString();
  const assignee = status === 'ASSIGNED' ? random.pick(PEOPLE) : null;
  const lastActionedBy = status === 'NEW' ? null : random.pick(PEOPLE);
  const [width, height] = random.pick(SIZES);
  const initialised = random.chance(0.15);
  const labelHash = initialised ? random.uuid() : null;

  const task: AgentTask = {
    uuid,
    createdAt,
    updatedAt,
    status,
    dataHash,
    dataTitle: title,
    labelBranchName: 'main',
    assignee,
    lastActionedBy,
  };
  const metadata: LabelRowMetadata = {
    label_hash: labelHash,
    task_uuid: uuid,
    branch_name: 'main',
    created_at: createdAt,
    last_edited_at: updatedAt,
    data_hash: dataHash,
    dataset_hash: dataset.hash,
    dataset_title: dataset.title,
    data_title: title,
    data_type: 'IMAGE',
    data_link: `https://storage.example.com/${dataset.hash}/${title}`,
    file_type: title.endsWith('.png') ? 'image/png' : 'image/jpeg',
    label_status: initialised ? 'LABEL_IN_PROGRESS' : 'NOT_LABELLED',
    annotation_task_status: 'QUEUED',
    workflow_graph_node: { uuid: stage.uuid, title: stage.title },
    priority: pickPriority(random),
    is_shadow_data: false,
    is_valid: true,
    number_of_frames: 1,
    width,
    height,
    client_metadata: random.chance(0.7)
      ? { camera: `cam-${String(random.int(40)).padStart(2, '0')}`, city, source: random.pick(['dashcam', 'street-camera']) }
      : {},
  };
  if (!initialised) return { task, metadata, labelRow: null };
  const labelRow = createEmptyLabelRow(metadata, labelHash);
  buildDemoLabels(context.project.ontology, labelRow, random, updatedAt);
  return { task, metadata, labelRow };
}

/** Demo tasks `from` (inclusive) to `to` (exclusive), one at a time: no array of all of them. */
export function* iterateDemoTasks(context: DemoContext, from: number, to: number): Generator<DemoTask> {
  for (let i = from; i < to; i++) yield generateDemoTask(context, i);
}

/** As iterateDemoTasks, with null label rows for uninitialised tasks (for loading a store). */
export function* iterateDemoTaskInputs(context: DemoContext, from: number, to: number): Generator<DemoTaskInput> {
  for (let i = from; i < to; i++) yield generateDemoTaskInput(context, i);
}
