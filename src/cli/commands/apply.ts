/**
 * `encord-rules apply <rules...>`: the main job. Applies rule files to a project's agent
 * stages (local store or Encord), once or with --watch; --dry-run writes nothing. Exit 0 when
 * every task succeeded, 1 when any failed (or the rules are invalid), 2 for usage, 130 when
 * stopped by SIGINT/SIGTERM before the work was done.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { hasErrors } from '../../diagnostics/index.js';
import type { Backend } from '../../backends/backend.js';
import { SqliteBackend } from '../../backends/sqlite/index.js';
import { openAuditLog } from '../../backends/audit-log-file.js';
import type { AttemptStore } from '../../backends/run-state.js';
import { openAttemptStore } from '../../backends/sqlite/attempt-store.js';
import { loadRuleFiles } from '../../rules/index.js';
import { runRules } from '../../run-rules.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, type RunOptions, type RunSummary } from '../../runner/types.js';
import { EXIT, ExitError, type CliIO, type SetExitCode } from '../context.js';
import { openProjectBackend, resolveStorePath } from '../open-backend.js';
import { addBackendOptions, toOpenOptions, type BackendFlags } from './backend-flags.js';
import { createReporter } from './apply-report.js';
import { formatExamples } from './help-examples.js';

/** 128 + SIGINT, as shells report a Ctrl-C'd command. */
export const EXIT_INTERRUPTED = 130;
export const DEFAULT_AUDIT_LOG = '.encord-rules/audit.jsonl';
export const DEFAULT_STATE_DB = '.encord-rules/state.db';

export interface ApplyFlags extends BackendFlags {
  project?: string;
  stage: string[];
  batchSize: number;
  maxTasks?: number;
  param: string[];
  concurrency: number;
  watch?: boolean;
  interval: number;
  dryRun?: boolean;
  format: 'text' | 'json';
  quiet?: boolean;
  verbose?: boolean;
  logFormat: 'text' | 'json';
  auditLog?: string;
  state?: string;
  failAfter?: number;
  attempts?: number;
}

/** The flags `apply` gets with nothing on the command line; for commands that run it (demo). */
export function defaultApplyFlags(): ApplyFlags {
  return {
    stage: [],
    batchSize: DEFAULT_BATCH_SIZE,
    param: [],
    concurrency: DEFAULT_CONCURRENCY,
    interval: 30,
    format: 'text',
    logFormat: 'text',
  };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function parseWhole(what: string, min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new InvalidArgumentError(`${what} must be a whole number ≥ ${min}`);
    return value;
  };
}

export function registerApply(program: Command, io: CliIO, setExitCode: SetExitCode): void {
  const command = program
    .command('apply')
    .description('apply rule files to the tasks waiting in agent stages (the main job)')
    .argument('<rules...>', 'rule files or folders of them')
    .option('--project <hash>', 'project hash (or local project title); default: the rule file\'s `project`, or the store\'s only project')
    .option('--stage <stage>', 'only this stage (title or uuid); repeatable', collect, [])
    .option('--batch-size <n>', `tasks per fetch/commit batch (default ${DEFAULT_BATCH_SIZE})`, parseWhole('--batch-size', 1), DEFAULT_BATCH_SIZE)
    .option('--max-tasks <n>', 'at most n tasks per stage per pass', parseWhole('--max-tasks', 1))
    .option('--param <name=value>', 'rule parameter; repeatable (string-array: comma separated)', collect, [])
    .option('--concurrency <n>', `batches fetched ahead while one is evaluated and committed (default ${DEFAULT_CONCURRENCY})`, parseWhole('--concurrency', 1), DEFAULT_CONCURRENCY)
    .option('--watch', 'keep polling the stages until stopped; reload rule files when they change')
    .option('--interval <seconds>', 'seconds between passes with --watch (default 30)', parseWhole('--interval', 0), 30)
    .option('--dry-run', 'evaluate and print the plan; write nothing')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--quiet', 'no progress and no per-pass lines: failures and the summary only')
    .option('--verbose', 'print every task\'s plan')
    .addOption(new Option('--log-format <format>', 'stderr log format').choices(['text', 'json']).default('text'))
    .option('--audit-log <file>', `append applied changes here (default ${DEFAULT_AUDIT_LOG})`)
    .option('--state <file>', `failure counts for on_error (default ${DEFAULT_STATE_DB}; <store>-state.db beside another store)`)
    .option('--fail-after <n>', 'override every stage\'s on_error.after_attempts', parseWhole('--fail-after', 1))
    .option('--attempts <n>', 'same as --fail-after', parseWhole('--attempts', 1))
    .addHelpText(
      'after',
      formatExamples([
        'encord-rules apply rules/london-priority.yaml --dry-run',
        'encord-rules apply rules/weather-triage.yaml --param priority_cities=london,oslo --max-tasks 50',
      ]),
    );
  addBackendOptions(command).action(async (rules: string[], flags: ApplyFlags) => {
    setExitCode(await runApplyCommand(io, rules, flags));
  });
}

