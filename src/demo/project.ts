/**
 * The demo project: the workflow from Encord's task-agent guide (start → "pre-label" agent
 * with one pathway "annotate" → Annotate → Review → Complete) and the demo ontology.
 */
import type { Project, Stage } from '../model/index.js';
import { buildDemoOntology } from './ontology.js';
import { randomFor } from '../util/random.js';

export const DEMO_STAGES = {
  preLabel: 'pre-label',
  annotate: 'Annotate',
  review: 'Review',
  complete: 'Complete',
} as const;
export const DEMO_PATHWAY = 'annotate';

/** The demo project for a seed; pure. Every hash and uuid is derived from the seed. */
export function buildDemoProject(seed: number | string): Project {
  const random = randomFor(seed, 'project');
  const projectHash = random.uuid();
  const ontologyHash = random.uuid();
  const annotate: Stage = { uuid: random.uuid(), title: DEMO_STAGES.annotate, stageType: 'ANNOTATION', pathways: [] };
  const review: Stage = { uuid: random.uuid(), title: DEMO_STAGES.review, stageType: 'REVIEW', pathways: [] };
  const complete: Stage = { uuid: random.uuid(), title: DEMO_STAGES.complete, stageType: 'DONE', pathways: [] };
  const preLabel: Stage = {
    uuid: random.uuid(),
    title: DEMO_STAGES.preLabel,
    stageType: 'AGENT',
    pathways: [{ uuid: random.uuid(), name: DEMO_PATHWAY, destinationUuid: annotate.uuid }],
  };
  return {
    projectHash,
    // Distinct titles, so `--project <title>` tells demo projects of different seeds apart.
    title: seed === 1 ? 'encord-rules demo' : `encord-rules demo (seed ${seed})`,
    description: 'Street scenes to prioritise: the "pre-label" agent stage routes every task to Annotate.',
    projectType: 'workflow',
    ontologyHash,
    ontology: buildDemoOntology(seed),
    workflow: { stages: [preLabel, annotate, review, complete] },
  };
}

/** The agent stage every demo task starts in. */
export function demoStartStage(project: Project): Stage {
  const stage = project.workflow.stages.find((s) => s.title === DEMO_STAGES.preLabel);
  if (!stage) throw new Error('not a demo project: no "pre-label" stage');
  return stage;
}
