/**
 * The main job: apply rule files to a project's agent stages. `runRuleFiles` checks the rules
 * its loader gives, then passes over each stage (batch → evaluate → plan → commit), once or,
 * with `watch`, until the signal aborts, re-reading the project and reloading rule files that
 * changed before each pass (watch-refresh.ts). Reading the files is the caller's
 * (src/run-rules.ts, from paths).
 */
import { randomBytes as cryptoRandomBytes, randomUUID } from 'node:crypto';
import { diagnosticAt, hasErrors, type Diagnostic } from '../diagnostics/index.js';
import type { Backend } from '../backends/backend.js';
import type { Project } from '../model/index.js';
import type { RuleFile } from '../compile/index.js';
import { AUDIT_LOG_FAILED } from '../backends/run-state.js';
import { addStageSummary, createRunSummary } from './counts.js';
import { drainStage, type DrainOptions } from './drain-stage.js';
import { prepareStages } from './prepare.js';
import { refreshWatchState, startWatchState } from './watch-refresh.js';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_CONCURRENCY,
  DEFAULT_INTERVAL_MS,
  MAX_REPORTED_FAILURES,
  type PreparedStage,
  type RuleFileLoader,
  type RunCallbacks,
  type RunSettings,
  type RunSummary,
} from './types.js';

interface RuleSet {
  files: RuleFile[];
  stages: PreparedStage[];
}

/**
 * Runs the rule files `loadRules` gives (called once, then before every later pass with
 * `watch`); resolves with the summary (never rejects for bad rules or a task's failure:
 * those are in `diagnostics` and `failures`). Rejects with BackendError when the project
 * cannot be read at all.
 */
export async function runRuleFiles(loadRules: RuleFileLoader, options: RunSettings, backend: Backend, callbacks: RunCallbacks = {}): Promise<RunSummary> {
  const started = performance.now();
  const total = createRunSummary(randomUUID(), Boolean(options.dryRun), Boolean(options.watch));
  const loaded = await loadRuleSet(loadRules, options, backend);
  total.diagnostics.push(...loaded.diagnostics);
  if (!loaded.ruleSet || !loaded.project) return finish(total, started);
  let watched = startWatchState(loaded.project, loaded.ruleSet.files, loaded.ruleSet.stages);
  const drain = buildDrainOptions(options, total.runId);
  for (;;) {
    const pass = await runPass(watched.running, watched.project, backend, drain, callbacks, total.runId);
    mergePass(total, pass);
    callbacks.onPassDone?.(pass);
    if (!options.watch || options.signal?.aborted || stopsRun(pass)) break;
    await sleep(options.intervalMs ?? DEFAULT_INTERVAL_MS, options.signal);
    if (options.signal?.aborted) break;
    watched = await refreshWatchState(watched, loadRules, backend, options, callbacks);
  }
  return finish(total, started);
}

async function runPass(
  stages: readonly PreparedStage[],
  project: Project,
  backend: Backend,
  drain: DrainOptions,
  callbacks: RunCallbacks,
  runId: string,
): Promise<RunSummary> {
  const started = performance.now();
  const pass = createRunSummary(runId, drain.dryRun);
  for (const prepared of stages) {
    if (drain.signal?.aborted || stopsRun(pass)) break;
    addStageSummary(pass, await drainStage(backend, project, prepared, drain, callbacks, pass));
  }
  pass.passes = 1;
  pass.interrupted = Boolean(drain.signal?.aborted);
  pass.elapsedMs = performance.now() - started;
  return pass;
}

async function loadRuleSet(
  loadRules: RuleFileLoader,
  options: RunSettings,
  backend: Backend,
): Promise<{ ruleSet?: RuleSet; project?: Project; diagnostics: Diagnostic[] }> {
  const loaded = await loadRules();
  if (hasErrors(loaded.diagnostics)) return { diagnostics: loaded.diagnostics };
  const projectHash = options.projectHash ?? loaded.files.find((f) => f.project)?.project;
  if (!projectHash) return { diagnostics: [...loaded.diagnostics, noProject(loaded.files)] };
  const project = await backend.getProject(projectHash);
  const prepared = prepareStages(loaded.files, project, options);
  const diagnostics = [...loaded.diagnostics, ...prepared.diagnostics];
  if (hasErrors(prepared.diagnostics)) return { project, diagnostics };
  return { ruleSet: { files: loaded.files, stages: prepared.stages }, project, diagnostics };
}

function buildDrainOptions(options: RunSettings, runId: string): DrainOptions {
  const drain: DrainOptions = {
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    dryRun: Boolean(options.dryRun),
    runId,
    now: options.now ?? (() => new Date()),
    randomBytes: options.randomBytes ?? ((n) => cryptoRandomBytes(n)),
  };
  if (options.maxTasks !== undefined) drain.maxTasks = options.maxTasks;
  if (options.attempts) drain.attempts = options.attempts;
  if (options.audit) drain.audit = options.audit;
  if (options.signal) drain.signal = options.signal;
  return drain;
}

function mergePass(total: RunSummary, pass: RunSummary): void {
  for (const stage of pass.stages) addStageSummary(total, stage);
  total.passes += 1;
  total.interrupted = pass.interrupted;
  total.diagnostics.push(...pass.diagnostics);
  for (const failure of pass.failures) {
    if (total.failures.length < MAX_REPORTED_FAILURES) total.failures.push(failure);
  }
}

/** A failure that must end the whole run, not just its stage: changes could no longer be logged. */
function stopsRun(pass: RunSummary): boolean {
  return pass.diagnostics.some((d) => d.code === AUDIT_LOG_FAILED);
}

function finish(summary: RunSummary, started: number): RunSummary {
  summary.elapsedMs = performance.now() - started;
  return summary;
}

function noProject(files: readonly RuleFile[]): Diagnostic {
  const file = files[0]?.path ?? '<command line>';
  return diagnosticAt({ file, line: 1, col: 1 }, 'error', 'run/no-project', 'no project to run against', {
    hint: 'pass --project <hash>, or add `project: <hash>` to the rule file',
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

