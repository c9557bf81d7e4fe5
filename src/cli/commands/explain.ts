/**
 * `encord-rules explain <rules> --stage S (--task REF | --input label-row.json)`: for each
 * rule of the stage, whether it matched and why (clause values, fields read, missing
 * fields), then the decision and the changes a run would make to the task as it is now.
 * Reads only: nothing is written to the store or to Encord.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Command } from 'commander';
import { diagnosticAt, hasErrors, UNKNOWN_STAGE } from '../../diagnostics/index.js';
import { BackendError, type Backend } from '../../backends/backend.js';
import { buildDemoProject, DEFAULT_DEMO_SEED } from '../../demo/index.js';
import { SqliteBackend } from '../../backends/sqlite/index.js';
import { buildTaskDocument, compileRuleFile } from '../../compile/index.js';
import { explainStage } from '../../compile/explain.js';
import type { EvaluationContext } from '../../compile/types.js';
import { resolveCaseTask } from '../../rule-tests/case-task.js';
import { readLabelRowExport } from '../../rule-tests/load-test-file.js';
import { agentStages, findStage, type AgentTask, type Project, type Stage, type TaskRecord } from '../../model/index.js';
import { parseRuleFile } from '../../rules/parse.js';
import { resolveParams } from '../../rules/params.js';
import type { RuleFile, StageRules } from '../../rules/types.js';
import { planTaskRecord } from '../../runner/plan-task-record.js';
import { buildPreparedStage } from '../../runner/prepare.js';
import { EXIT, ExitError, type CliIO, type SetExitCode } from '../context.js';
import { openProjectBackend } from '../open-backend.js';
import { addBackendOptions, addFormatOption, toOpenOptions, type BackendFlags } from './backend-flags.js';
import { formatExplanationJson, formatExplanationText, type Explanation } from './explain-format.js';
import { formatExamples } from './help-examples.js';

/** The backend flags are apply's (--backend, --store, --rate, --timeout), opened the same way. */
interface ExplainOptions extends BackendFlags {
  stage: string;
  task?: string;
  input?: string;
  project?: string;
  param: string[];
  now?: string;
  format: 'text' | 'json';
}

export function registerExplainCommand(program: Command, io: CliIO, setExitCode: SetExitCode): void {
  const command = program
    .command('explain')
    .description("show why each rule of a stage matches a task or not, and what a run would change")
    .argument('<rules>', 'the rule file')
    .requiredOption('--stage <stage>', 'the agent stage (title or uuid)')
    .option('--task <ref>', 'the task: its uuid or data hash, waiting in the stage')
    .option('--input <file>', 'an exported Encord label row (JSON) instead of a task from a project')
    .option('--project <hash>', "project hash (or local project title); default: the rule file's `project`, or the store's only project")
    .option('--param <name=value>', 'a rule parameter (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--now <iso>', 'what $now() returns (default: the current time)')
    .addHelpText(
      'after',
      formatExamples(
        [
          'encord-rules explain rules/london-priority.yaml --stage pre-label --input rules/testdata/img_0044_London.json',
          'encord-rules explain rules/weather-triage.yaml --stage pre-label --task 3bb9441d-ff8c-46fc-a668-af08ca557eb4',
        ],
        '  (a task of the demo project: `encord-rules local tasks --stage pre-label` lists uuids and data hashes)',
      ),
    );
  addBackendOptions(addFormatOption(command)).action(async (rules: string, options: ExplainOptions) => {
    setExitCode(await runExplain(rules, options, io));
  });
}

