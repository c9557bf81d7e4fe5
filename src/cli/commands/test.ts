/**
 * `encord-rules test [paths...]`: runs rule test files (`*.test.yaml`) through the apply
 * path and reports failures with a field-level diff. Exit 1 on any failure or error, when
 * no case ran (unless --allow-empty) and when coverage is below --coverage-threshold.
 */
import { Option, type Command } from 'commander';
import { formatDiagnosticsText } from '../../diagnostics/index.js';
import { formatCoverageText } from '../../rule-tests/coverage.js';
import { formatResultsJson, formatResultsJunit, formatResultsText, summarizeResults } from '../../rule-tests/report.js';
import { runTests, type TestRun } from '../../rule-tests/run-tests.js';
import { EXIT, ExitError, type CliIO, type SetExitCode } from '../context.js';
import { formatExamples } from './help-examples.js';

export const DEFAULT_TEST_PATHS = ['rules'];

interface TestCommandOptions {
  run?: string;
  format: 'text' | 'json' | 'junit';
  allowEmpty?: boolean;
  coverage?: boolean;
  coverageThreshold?: string;
  watch?: boolean;
}

export interface TestSettings {
  paths: string[];
  filter?: RegExp;
  format: TestCommandOptions['format'];
  allowEmpty: boolean;
  coverage: boolean;
  threshold?: number;
}

export function registerTestCommand(program: Command, io: CliIO, setExitCode: SetExitCode): void {
  program
    .command('test')
    .description('run rule tests (*.test.yaml): each case through the loader, compiler and planner over an in-memory store')
    .argument('[paths...]', 'test files or folders to search for *.test.yaml', DEFAULT_TEST_PATHS)
    .option('--run <regex>', 'only cases whose name matches this regular expression')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'junit']).default('text'))
    .option('--allow-empty', 'exit 0 when no case ran')
    .option('--coverage', 'print which rules and clauses the cases drove true and false')
    .option('--coverage-threshold <percent>', 'fail when coverage is below this percentage (implies --coverage)')
    .option('--watch', 'run again whenever a test file, rule file or label row changes')
    .addHelpText('after', formatExamples(['encord-rules test', 'encord-rules test rules/london-priority.test.yaml --coverage', 'encord-rules test --run london --format junit']))
    .action(async (paths: string[], options: TestCommandOptions) => {
      const settings = resolveTestSettings(paths, options);
      if (options.watch) {
        const { watchTests } = await import('./test-watch.js');
        setExitCode(await watchTests(settings, io));
        return;
      }
      setExitCode((await runTestCommand(settings, io)).code);
    });
}

/** Options → settings; usage errors (bad regex, bad threshold) exit 2. */
export function resolveTestSettings(paths: string[], options: TestCommandOptions): TestSettings {
  const settings: TestSettings = {
    paths: paths.length > 0 ? paths : DEFAULT_TEST_PATHS,
    format: options.format,
    allowEmpty: Boolean(options.allowEmpty),
    coverage: Boolean(options.coverage) || options.coverageThreshold !== undefined,
  };
  if (options.run !== undefined) settings.filter = compileFilter(options.run);
  if (options.coverageThreshold !== undefined) settings.threshold = parseThreshold(options.coverageThreshold);
  return settings;
}

function compileFilter(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new ExitError(EXIT.usage, [], `error: --run ${JSON.stringify(pattern)} is not a valid regular expression (${(error as Error).message})`);
  }
}

function parseThreshold(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new ExitError(EXIT.usage, [], `error: --coverage-threshold must be a percentage from 0 to 100, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** One run: prints the report, returns the exit code and every file the run read. */
export async function runTestCommand(settings: TestSettings, io: CliIO): Promise<{ code: number; inputs: string[] }> {
  const run = await runTests({
    paths: settings.paths,
    cwd: io.cwd,
    coverage: settings.coverage,
    ...(settings.filter ? { filter: settings.filter } : {}),
  });
  printTestRun(run, settings, io);
  return { code: resolveExitCode(run, settings, io), inputs: run.inputs };
}

function printTestRun(run: TestRun, settings: TestSettings, io: CliIO): void {
  if (run.diagnostics.length > 0) io.stderr(formatDiagnosticsText(run.diagnostics) + '\n');
  if (settings.format === 'json') io.stdout(formatResultsJson(run.results, run.coverage) + '\n');
  else if (settings.format === 'junit') io.stdout(formatResultsJunit(run.results));
  else {
    io.stdout(formatResultsText(run.results) + '\n');
    if (run.coverage) io.stdout('\n' + formatCoverageText(run.coverage) + '\n');
  }
}

function resolveExitCode(run: TestRun, settings: TestSettings, io: CliIO): number {
  const summary = summarizeResults(run.results);
  let code: number = run.diagnostics.length > 0 || summary.failed + summary.errors > 0 ? EXIT.failed : EXIT.ok;
  if (summary.cases === 0 && !settings.allowEmpty && summary.errors === 0) {
    const where = settings.paths.join(', ');
    const why = settings.filter ? ` matching --run ${JSON.stringify(settings.filter.source)}` : '';
    io.stderr(`error: no test cases ran${why} (searched ${where})\n  hint: test files end in .test.yaml; pass --allow-empty to accept an empty run\n`);
    code = EXIT.failed;
  }
  if (settings.threshold !== undefined && run.coverage && run.coverage.percent < settings.threshold) {
    io.stderr(`error: coverage ${run.coverage.percent}% is below --coverage-threshold ${settings.threshold}%\n`);
    code = EXIT.failed;
  }
  return code;
}
