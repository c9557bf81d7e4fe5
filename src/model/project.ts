/**
 * A project as Encord describes it (v2 `GET /projects/{hash}`), normalised:
 * pathway `title` is called `name` as in the SDK's `AgentPathway`.
 * See ../shared/reference/encord-api.md §2(a) and §3.3.
 */
export type StageType =
  | 'AGENT'
  | 'ANNOTATION'
  | 'REVIEW'
  | 'CONSENSUS_ANNOTATION'
  | 'CONSENSUS_REVIEW'
  | 'USER_ROUTER'
  | 'PERCENTAGE_ROUTER'
  | 'DONE';

export interface Pathway {
  uuid: string;
  name: string;
  destinationUuid: string;
}

export interface Stage {
  uuid: string;
  title: string;
  stageType: StageType;
  /** Only AGENT stages have pathways; empty otherwise. */
  pathways: Pathway[];
}

export interface Workflow {
  stages: Stage[];
}

export type AttributeType = 'radio' | 'checklist' | 'text' | 'numeric';

export interface OntologyOption {
  id: string;
  label: string;
  value: string;
  featureNodeHash: string;
  archived?: boolean;
  /** Nested attributes under a radio option. */
  options?: OntologyAttribute[];
}

export interface OntologyAttribute {
  id: string;
  name: string;
  type: AttributeType;
  featureNodeHash: string;
  required: boolean;
  dynamic?: boolean;
  archived?: boolean;
  options?: OntologyOption[];
}

export interface OntologyObject {
  id: string;
  name: string;
  color: string;
  shape: string;
  featureNodeHash: string;
  required?: boolean;
  archived?: boolean;
  attributes?: OntologyAttribute[];
}

export interface OntologyClassification {
  id: string;
  featureNodeHash: string;
  level?: 'global';
  /** Exactly one root attribute; its name is the classification's title. */
  attributes: OntologyAttribute[];
}

/** Encord's ontology `editor` structure. */
export interface Ontology {
  objects: OntologyObject[];
  classifications: OntologyClassification[];
}

export interface Project {
  projectHash: string;
  title: string;
  description: string;
  /** `workflow` for projects with a workflow; others cannot be automated. */
  projectType: 'workflow' | 'manual_qa';
  ontologyHash: string;
  ontology: Ontology;
  workflow: Workflow;
}

export function agentStages(project: Project): Stage[] {
  return project.workflow.stages.filter((s) => s.stageType === 'AGENT');
}

/**
 * Every stage `ref` may name: the one with that uuid, else every stage titled exactly `ref`
 * (more than one: the title is ambiguous). Pure.
 */
export function matchStages(project: Project, ref: string): Stage[] {
  const stages = project.workflow.stages;
  const byUuid = stages.find((s) => s.uuid === ref);
  return byUuid ? [byUuid] : stages.filter((s) => s.title === ref);
}

/** The stage `ref` names: by uuid, else the first titled exactly `ref`. Pure. */
export function findStage(project: Project, ref: string): Stage | undefined {
  return matchStages(project, ref)[0];
}

/** The agent stage `ref` names, by uuid, else by exact title; other stages are not candidates. Pure. */
export function findAgentStage(project: Project, ref: string): Stage | undefined {
  const agents = agentStages(project);
  return agents.find((s) => s.uuid === ref) ?? agents.find((s) => s.title === ref);
}

/** The pathway of `stage` that `ref` names: by uuid, else by exact name. Pure. */
export function findPathway(stage: Stage, ref: string): Pathway | undefined {
  return stage.pathways.find((p) => p.uuid === ref) ?? stage.pathways.find((p) => p.name === ref);
}
