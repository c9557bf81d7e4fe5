/** Seeds the fake Encord from the shared demo project generator (src/demo). */
import { generateDemoProject, type DemoOptions } from '../../src/demo/index.js';
import type { Project } from '../../src/model/index.js';
import type { SeedTask } from './state.js';

export interface SeededProject {
  project: Project;
  tasks: SeedTask[];
}

export function seedFromDemo(options: DemoOptions = {}): SeededProject {
  const { project, tasks } = generateDemoProject(options);
  return { project, tasks: tasks.map((t) => ({ task: t.task, metadata: t.metadata, labelRow: t.labelRow })) };
}