async function runExplain(rulesPath: string, options: ExplainOptions, io: CliIO): Promise<number> {
  if ((options.task === undefined) === (options.input === undefined)) {
    throw new ExitError(EXIT.usage, [], 'error: give exactly one of --task <uuid or data hash> and --input <label-row.json>');
  }
  const now = parseNow(options.now);
  const ruleFile = await loadRuleFile(rulesPath, io);
  const params = resolveExplainParams(ruleFile, options.param);
  const source = options.task !== undefined ? await fetchStageTask(ruleFile, options, io) : await readInputTask(ruleFile, options, io, now);
  const stageRules = findStageRules(ruleFile, source.project, source.stage, options.stage);
  const handler = compileRuleFile(ruleFile).handlers.find((h) => h.stage === stageRules.stage);
  if (!handler) throw new ExitError(EXIT.failed, [], `error: the rules for stage "${stageRules.stage}" do not compile; run \`encord-rules validate ${rulesPath}\``);
  const context: EvaluationContext = { params, now, ontology: source.project.ontology };
  const trace = await explainStage(stageRules, ruleFile.params, buildTaskDocument(source.record), context);
  // The task's first attempt: explain reads no attempt counts.
  const prepared = buildPreparedStage(ruleFile, stageRules, handler, source.stage, params, undefined);
  const { evaluation, plan } = await planTaskRecord(prepared, source.record, { project: source.project, now, randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)), priorFailures: 0 });
  const explanation: Explanation = {
    file: ruleFile.path,
    task: { uuid: source.record.task.uuid, dataHash: source.record.task.dataHash, dataTitle: source.record.task.dataTitle },
    stage: { uuid: source.stage.uuid, title: source.stage.title },
    trace,
    notes: source.notes,
  };
  if (evaluation.ok) {
    explanation.decision = evaluation.decision;
    explanation.plan = plan;
    if (plan.failure) explanation.failure = plan.failure;
  } else {
    explanation.failure = evaluation.failure;
  }
  io.stdout((options.format === 'json' ? formatExplanationJson(explanation) : formatExplanationText(explanation)) + '\n');
  return EXIT.ok;
}

function parseNow(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new ExitError(EXIT.usage, [], `error: --now ${JSON.stringify(text)} is not a date-time (e.g. 2026-01-05T12:00:00Z)`);
  return date;
}

async function loadRuleFile(path: string, io: CliIO): Promise<RuleFile> {
  const bytes = await readFile(isAbsolute(path) ? path : join(io.cwd, path)).catch((error: unknown) => error as Error);
  if (bytes instanceof Error) throw new ExitError(EXIT.failed, [diagnosticAt({ file: path, line: 1, col: 1 }, 'error', 'rule/unreadable', `cannot read ${path}: ${bytes.message}`)]);
  const parsed = parseRuleFile(path, bytes);
  if (!parsed.file) throw new ExitError(EXIT.failed, parsed.diagnostics.filter((d) => d.severity === 'error'));
  return parsed.file;
}

function resolveExplainParams(ruleFile: RuleFile, assignments: string[]): Record<string, unknown> {
  const resolved = resolveParams(ruleFile.params, assignments);
  if (hasErrors(resolved.diagnostics)) throw new ExitError(EXIT.usage, resolved.diagnostics);
  return resolved.values;
}

interface TaskSource {
  project: Project;
  stage: Stage;
  record: TaskRecord;
  notes: string[];
}

/** The task as it is now in its project: found in the stage by uuid or data hash, then fetched whole. */
async function fetchStageTask(ruleFile: RuleFile, options: ExplainOptions, io: CliIO): Promise<TaskSource> {
  const { backend, projectHash } = await openProjectBackend(io, toOpenOptions(options, options.project ?? ruleFile.project));
  try {
    const project = await backend.getProject(projectHash);
    const stage = resolveAgentStage(project, options.stage);
    const task = await findStageTask(backend, project, stage, options.task ?? '');
    // Everything, so every field a rule could read is shown as it is.
    const [record] = await backend.fetchTaskRecords(projectHash, [task], { labels: true, clientMetadata: true });
    if (!record) throw new BackendError('backend/task-not-found', `task ${task.uuid} could not be fetched`);
    return { project, stage, record, notes: [] };
  } finally {
    await backend.close();
  }
}

function resolveAgentStage(project: Project, ref: string): Stage {
  const stage = findStage(project, ref);
  if (stage) return stage;
  const agents = agentStages(project).map((s) => `"${s.title}"`).join(', ');
  throw new BackendError(UNKNOWN_STAGE, `project "${project.title}" has no stage "${ref}"`, `agent stages: ${agents || 'none'}`);
}

