/**
 * `encord-rules validate <files|dirs...>`: every problem in the rule files, in one run —
 * YAML, schema, semantic checks, JSONata, and with --project the project's stages,
 * pathways and ontology. Exit 0 clean, 1 errors, 2 usage, 3 warnings only under --strict.
 */
import { Option, type Command } from 'commander';
import { compileRuleFile } from '../../compile/index.js';
import { BackendError } from '../../backends/backend.js';
import { diagnosticAt, formatDiagnosticsJson, formatDiagnosticsText, sortDiagnostics, type Diagnostic } from '../../diagnostics/index.js';
import { COMMAND_LINE_FILE } from '../../rules/params.js';
import { checkRulesAgainstProject } from '../../compile/project-checks.js';
import { loadRuleFiles } from '../../rules/load.js';
import type { RuleFile } from '../../rules/types.js';
import { EXIT, type CliIO, type SetExitCode } from '../context.js';
import { openProjectBackend } from '../open-backend.js';
import { runAndWatch } from '../watch.js';
import { addBackendOptions, toOpenOptions, type BackendFlags } from './backend-flags.js';
import { formatExamples } from './help-examples.js';

export interface ValidateFlags extends BackendFlags {
  project?: string;
  format: 'text' | 'json';
  strict?: boolean;
  watch?: boolean;
}

export interface ValidationReport {
  diagnostics: Diagnostic[];
  /** Rule files read (for watching). */
  paths: string[];
  fileCount: number;
}

export function registerValidate(program: Command, io: CliIO, setExitCode: SetExitCode): void {
  const command = program
    .command('validate')
    .description('check rule files: YAML, schema, rules, JSONata, and (with --project) stages, pathways and ontology')
    .argument('<paths...>', 'rule files, or folders searched for *.yaml / *.yml')
    .option('--project <project>', 'also check against this project (hash, or local project title)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--strict', 'exit 3 when there are warnings but no errors')
    .option('--watch', 'validate again whenever a rule file changes (Ctrl-C to stop)')
    .addHelpText('after', '\nExit codes: 0 clean, 1 errors, 2 usage, 3 warnings only (with --strict).')
    .addHelpText(
      'after',
      formatExamples([
        'encord-rules validate rules/',
        'encord-rules validate rules/london-priority.yaml --project "encord-rules demo" --strict',
        'encord-rules validate rules/ --format json',
      ]),
    );
  addBackendOptions(command);
  command.action(async (paths: string[], flags: ValidateFlags) => {
    setExitCode(await runValidateCommand(paths, flags, io));
  });
}

/** Runs `validate` (once, or until stopped with --watch); returns the exit code. */
export async function runValidateCommand(paths: readonly string[], flags: ValidateFlags, io: CliIO): Promise<number> {
  const runOnce = async (): Promise<ValidationReport> => {
    const report = await validateRuleFiles(paths, flags, io);
    io.stdout(formatReport(report, flags.format));
    return report;
  };
  if (!flags.watch) return exitCodeFor(await runOnce(), flags.strict === true);
  const last = await runAndWatch(paths, runOnce, {
    cwd: io.cwd,
    signal: io.stopSignal,
    onChange: (path) => io.stderr(`\n--- ${path} changed: validating again ---\n`),
    onIdle: () => io.stderr('watching for changes (Ctrl-C to stop)\n'),
    inputsOf: (report) => report.paths,
  });
  return exitCodeFor(last, flags.strict === true);
}

/** The validate pipeline: load → compile → (project checks); every diagnostic, sorted. */
export async function validateRuleFiles(paths: readonly string[], flags: ValidateFlags, io: CliIO): Promise<ValidationReport> {
  const loaded = await loadRuleFiles(paths, { cwd: io.cwd });
  // Files with errors still compile for their JSONata problems: one run reports every layer.
  const checked = [...loaded.files, ...loaded.partials];
  const compiled = checked.flatMap((file) => compileRuleFile(file).diagnostics);
  const project = flags.project === undefined ? [] : await checkAgainstProject(checked, flags, io);
  return {
    diagnostics: sortDiagnostics([...loaded.diagnostics, ...compiled, ...project]),
    paths: loaded.paths,
    fileCount: loaded.paths.length,
  };
}

/**
 * Project checks for every file. A project that cannot be opened is one diagnostic (at
 * `--project` on the command line), so the file diagnostics are still printed.
 */
async function checkAgainstProject(files: readonly RuleFile[], flags: ValidateFlags, io: CliIO): Promise<Diagnostic[]> {
  let opened;
  try {
    opened = await openProjectBackend(io, toOpenOptions(flags, flags.project ?? ''));
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    const at = { file: COMMAND_LINE_FILE, line: 1, col: 1 };
    return [diagnosticAt(at, 'error', error.code, `cannot open project "${flags.project ?? ''}": ${error.message}`, error.hint ? { hint: error.hint } : {})];
  }
  const { backend, projectHash } = opened;
  try {
    const project = await backend.getProject(projectHash);
    return files.flatMap((file) => checkRulesAgainstProject(file, project));
  } finally {
    await backend.close();
  }
}

function exitCodeFor(report: ValidationReport, strict: boolean): number {
  if (report.diagnostics.some((d) => d.severity === 'error')) return EXIT.failed;
  if (strict && report.diagnostics.some((d) => d.severity === 'warning')) return EXIT.warnings;
  return EXIT.ok;
}

function formatReport(report: ValidationReport, format: 'text' | 'json'): string {
  if (format === 'json') return formatDiagnosticsJson(report.diagnostics) + '\n';
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.filter((d) => d.severity === 'warning').length;
  const files = `${report.fileCount} rule file${report.fileCount === 1 ? '' : 's'}`;
  const summary = errors + warnings === 0 ? `${files}: no problems` : `${files}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  const body = report.diagnostics.length > 0 ? formatDiagnosticsText(report.diagnostics) + '\n' : '';
  return `${body}${summary}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
