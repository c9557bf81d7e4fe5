/**
 * Runs a test file's cases the way `apply` runs rules: the rule file through the real
 * loader (loadRuleFiles), checked against the project and prepared by the runner
 * (prepareStages: compile, params, stage); each case's task seeded into an in-memory
 * SQLite store (a project of its own per case), listed and fetched through the Backend,
 * taken through the stage's one path (planTaskRecord) as a run's batch is. Only the commit
 * is left out.
 */
import { buildDemoProject, DEFAULT_DEMO_SEED } from '../demo/index.js';
import { openSqliteStore, SqliteBackend, type TaskInput } from '../backends/sqlite/index.js';
import { explainStage, type ClauseTrace } from '../compile/explain.js';
import { checkRulesAgainstProject } from '../compile/project-checks.js';
import type { EvaluationContext } from '../compile/types.js';
import { diagnosticAt, hasErrors, UNKNOWN_STAGE, type Diagnostic } from '../diagnostics/index.js';
import { findAgentStage, type Project, type TaskRecord } from '../model/index.js';
import { COMMAND_LINE_FILE, loadRuleFiles } from '../rules/index.js';
import type { RuleFile } from '../rules/types.js';
import { planTaskRecord } from '../runner/plan-task-record.js';
import { prepareStages } from '../runner/prepare.js';
import type { PreparedStage } from '../runner/types.js';
import { createSeededBytes, resolveCaseTask } from './case-task.js';
import { compareOutcome, resolveFailedOutcome, resolveOutcome } from './compare.js';
import { readProjectJson } from './load-test-file.js';
import type { CaseOutcome, CaseResult, ClauseObservation, FileResult, TestCase, TestFile } from './types.js';

export interface RunTestOptions {
  cwd: string;
  /** Only cases whose name matches. */
  filter?: RegExp;
  /** Record which clauses each case drove true or false. */
  coverage?: boolean;
}

/** What every case of a file shares: the rule file, the project, one store, prepared stages. */
interface Suite {
  testFile: TestFile;
  ruleFile: RuleFile;
  project: Project;
  coverage: boolean;
  /** In memory; each case gets a project of its own in it, so cases never see each other's tasks. */
  backend: SqliteBackend;
  /** Prepared stages by stage and params: compiled once for the cases that share them. */
  prepared: Map<string, PreparedStage | { diagnostics: Diagnostic[] }>;
}

/**
 * Runs every (matching) case of one test file. A rule file that does not load, or does
 * not fit the project (unknown stages, pathways, options), fails the whole file, as `apply`
 * refuses it before touching a task.
 */
export async function runTestFile(testFile: TestFile, options: RunTestOptions): Promise<FileResult> {
  const result: FileResult = { file: testFile.path, rulesPath: testFile.rulesPath, diagnostics: [], cases: [] };
  const loaded = await loadRuleFiles([testFile.rulesPath], { cwd: options.cwd });
  const project = await loadProject(testFile, options.cwd);
  result.diagnostics.push(...relocateMissingRules(testFile, loaded.diagnostics), ...('diagnostic' in project ? [project.diagnostic] : []));
  const ruleFile = loaded.files[0];
  if (!ruleFile || 'diagnostic' in project || hasErrors(result.diagnostics)) return errorsOnly(result);
  result.diagnostics.push(...checkRulesAgainstProject(ruleFile, project.project));
  if (hasErrors(result.diagnostics)) return errorsOnly(result);
  result.ruleFile = ruleFile;
  const backend = new SqliteBackend(openSqliteStore(':memory:'));
  const suite: Suite = { testFile, ruleFile, project: project.project, coverage: Boolean(options.coverage), backend, prepared: new Map() };
  try {
    for (const testCase of testFile.cases) {
      if (options.filter && !options.filter.test(testCase.name)) continue;
      result.cases.push(await runCase(suite, testCase));
    }
  } finally {
    await backend.close();
  }
  return result;
}

