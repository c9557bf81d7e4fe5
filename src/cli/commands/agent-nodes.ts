/**
 * `encord-rules agent-nodes [project]`: each agent stage with its uuid and pathways, the
 * equivalent of `encord-agents print agent-nodes`, on either backend.
 */
import type { Command } from 'commander';
import { agentStages, type Project } from '../../model/index.js';
import { EXIT, type CliIO, type SetExitCode } from '../context.js';
import { openProjectBackend } from '../open-backend.js';
import { addBackendOptions, addFormatOption, toOpenOptions, type BackendFlags } from './backend-flags.js';
import { formatExamples } from './help-examples.js';

export interface AgentNodeView {
  uuid: string;
  title: string;
  pathways: { uuid: string; name: string; destinationUuid: string; destinationTitle: string | null }[];
}

/** The agent stages of a project with their pathways resolved to destination titles. Pure. */
export function resolveAgentNodes(project: Project): AgentNodeView[] {
  const titles = new Map(project.workflow.stages.map((s) => [s.uuid, s.title]));
  return agentStages(project).map((stage) => ({
    uuid: stage.uuid,
    title: stage.title,
    pathways: stage.pathways.map((p) => ({ uuid: p.uuid, name: p.name, destinationUuid: p.destinationUuid, destinationTitle: titles.get(p.destinationUuid) ?? null })),
  }));
}

/** `AgentStage(title=…, uuid=…)` as encord-agents prints it, then one line per pathway. Pure. */
export function formatAgentNodesText(nodes: AgentNodeView[]): string {
  return nodes
    .map((node) => {
      const lines = [`AgentStage(title="${node.title}", uuid="${node.uuid}")`];
      for (const p of node.pathways) lines.push(`  pathway "${p.name}" (${p.uuid}) -> ${p.destinationTitle ?? p.destinationUuid}`);
      return lines.join('\n');
    })
    .join('\n');
}

export function registerAgentNodes(program: Command, io: CliIO, setExitCode: SetExitCode): void {
  const command = program
    .command('agent-nodes')
    .description('List the agent stages of a project with their uuids and pathways')
    .argument('[project]', "project hash (Encord or local), or a local project title; optional when the local store holds one project")
    .addHelpText('after', formatExamples(['encord-rules agent-nodes', 'encord-rules agent-nodes "encord-rules demo" --format json']));
  addBackendOptions(addFormatOption(command)).action(async (projectHash: string | undefined, flags: BackendFlags & { format: 'text' | 'json' }) => {
    const format = flags.format;
    const { backend, projectHash: resolved } = await openProjectBackend(io, toOpenOptions(flags, projectHash));
    try {
      const project = await backend.getProject(resolved);
      const nodes = resolveAgentNodes(project);
      if (format === 'json') {
        io.stdout(JSON.stringify({ project: { projectHash: project.projectHash, title: project.title }, agentStages: nodes }, null, 2) + '\n');
      } else if (nodes.length > 0) {
        io.stdout(formatAgentNodesText(nodes) + '\n');
      }
      if (nodes.length === 0) {
        io.stderr(`project "${project.title}" has no agent stages: add an agent stage to its workflow in Encord\n`);
        setExitCode(EXIT.failed);
      }
    } finally {
      await backend.close();
    }
  });
}
