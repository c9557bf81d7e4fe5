/** The backend options shared by the commands that read a project: --backend, --store, --rate, --timeout. */
import { InvalidArgumentError, Option, type Command } from 'commander';

export interface BackendFlags {
  backend?: 'local' | 'encord';
  store?: string;
  rate?: number;
  /** From `--timeout <seconds>`. */
  timeout?: number;
}

function parsePositive(what: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`${what} must be a number above 0`);
    return value;
  };
}

/** Bad values are usage errors (exit 2), reported by commander. */
export function addBackendOptions(command: Command): Command {
  return command
    .addOption(new Option('--backend <kind>', 'default: encord for an Encord project hash when credentials are set, else local').choices(['local', 'encord']))
    .option('--store <file>', 'local store file (default .encord-rules/local.db)')
    .option('--rate <n>', 'Encord: at most n requests per second', parsePositive('--rate'))
    .option('--timeout <seconds>', 'Encord: per-request timeout (default 60)', parsePositive('--timeout'));
}

export function addFormatOption(command: Command): Command {
  return command.addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
}

/** The options openBackend / openProjectBackend take, from the flags; no `project` when none is given. */
export function toOpenOptions(flags: BackendFlags, project: string | undefined) {
  return {
    ...(project !== undefined ? { project } : {}),
    ...(flags.backend !== undefined ? { backend: flags.backend } : {}),
    ...(flags.store !== undefined ? { store: flags.store } : {}),
    ...(flags.rate !== undefined ? { rate: flags.rate } : {}),
    ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout * 1000 } : {}),
  };
}
