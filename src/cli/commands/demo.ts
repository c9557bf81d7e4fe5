/**
 * `encord-rules demo` (what `npm start` runs): creates the demo project in the default store
 * when it is not there yet, applies rules/london-priority.yaml to it (the Encord guide's task
 * agent), then prints the run's summary and the store's status.
 */
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildDemoProject, DEFAULT_DEMO_SEED, DEFAULT_DEMO_TASKS } from '../../demo/index.js';
import { openSqliteStore } from '../../backends/sqlite/index.js';
import type { CliIO, SetExitCode } from '../context.js';
import { resolveStorePath } from '../open-backend.js';
import { formatExamples } from './help-examples.js';
import { createDemoStore, parseCount, parseSeed, printStatus } from './local.js';
import { defaultApplyFlags, runApplyCommand } from './apply.js';

/** Shipped with the package (package.json `files`), found from here in src/ and dist/ alike. */
const DEMO_RULES = fileURLToPath(new URL('../../../rules/london-priority.yaml', import.meta.url));

interface DemoFlags {
  store?: string;
  tasks: number;
  seed: number | string;
}

/** Creates the demo project unless the store has it; returns its project hash. */
export function ensureDemoProject(io: CliIO, flags: DemoFlags): string {
  const projectHash = buildDemoProject(flags.seed).projectHash;
  const path = resolveStorePath(io, flags.store);
  mkdirSync(dirname(path), { recursive: true });
  const store = openSqliteStore(path);
  const present = (() => {
    try {
      return store.hasProject(projectHash);
    } finally {
      store.close();
    }
  })();
  if (present) {
    // A second `npm start` finds every task already moved on; say how to see the rules act again.
    io.stdout(`demo project ${projectHash} is already in ${path}; \`encord-rules local reset\` puts its tasks back in "pre-label"\n`);
  } else {
    createDemoStore(io, flags);
  }
  return projectHash;
}

export function registerDemo(program: Command, io: CliIO, setExitCode: SetExitCode): void {
  program
    .command('demo')
    .description('create the demo project in the local store (if missing), apply rules/london-priority.yaml to it, show the result')
    .option('--store <file>', 'store file (default .encord-rules/local.db)')
    .option('--tasks <n>', 'number of demo tasks when creating it', parseCount, DEFAULT_DEMO_TASKS)
    .option('--seed <seed>', 'seed of the demo project', parseSeed, DEFAULT_DEMO_SEED)
    .addHelpText('after', formatExamples(['encord-rules demo', 'encord-rules demo --store demo-1k.db --tasks 1000 --seed 7']))
    .action(async (flags: DemoFlags) => {
      const projectHash = ensureDemoProject(io, flags);
      const rules = displayPath(io, DEMO_RULES);
      io.stdout(`applying ${rules} to the demo project\n`);
      const code = await runApplyCommand(io, [rules], { ...defaultApplyFlags(), project: projectHash, backend: 'local', ...(flags.store ? { store: flags.store } : {}) });
      setExitCode(code);
      const store = openSqliteStore(resolveStorePath(io, flags.store), { create: false });
      try {
        printStatus(io, store, projectHash);
      } finally {
        store.close();
      }
    });
}

/** Relative to the working directory when inside it, so diagnostics read like the user's paths. */
function displayPath(io: CliIO, path: string): string {
  const rel = relative(io.cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
