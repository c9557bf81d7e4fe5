/**
 * `encord-rules init --project <hash>`: writes a starter rule file with one section per agent
 * stage, listing its pathways as comments. Everything is checked before anything is written,
 * and an existing file is only replaced with --force.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { BackendError } from '../../backends/backend.js';
import { NOT_AGENT_STAGE, UNKNOWN_PATHWAY, UNKNOWN_STAGE } from '../../diagnostics/index.js';
import { agentStages, findPathway, findStage, type Project, type Stage } from '../../model/index.js';
import type { CliIO, SetExitCode } from '../context.js';
import { openProjectBackend } from '../open-backend.js';
import { addBackendOptions, toOpenOptions, type BackendFlags } from './backend-flags.js';
import { formatExamples } from './help-examples.js';

export const DEFAULT_RULE_FILE = 'encord-rules.yaml';
const SCHEMA_FILE = fileURLToPath(new URL('../../../schemas/rules.schema.json', import.meta.url));

interface InitFlags extends BackendFlags {
  project?: string;
  out: string;
  force?: boolean;
  stage?: string[];
  route?: string;
}

/** Picks the stages to write: all agent stages, or the named ones (title or uuid). Pure; throws for a bad name. */
export function selectInitStages(project: Project, names: string[] | undefined): Stage[] {
  const agents = agentStages(project);
  const list = agents.map((s) => `"${s.title}"`).join(', ') || 'none';
  if (agents.length === 0) {
    throw new BackendError('cli/no-agent-stages', `project "${project.title}" has no agent stages`, 'Add an agent stage to its workflow in Encord; rules only act on agent stages.');
  }
  if (!names || names.length === 0) return agents;
  return names.map((name) => {
    const stage = findStage(project, name);
    if (!stage) throw new BackendError(UNKNOWN_STAGE, `project "${project.title}" has no stage "${name}"`, `agent stages: ${list}`);
    if (stage.stageType !== 'AGENT') {
      throw new BackendError(NOT_AGENT_STAGE, `stage "${stage.title}" is not an agent stage (its type is ${stage.stageType})`, `agent stages: ${list}`);
    }
    return stage;
  });
}

function checkRoute(stages: Stage[], route: string | undefined): void {
  if (route === undefined) return;
  for (const stage of stages) {
    if (!findPathway(stage, route)) {
      const names = stage.pathways.map((p) => `"${p.name}"`).join(', ') || 'none';
      throw new BackendError(UNKNOWN_PATHWAY, `agent stage "${stage.title}" has no pathway "${route}"`, `its pathways: ${names}`);
    }
  }
}

/** Text safe inside a YAML comment: one line, no control characters. */
function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

function scalar(value: string): string {
  return stringify(value).trimEnd();
}

function formatStage(project: Project, stage: Stage, route: string | undefined): string[] {
  const titles = new Map(project.workflow.stages.map((s) => [s.uuid, s.title]));
  const example = stage.pathways[0]?.name;
  const lines = [`  ${scalar(stage.title)}:`, `    # stage uuid: ${stage.uuid}`, '    # pathways (route takes the name or the uuid):'];
  for (const p of stage.pathways) lines.push(`    #   - ${commentText(p.name)} (${p.uuid}) -> ${commentText(titles.get(p.destinationUuid) ?? p.destinationUuid)}`);
  if (stage.pathways.length === 0) lines.push('    #   (none)');
  lines.push('    rules: []', '    # rules:', '    #   - name: london-first', `    #     when: '$contains($lowercase(data_title), "london")'`, '    #     priority: 1');
  if (example !== undefined) lines.push(`    #     route: ${commentText(scalar(example))}`);
  if (route !== undefined) lines.push('    default:', `      route: ${scalar(route)}`);
  return lines;
}

/** The starter rule file. Pure. */
export function renderStarterRules(project: Project, stages: Stage[], options: { schemaPath: string; route?: string }): string {
  const lines = [
    `# yaml-language-server: $schema=${options.schemaPath}`,
    `# Starter rules for project "${commentText(project.title)}", written by \`encord-rules init\`.`,
    '# Add rules under each agent stage, then check them with `encord-rules validate` and',
    '# preview with `encord-rules apply --dry-run` before applying.',
    'version: 1',
    `project: ${scalar(project.projectHash)}`,
    'stages:',
    ...stages.flatMap((stage) => formatStage(project, stage, options.route)),
  ];
  return lines.join('\n') + '\n';
}

/** Writes through a temporary file and a rename, so a failure never leaves half a file. */
function writeFileAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { flag: 'wx' });
  renameSync(temp, path);
}

export function registerInit(program: Command, io: CliIO, _setExitCode: SetExitCode): void {
  const command = program
    .command('init')
    .description('Write a starter rule file for a project: one section per agent stage, pathways as comments')
    .option('--project <hash>', 'project hash (Encord or local), or a local project title; optional when the local store holds one project')
    .option('--out <file>', 'where to write it ("-" for stdout)', DEFAULT_RULE_FILE)
    .option('--force', 'replace an existing file')
    .option('--stage <stage...>', 'only these agent stages (title or uuid)')
    .option('--route <pathway>', 'add a default route along this pathway to every stage')
    .addHelpText('after', formatExamples(['encord-rules init --project "encord-rules demo"', 'encord-rules init --project "encord-rules demo" --route annotate --out -']));
  addBackendOptions(command).action(async (flags: InitFlags) => {
    const out = flags.out === '-' ? undefined : resolve(io.cwd, flags.out);
    if (out !== undefined && existsSync(out) && !flags.force) {
      throw new BackendError('cli/file-exists', `${flags.out} already exists`, 'Pass --force to replace it, or --out to write elsewhere.');
    }
    const { backend, projectHash } = await openProjectBackend(io, toOpenOptions(flags, flags.project));
    let project: Project;
    try {
      project = await backend.getProject(projectHash);
    } finally {
      await backend.close();
    }
    const stages = selectInitStages(project, flags.stage);
    checkRoute(stages, flags.route);
    const schemaPath = out === undefined ? SCHEMA_FILE : relative(dirname(out), SCHEMA_FILE).split('\\').join('/');
    const text = renderStarterRules(project, stages, { schemaPath, ...(flags.route !== undefined ? { route: flags.route } : {}) });
    if (out === undefined) return io.stdout(text);
    writeFileAtomically(out, text);
    io.stderr(`wrote ${flags.out}: ${stages.length} agent stage${stages.length === 1 ? '' : 's'}\n`);
  });
}
