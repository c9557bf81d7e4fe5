/**
 * The seeded demo project: both backends and the test fixtures are built from it.
 * Everything here is pure and deterministic for a given seed.
 */
import type { Project } from '../model/index.js';
import { buildDemoProject } from './project.js';
import { buildDemoContext, generateDemoTask, iterateDemoTaskInputs, iterateDemoTasks, type DemoTask, type DemoTaskInput } from './tasks.js';

export { buildDemoProject, demoStartStage, DEMO_PATHWAY, DEMO_STAGES } from './project.js';
export {
  buildDemoOntology,
  DEMO_CLASSIFICATIONS,
  DEMO_OBJECTS,
  DEMO_SCENE_TAGS,
  DEMO_WEATHER,
} from './ontology.js';
export {
  buildDemoContext,
  generateDemoTask,
  generateDemoTaskInput,
  iterateDemoTasks,
  iterateDemoTaskInputs,
  type DemoContext,
  type DemoTask,
  type DemoTaskInput,
} from './tasks.js';
export { SeededRandom, hashSeed, randomFor, deriveUuid } from '../util/random.js';

export const DEFAULT_DEMO_TASKS = 300;
export const DEFAULT_DEMO_SEED = 1;

export interface DemoOptions {
  tasks?: number;
  seed?: number | string;
}

export interface DemoProject {
  project: Project;
  tasks: DemoTask[];
}

/** The demo project with all its tasks in memory; for large counts use streamDemoProject. */
export function generateDemoProject(options: DemoOptions = {}): DemoProject {
  const { project, tasks } = streamDemoProject(options);
  return { project, tasks: [...tasks] };
}

/** A streamed demo project: the project and its task count now, the tasks one at a time. */
export interface DemoProjectStream {
  project: Project;
  taskCount: number;
  tasks: Iterable<DemoTask>;
}

/** What a store loads: uninitialised tasks carry a null label row (Encord creates it on first use). */
export interface DemoProjectInputStream {
  project: Project;
  taskCount: number;
  tasks: Iterable<DemoTaskInput>;
  /** Says `tasks` are exactly the demo tasks of this seed, so a store may regenerate them itself (on a worker thread). */
  demo: { seed: number | string; taskCount: number };
}

/**
 * The demo project with its tasks as a lazy iterable (re-iterable; each pass regenerates
 * the same tasks), so a million-task store is built without holding the tasks in memory.
 */
export function streamDemoProject(options: DemoOptions = {}): DemoProjectStream {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const taskCount = options.tasks ?? DEFAULT_DEMO_TASKS;
  if (!Number.isInteger(taskCount) || taskCount < 0) throw new RangeError(`tasks must be a whole number ≥ 0, got ${taskCount}`);
  const project = buildDemoProject(seed);
  const context = buildDemoContext(seed, project);
  return { project, taskCount, tasks: { [Symbol.iterator]: () => iterateDemoTasks(context, 0, taskCount) } };
}

/** The demo project as a store loads it, streamed; the fastest form for a million tasks. */
export function streamDemoProjectInput(options: DemoOptions = {}): DemoProjectInputStream {
  const { project, taskCount } = streamDemoProject(options);
  const context = buildDemoContext(options.seed ?? DEFAULT_DEMO_SEED, project);
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  return {
    project,
    taskCount,
    tasks: { [Symbol.iterator]: () => iterateDemoTaskInputs(context, 0, taskCount) },
    demo: { seed, taskCount },
  };
}

/** Demo task `index` alone, e.g. to check a store row without generating the rest. */
export function generateDemoTaskAt(options: DemoOptions, index: number): DemoTask {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  return generateDemoTask(buildDemoContext(seed, buildDemoProject(seed)), index);
}