function errorsOnly(result: FileResult): FileResult {
  return { ...result, diagnostics: result.diagnostics.filter((d) => d.severity === 'error') };
}

/** A rule file that is not there is the test file's mistake: report it at `rules:`. */
function relocateMissingRules(testFile: TestFile, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) =>
    d.file === testFile.rulesPath && d.line === 1 && /not-found|unreadable/.test(d.code)
      ? diagnosticAt(testFile.rulesLoc, 'error', 'test/rules-unreadable', `cannot read the rule file ${testFile.rulesPath}: ${d.message}`, { hint: '`rules` is relative to the test file.' })
      : d,
  );
}

async function loadProject(testFile: TestFile, cwd: string): Promise<{ project: Project } | { diagnostic: Diagnostic }> {
  if (!testFile.projectPath || !testFile.projectLoc) return { project: buildDemoProject(DEFAULT_DEMO_SEED) };
  return readProjectJson(testFile.projectPath, testFile.projectLoc, cwd);
}

async function runCase(suite: Suite, testCase: TestCase): Promise<CaseResult> {
  const started = performance.now();
  const result: CaseResult = {
    file: suite.testFile.path,
    name: testCase.name,
    loc: testCase.loc,
    status: 'error',
    mismatches: [],
    diagnostics: [],
    observations: [],
    durationMs: 0,
  };
  const prepared = prepareCaseCached(suite, testCase);
  const seeded = 'diagnostics' in prepared ? prepared : resolveCaseTask(testCase, suite.project, prepared.stage);
  if ('diagnostics' in seeded) {
    result.diagnostics = seeded.diagnostics;
  } else if (!('diagnostics' in prepared)) {
    const record = await fetchCaseRecord(suite, testCase, prepared, seeded.task);
    const outcome = await evaluateCase(suite.project, prepared, record, testCase);
    result.outcome = outcome;
    result.mismatches = compareOutcome(testCase.expect, testCase.expectLocs, outcome, testCase.loc);
    result.status = result.mismatches.length === 0 ? 'passed' : 'failed';
    if (suite.coverage) result.observations = await observeClauses(suite, prepared, record, testCase.now);
  }
  result.durationMs = performance.now() - started;
  return result;
}

function prepareCaseCached(suite: Suite, testCase: TestCase): PreparedStage | { diagnostics: Diagnostic[] } {
  const key = JSON.stringify([testCase.stage, formatParamAssignments(testCase).sort()]);
  const cached = suite.prepared.get(key);
  // Param diagnostics name the case, so only successes are shared.
  if (cached && !('diagnostics' in cached)) return cached;
  const prepared = prepareCase(suite, testCase);
  suite.prepared.set(key, prepared);
  return prepared;
}

/**
 * The case's stage prepared by the runner, as `apply --stage S --param …` would prepare it:
 * compiled, params typed and checked. Problems are reported at the case.
 */
function prepareCase(suite: Suite, testCase: TestCase): PreparedStage | { diagnostics: Diagnostic[] } {
  const stage = findAgentStage(suite.project, testCase.stage);
  const hasRules = stage && suite.ruleFile.stages.some((s) => findAgentStage(suite.project, s.stage)?.uuid === stage.uuid);
  if (!stage || !hasRules) {
    const inFile = suite.ruleFile.stages.map((s) => `"${s.stage}"`).join(', ');
    const why = stage ? `${suite.ruleFile.path} has no rules for it` : 'the project has no agent stage by that name';
    const message = `case "${testCase.name}" runs stage "${testCase.stage}", but ${why}`;
    return { diagnostics: [diagnosticAt(testCase.loc, 'error', UNKNOWN_STAGE, message, { hint: `Stages in the rule file: ${inFile || 'none'}.` })] };
  }
  const prepared = prepareStages([suite.ruleFile], suite.project, { params: formatParamAssignments(testCase), stages: [stage.uuid] });
  const errors = prepared.diagnostics.filter((d) => d.severity === 'error');
  const only = prepared.stages[0];
  if (errors.length === 0 && only) return only;
  return { diagnostics: errors.map((d) => (d.file === COMMAND_LINE_FILE ? relocateParamDiagnostic(testCase, d) : d)) };
}