async function findStageTask(backend: Backend, project: Project, stage: Stage, ref: string): Promise<AgentTask> {
  const byHash = await backend.listStageTasks(project.projectHash, stage.uuid, { filter: { dataHashes: [ref] } });
  if (byHash.tasks[0]) return byHash.tasks[0];
  let pageToken: string | undefined;
  do {
    const page = await backend.listStageTasks(project.projectHash, stage.uuid, pageToken ? { pageToken } : {});
    const found = page.tasks.find((t) => t.uuid === ref);
    if (found) return found;
    pageToken = page.nextPageToken;
  } while (pageToken);
  throw new BackendError('cli/task-not-in-stage', `no task ${ref} is waiting in stage "${stage.title}"`, whereIsTask(backend, project, ref));
}

/** For the local store, where the task is instead (it may have been routed already). */
function whereIsTask(backend: Backend, project: Project, ref: string): string {
  if (backend instanceof SqliteBackend) {
    for (const task of backend.store.listTasks(project.projectHash)) {
      if (task.uuid === ref || task.data_hash === ref) return `it is in stage "${task.stage}"; explain it there with --stage "${task.stage}"`;
    }
    return 'no task in the project has that uuid or data hash (`encord-rules local tasks` lists them)';
  }
  return 'give the task uuid or data hash of a task waiting in this stage';
}

/** A label-row export, with metadata and task defaults as a test case gets them. */
async function readInputTask(ruleFile: RuleFile, options: ExplainOptions, io: CliIO, now: Date): Promise<TaskSource> {
  const path = options.input ?? '';
  const loc = { file: '<command line>', line: 1, col: 1 };
  const read = await readLabelRowExport(path, loc, io.cwd);
  if ('diagnostic' in read) throw new ExitError(EXIT.failed, [read.diagnostic]);
  const { project, notes } = await resolveInputProject(ruleFile, options, io);
  const stage = resolveAgentStage(project, options.stage);
  const input = { metadata: {}, answers: {}, objects: {}, task: {}, labelRow: { path, loc, row: read.row } };
  const built = resolveCaseTask({ name: path, loc, stage: options.stage, now, params: {}, input, expect: {}, expectLocs: {}, index: 0 }, project, stage);
  if ('diagnostics' in built) throw new ExitError(EXIT.failed, built.diagnostics);
  const { task, metadata, labelRow } = built.task;
  const made = `the task around ${path} is made up as a test case's is (status ${task.status}, priority ${String(metadata.priority)}); --task explains a real one`;
  return { project, stage, record: { task, metadata, ...(labelRow ? { labelRow } : {}) }, notes: [...notes, made] };
}

/** The project named, or the backend asked for (for its pathways and ontology), else the demo project. */
async function resolveInputProject(ruleFile: RuleFile, options: ExplainOptions, io: CliIO): Promise<{ project: Project; notes: string[] }> {
  const given = options.project ?? ruleFile.project;
  if (given === undefined && options.store === undefined && options.backend === undefined) {
    return { project: buildDemoProject(DEFAULT_DEMO_SEED), notes: ['no --project: pathways and ontology are the demo project\'s'] };
  }
  const { backend, projectHash } = await openProjectBackend(io, toOpenOptions(options, given));
  try {
    return { project: await backend.getProject(projectHash), notes: [] };
  } finally {
    await backend.close();
  }
}

function findStageRules(ruleFile: RuleFile, project: Project, stage: Stage, ref: string): StageRules {
  const found =
    ruleFile.stages.find((s) => s.stage === ref) ??
    ruleFile.stages.find((s) => s.stage === stage.uuid || s.stage === stage.title);
  if (found) return found;
  const inFile = ruleFile.stages.map((s) => `"${s.stage}"`).join(', ');
  throw new ExitError(EXIT.failed, [], `error: ${ruleFile.path} has no rules for stage "${ref}" of project "${project.title}" (stages in the file: ${inFile || 'none'})`);
}
