/**
 * Builds the commander program and runs it in-process: `runCli(argv, io)` returns the
 * exit code instead of exiting, so tests drive every command directly.
 */
import { Command, CommanderError } from 'commander';
import { formatDiagnosticsText } from '../diagnostics/index.js';
import { BackendError } from '../backends/backend.js';
import { EXIT, ExitError, type CliIO } from './context.js';
import { registerCommands } from './commands/index.js';
import { VERSION } from './version.js';

export function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const program = new Command('encord-rules')
    .description('Declarative YAML rules for Encord workflow agent stages')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  registerCommands(program, io, setExitCode);
  // Subcommands inherit output and exit handling so usage errors become exit 2, not process.exit.
  for (const command of program.commands) applyInheritedSettings(command, io);
  return program;
}

function applyInheritedSettings(command: Command, io: CliIO): void {
  command
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  for (const sub of command.commands) applyInheritedSettings(sub, io);
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = Math.max(exitCode, code);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return exitCodeFor(error, io);
  }
}

function exitCodeFor(error: unknown, io: CliIO): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with code 0; everything else is a usage error.
    if (error.exitCode === 0) return EXIT.ok;
    return EXIT.usage;
  }
  if (error instanceof ExitError) {
    if (error.diagnostics.length > 0) io.stderr(formatDiagnosticsText(error.diagnostics) + '\n');
    if (error.message) io.stderr(error.message + '\n');
    return error.exitCode;
  }
  if (error instanceof BackendError) {
    io.stderr(`error ${error.code}: ${error.message}\n`);
    if (error.hint) io.stderr(`  hint: ${error.hint}\n`);
    return EXIT.failed;
  }
  // A bug, not bad input: say so plainly, without a stack trace unless asked for.
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`internal error: ${message}\n`);
  if (io.env.ENCORD_RULES_DEBUG && error instanceof Error && error.stack) io.stderr(error.stack + '\n');
  return EXIT.failed;
}