/** The case's params as `--param` text, so they are typed and checked exactly as on the command line. */
function formatParamAssignments(testCase: TestCase): string[] {
  return Object.entries(testCase.params).map(([name, value]) => `${name}=${Array.isArray(value) ? value.join(',') : String(value)}`);
}

function relocateParamDiagnostic(testCase: TestCase, d: Diagnostic): Diagnostic {
  const message = `case "${testCase.name}": ${d.message.replace(/^--param /, 'param ')}`;
  return diagnosticAt(testCase.loc, 'error', d.code, message, d.hint ? { hint: d.hint } : {});
}

/**
 * Seeds the store with the case's task, in a project of the case's own, then lists and
 * fetches it as a run does.
 */
async function fetchCaseRecord(suite: Suite, testCase: TestCase, prepared: PreparedStage, task: TaskInput): Promise<TaskRecord> {
  const project = { ...suite.project, projectHash: `${suite.project.projectHash}/case-${testCase.index}` };
  suite.backend.store.createProject({ project, tasks: [task] }, { startStageUuid: prepared.stage.uuid });
  const page = await suite.backend.listStageTasks(project.projectHash, prepared.stage.uuid);
  const [record] = await suite.backend.fetchTaskRecords(project.projectHash, page.tasks, prepared.handler.needs);
  if (!record) throw new Error(`the seeded task is not in stage "${prepared.stage.title}"`);
  return record;
}

/**
 * The task through the stage's one path, as a run's batch takes it (planTaskRecord). A case
 * is the task's first attempt, so `on_error` routes it only with `after_attempts: 1`.
 */
async function evaluateCase(project: Project, prepared: PreparedStage, record: TaskRecord, testCase: TestCase): Promise<CaseOutcome> {
  const { evaluation, plan } = await planTaskRecord(prepared, record, {
    project,
    now: testCase.now,
    // Seeded: a new classification instance gets the same hash on every run.
    randomBytes: createSeededBytes(1_000 + testCase.index),
    priorFailures: 0,
  });
  if (!evaluation.ok) return resolveFailedOutcome(evaluation.failure, plan);
  return resolveOutcome(evaluation.decision, plan);
}

/** Which rules and clauses this case drove true or false (only what the stage evaluates). */
async function observeClauses(suite: Suite, prepared: PreparedStage, record: TaskRecord, now: Date): Promise<ClauseObservation[]> {
  const rules = prepared.rules;
  const context: EvaluationContext = { params: prepared.params, now, ontology: suite.project.ontology };
  const trace = await explainStage(rules, suite.ruleFile.params, prepared.buildDocument(record), context);
  const observations: ClauseObservation[] = [];
  const base = { file: suite.ruleFile.path, stage: rules.stage };
  for (const rule of trace.rules) {
    if (!rule.reached || rule.when?.error) continue;
    observations.push({ ...base, rule: rule.rule, clause: [], value: rule.matched });
    if (!rule.when || rule.when.clauses.length < 2) continue;
    for (const { path, value } of listDrivenClauses(rule.when.clauses, [])) {
      observations.push({ ...base, rule: rule.rule, clause: path, value });
    }
  }
  return observations;
}

/** The clauses JSONata evaluated to a value, by path; a chain counts through its clauses. */
function listDrivenClauses(clauses: readonly ClauseTrace[], parent: readonly number[]): Array<{ path: number[]; value: boolean }> {
  return clauses.flatMap((clause) => {
    const path = [...parent, clause.index];
    if (clause.chain) return listDrivenClauses(clause.chain.clauses, path);
    return clause.reached && clause.truthy !== undefined && !clause.error ? [{ path, value: clause.truthy }] : [];
  });
}
