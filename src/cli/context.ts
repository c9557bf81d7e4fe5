/**
 * What every command gets: its output streams and environment. Only the CLI prints or
 * exits; commands write through these so tests can run them in-process.
 */
import type { Diagnostic } from '../diagnostics/index.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Progress bars and colour only on a TTY (and never with NO_COLOR for colour). */
  isTTY: boolean;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); commands that loop watch it. */
  stopSignal: AbortSignal;
}

/** How a command sets the process's exit code without exiting (only main.ts exits). */
export type SetExitCode = (code: number) => void;

/** Exit codes are stable: documented in README. */
export const EXIT = {
  ok: 0,
  /** Errors found, fixtures failed, or tasks failed. */
  failed: 1,
  /** Bad command-line usage. */
  usage: 2,
  /** Warnings only, under --strict. */
  warnings: 3,
} as const;

/** Thrown by a command to end with an exit code after printing diagnostics (changesets' ExitError). */
export class ExitError extends Error {
  constructor(
    readonly exitCode: number,
    readonly diagnostics: Diagnostic[] = [],
    message = '',
  ) {
    super(message);
    this.name = 'ExitError';
  }
}