/** Runs `apply`; returns the exit code. Throws ExitError/BackendError for what stops it starting. */
export async function runApplyCommand(io: CliIO, rules: string[], flags: ApplyFlags): Promise<number> {
  const project = flags.project ?? (await readRulesProject(rules, io.cwd));
  const { backend, projectHash } = await openProjectBackend(io, toOpenOptions(flags, project || undefined));
  const attempts = openStateStore(io, flags, backend);
  const audit = flags.dryRun ? undefined : openAuditLog(resolve(io.cwd, flags.auditLog ?? DEFAULT_AUDIT_LOG));
  const reporter = createReporter(io, {
    format: flags.format,
    logFormat: flags.logFormat,
    quiet: Boolean(flags.quiet),
    verbose: Boolean(flags.verbose),
    dryRun: Boolean(flags.dryRun),
    watch: Boolean(flags.watch),
  });
  try {
    const options = buildRunOptions(io, rules, projectHash, flags, attempts);
    if (audit) options.audit = audit;
    const summary = await runRules(options, backend, reporter.callbacks);
    if (hasErrors(summary.diagnostics) && summary.seen === 0 && summary.passes === 0) {
      throw new ExitError(EXIT.failed, summary.diagnostics);
    }
    reporter.finish(summary);
    return exitCodeOf(summary, Boolean(flags.watch));
  } finally {
    attempts?.close();
    await audit?.close();
    await backend.close();
  }
}

function buildRunOptions(io: CliIO, rules: string[], projectHash: string, flags: ApplyFlags, attempts: AttemptStore | undefined): RunOptions {
  const options: RunOptions = {
    rules,
    cwd: io.cwd,
    projectHash,
    batchSize: flags.batchSize,
    concurrency: flags.concurrency,
    params: flags.param,
    dryRun: Boolean(flags.dryRun),
    watch: Boolean(flags.watch),
    intervalMs: flags.interval * 1000,
    signal: io.stopSignal,
  };
  if (flags.stage.length > 0) options.stages = flags.stage;
  if (flags.maxTasks !== undefined) options.maxTasks = flags.maxTasks;
  const failAfter = flags.failAfter ?? flags.attempts;
  if (failAfter !== undefined) options.failAfter = failAfter;
  if (attempts) options.attempts = attempts;
  return options;
}

/** 1 when a task failed or a stage could not be listed; 130 when stopped early (not in --watch). */
export function exitCodeOf(summary: RunSummary, watch: boolean): number {
  if (summary.interrupted && !watch) return EXIT_INTERRUPTED;
  if (summary.failed > 0 || hasErrors(summary.diagnostics)) return EXIT.failed;
  return EXIT.ok;
}

/**
 * The failure-count store: beside a local store (so each store keeps its own), else under the
 * working directory. A dry run only reads it, and only if it exists.
 */
function openStateStore(io: CliIO, flags: ApplyFlags, backend: Backend): AttemptStore | undefined {
  const path = flags.state ? resolve(io.cwd, flags.state) : resolveStatePath(io, backend);
  if (flags.dryRun) return existsSync(path) ? openAttemptStore(path, { readonly: true }) : undefined;
  return openAttemptStore(path);
}

/**
 * `.encord-rules/state.db` for the default store and for Encord; `<store>-state.db` beside any
 * other store, since copies of one project in two stores must not share failure counts.
 */
function resolveStatePath(io: CliIO, backend: Backend): string {
  if (!(backend instanceof SqliteBackend)) return resolve(io.cwd, DEFAULT_STATE_DB);
  const store = backend.store.path;
  if (store === resolveStorePath(io, undefined)) return resolve(dirname(store), 'state.db');
  return store.replace(/(\.db)?$/, '-state.db');
}

/** The rule files' `project`, which picks the backend and project when --project is not given. */
async function readRulesProject(rules: string[], cwd: string): Promise<string | undefined> {
  const loaded = await loadRuleFiles(rules, { cwd });
  // Invalid files are reported by the run itself, with every diagnostic.
  return loaded.files.find((f) => f.project)?.project;
}
