/**
 * `encord-rules local …`: the embedded project store — create a demo project, import label
 * rows, export, reset, and show status and tasks. Errors leave the store as it was.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { BackendError } from '../../backends/backend.js';
import { DEFAULT_DEMO_SEED, DEFAULT_DEMO_TASKS, streamDemoProjectInput } from '../../demo/index.js';
import { openSqliteStore, writeProjectExport, type SqliteStore } from '../../backends/sqlite/index.js';
import { EXIT, ExitError, type CliIO, type SetExitCode } from '../context.js';
import { openLocalStore, resolveLocalProject, resolveStorePath } from '../open-backend.js';
import { formatExamples } from './help-examples.js';
import { readImportProject } from './local-import.js';
import { formatStatusText, formatTasksTable, writeTasksJson } from './local-output.js';

export function parseCount(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return value;
}

export function parseSeed(text: string): number | string {
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

/** Runs `fn` on an existing store, closing it whatever happens. */
function withStore<T>(io: CliIO, path: string | undefined, fn: (store: SqliteStore) => T): T {
  const store = openLocalStore(io, path);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** Creates the demo project in a store (created when missing); prints what it did. */
export function createDemoStore(io: CliIO, options: { store?: string; tasks: number; seed: number | string }): string {
  const path = resolveStorePath(io, options.store);
  mkdirSync(dirname(path), { recursive: true });
  const store = openSqliteStore(path);
  try {
    const demo = streamDemoProjectInput({ tasks: options.tasks, seed: options.seed });
    const started = performance.now();
    const progress = io.isTTY ? (n: number) => io.stderr(`\r  ${n.toLocaleString('en')} / ${options.tasks.toLocaleString('en')} tasks`) : undefined;
    const summary = store.createProject(demo, progress ? { onProgress: progress, progressEvery: 50_000 } : {});
    if (progress) io.stderr('\n');
    const seconds = (performance.now() - started) / 1000;
    io.stdout(`created demo project "${summary.title}" (${summary.projectHash}) with ${summary.taskCount.toLocaleString('en')} tasks in ${path} (${seconds.toFixed(1)} s)\n`);
    return summary.projectHash;
  } finally {
    store.close();
  }
}

function registerInit(local: Command, io: CliIO): void {
  local
    .command('init')
    .description('create a store with the demo project (the pre-label agent stage of the Encord guide)')
    .option('--demo', 'create the seeded demo project')
    .option('--tasks <n>', 'number of demo tasks', parseCount, DEFAULT_DEMO_TASKS)
    .option('--seed <seed>', 'seed of the demo project (same seed, same project)', parseSeed, DEFAULT_DEMO_SEED)
    .option('--store <file>', 'store file (default .encord-rules/local.db)')
    .addHelpText('after', formatExamples(['encord-rules local init --demo', 'encord-rules local init --demo --tasks 5000 --seed 7 --store other.db']))
    .action((flags: { demo?: boolean; tasks: number; seed: number | string; store?: string }) => {
      if (!flags.demo) throw new ExitError(EXIT.usage, [], 'error: nothing to create: pass --demo, or use `encord-rules local import`');
      createDemoStore(io, flags);
    });
}

function registerImport(local: Command, io: CliIO): void {
  local
    .command('import')
    .description('create a project from label rows exported from Encord (or from `local export`)')
    .argument('<label-rows>', 'JSON file: an array of Encord label rows, or a `local export` file')
    .option('--workflow <file>', 'YAML/JSON workflow: stages with title, type and pathways (name, to)')
    .option('--ontology <file>', 'YAML/JSON ontology in Encord editor structure')
    .option('--title <title>', 'project title (default: the file name)')
    .option('--store <file>', 'store file (default .encord-rules/local.db)')
    .addHelpText('after', formatExamples(['encord-rules local export --out demo.json', 'encord-rules local import demo.json --title "demo copy" --store copy.db']))
    .action((file: string, flags: { workflow?: string; ontology?: string; title?: string; store?: string }) => {
      const resolvePath = (p: string | undefined) => (p === undefined ? undefined : resolveStorePath(io, p));
      const { result, diagnostics } = readImportProject(
        { labelRows: resolvePath(file) as string, workflow: resolvePath(flags.workflow), ontology: resolvePath(flags.ontology), ...(flags.title ? { title: flags.title } : {}) },
        io.cwd,
      );
      if (!result) throw new ExitError(EXIT.failed, diagnostics);
      const path = resolveStorePath(io, flags.store);
      mkdirSync(dirname(path), { recursive: true });
      const store = openSqliteStore(path);
      try {
        const summary = store.createProject(result.input);
        io.stdout(`imported project "${summary.title}" (${summary.projectHash}) with ${summary.taskCount} tasks into ${path}\n`);
      } finally {
        store.close();
      }
    });
}

/** Writes to a temporary file renamed into place, so a failed export leaves no partial file. */
function exportToFile(store: SqliteStore, projectHash: string, out: string): number {
  const temporary = `${out}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w');
  try {
    const count = writeProjectExport(store, projectHash, (chunk) => writeSync(fd, chunk));
    closeSync(fd);
    renameSync(temporary, out);
    return count;
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
}

function registerExport(local: Command, io: CliIO): void {
  local
    .command('export')
    .description('write a project with every task in its current state as JSON (readable by `local import`)')
    .option('--project <project>', 'project hash or title (default: the only project)')
    .option('--out <file>', 'output file (default: stdout)')
    .option('--store <file>', 'store file (default .encord-rules/local.db)')
    .addHelpText('after', formatExamples(['encord-rules local export --out demo.json', 'encord-rules local export --project "encord-rules demo" > demo.json']))
    .action((flags: { project?: string; out?: string; store?: string }) =>
      withStore(io, flags.store, (store) => {
        const projectHash = resolveLocalProject(store, flags.project);
        if (flags.out === undefined) {
          writeProjectExport(store, projectHash, (chunk) => io.stdout(chunk));
          return;
        }
        const count = exportToFile(store, projectHash, resolveStorePath(io, flags.out));
        io.stderr(`exported ${count} tasks to ${flags.out}\n`);
      }),
    );
}

function registerReset(local: Command, io: CliIO): void {
  local
    .command('reset')
    .description('put every task of a project back to its initial stage, priority and label row')
    .option('--project <project>', 'project hash or title (default: the only project)')
    .option('--store <file>', 'store file (default .encord-rules/local.db)')
    .addHelpText('after', formatExamples(['encord-rules apply rules/london-priority.yaml --quiet', 'encord-rules local reset']))
    .action((flags: { project?: string; store?: string }) =>
      withStore(io, flags.store, (store) => {
        const projectHash = resolveLocalProject(store, flags.project);
        const count = store.resetProject(projectHash);
        io.stdout(`reset ${count} tasks of project ${projectHash}\n`);
      }),
    );
}

function registerStatus(local: Command, io: CliIO): void {
  local
    .command('status')
    .description('tasks per stage')
    .option('--project <project>', 'project hash or title (default: the only project)')
    .option('--store <file>', 'store file (default .encord-rules/local.db)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', formatExamples(['encord-rules local status', 'encord-rules local status --project "encord-rules demo" --format json']))
    .action((flags: { project?: string; store?: string; format: 'text' | 'json' }) =>
      withStore(io, flags.store, (store) => printStatus(io, store, flags.project, flags.format)),
    );
}

/** Prints tasks per stage of a project of an open store. */
export function printStatus(io: CliIO, store: SqliteStore, project: string | undefined, format: 'text' | 'json' = 'text'): void {
  const projectHash = resolveLocalProject(store, project);
  const summary = store.getProject(projectHash);
  const counts = store.countTasksByStage(projectHash);
  if (format === 'json') {
    const stages = counts.map((c) => ({ uuid: c.stage.uuid, title: c.stage.title, type: c.stage.stageType, tasks: c.count }));
    io.stdout(JSON.stringify({ projectHash, title: summary.title, stages }, null, 2) + '\n');
  } else {
    io.stdout(formatStatusText(summary, counts));
  }
}

function registerTasks(local: Command, io: CliIO): void {
  local
    .command('tasks')
    .description('list tasks: uuid, data hash, title, stage, priority')
    .option('--project <project>', 'project hash or title (default: the only project)')
    .option('--stage <stage>', 'only tasks in this stage (title or uuid)')
    .option('--store <file>', 'store file (default .encord-rules/local.db)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', formatExamples(['encord-rules local tasks --stage pre-label', 'encord-rules local tasks --format json > tasks.json']))
    .action((flags: { project?: string; stage?: string; store?: string; format: 'table' | 'json' }) =>
      withStore(io, flags.store, (store) => {
        const projectHash = resolveLocalProject(store, flags.project);
        const stage = flags.stage === undefined ? undefined : store.resolveStage(projectHash, flags.stage);
        const tasks = store.listTasks(projectHash, stage?.uuid);
        if (flags.format === 'json') writeTasksJson(tasks, (chunk) => io.stdout(chunk));
        else formatTasksTable(tasks, (chunk) => io.stdout(chunk));
      }),
    );
}

export function registerLocal(program: Command, io: CliIO, _setExitCode: SetExitCode): void {
  const local = program
    .command('local')
    .description('the local project store (SQLite): demo data, import, export, status')
    .addHelpText('after', formatExamples(['encord-rules local init --demo', 'encord-rules local status']));
  registerInit(local, io);
  registerImport(local, io);
  registerExport(local, io);
  registerReset(local, io);
  registerStatus(local, io);
  registerTasks(local, io);
}

