/**
 * How the fake serialises its state the way Encord's v2 API does: camelCase by default
 * (the SDK's agent-workflow fixture), or snake_case to prove the client reads both
 * (pydantic's populate_by_name, encord-api.md §2.0).
 */
import type { AgentTask, Project } from '../../src/model/index.js';

export type KeyStyle = 'camel' | 'snake';

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Renames an object's own keys (one level) to the style. */
export function styleKeys<T extends object>(value: T, style: KeyStyle): Record<string, unknown> {
  if (style === 'camel') return { ...value } as Record<string, unknown>;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), v]));
}

export function serialiseProject(project: Project, style: KeyStyle, options: { withWorkflow: boolean; withOntology: boolean }): unknown {
  const stages = project.workflow.stages.map((stage) => {
    const wire: Record<string, unknown> = { stageType: stage.stageType, uuid: stage.uuid, title: stage.title };
    if (stage.stageType === 'AGENT') {
      wire.pathways = stage.pathways.map((p) => styleKeys({ uuid: p.uuid, title: p.name, destinationUuid: p.destinationUuid }, style));
    }
    return styleKeys(wire, style);
  });
  const body: Record<string, unknown> = {
    projectHash: project.projectHash,
    projectType: options.withWorkflow ? project.projectType : 'manual_qa',
    status: 'inProgress',
    title: project.title,
    description: project.description,
    createdAt: '2026-01-05T08:00:00Z',
    lastEditedAt: '2026-01-05T08:00:00Z',
    ontologyHash: project.ontologyHash,
    editorOntology: project.ontology,
    userRole: 0,
    workflowManagerUuid: null,
  };
  if (options.withWorkflow) body.workflow = { stages };
  if (!options.withOntology) delete body.editorOntology;
  return styleKeys(body, style);
}

export function serialiseOntology(project: Project, style: KeyStyle): unknown {
  return styleKeys(
    {
      ontologyUuid: project.ontologyHash,
      title: `${project.title} ontology`,
      description: '',
      editor: project.ontology,
      createdAt: '2026-01-05T08:00:00Z',
      lastEditedAt: '2026-01-05T08:00:00Z',
      userRole: 0,
    },
    style,
  );
}

export function serialiseTask(task: AgentTask, style: KeyStyle): unknown {
  return styleKeys(task, style);
}
