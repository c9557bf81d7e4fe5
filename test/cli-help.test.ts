/**
 * Every command's --help ends with examples (README promises it), and every example runs as
 * written — from a copy of the repository's rules/ beside the demo store — so none can rot.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { runCliCaptured } from './cli-helpers.js';

/** Every registered command and subcommand as the words that invoke it, e.g. `local init`. */
function listCommandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return [path, ...listCommandPaths(sub, path)];
  });
}

const silentIO = { stdout: () => {}, stderr: () => {}, env: {}, cwd: process.cwd(), isTTY: false, stopSignal: new AbortController().signal };
const commandPaths = listCommandPaths(buildProgram(silentIO, () => {})).map((path) => path.join(' '));

/** The `  $ encord-rules …` lines of the "Example(s):" section of a --help text. */
function readExamples(help: string): string[] {
  const section = /^Examples?:\n((?: {2}\$ .*(?:\n|$))+)/m.exec(help)?.[1] ?? '';
  return [...section.matchAll(/^ {2}\$ (.*)$/gm)].map((match) => match[1] ?? '');
}

async function readHelpExamples(commandPath: string): Promise<string[]> {
  const help = await runCliCaptured([...commandPath.split(' '), '--help']);
  expect(help.code).toBe(0);
  return readExamples(help.stdout);
}

/** An example as argv, plus the file its stdout is redirected to; only `"…"` quoting and `>` are shell syntax here. */
function parseExample(line: string): { argv: string[]; stdoutFile?: string } {
  const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
  expect(words[0], `"${line}" should start with encord-rules`).toBe('encord-rules');
  expect(line, 'examples are single commands: no pipes, &&, ; or substitutions').not.toMatch(/[|;&`]|\$\(/);
  const redirect = words.indexOf('>');
  if (redirect === -1) return { argv: words.slice(1) };
  expect(words.length, `"${line}": one file after >`).toBe(redirect + 2);
  return { argv: words.slice(1, redirect), stdoutFile: words[redirect + 1] ?? '' };
}

describe('--help examples', () => {
  it('walks the whole command tree', () => {
    const documented = ['apply', 'demo', 'test', 'explain', 'agent-nodes', 'init', 'validate', 'schema', 'local'];
    const local = ['init', 'import', 'export', 'reset', 'status', 'tasks'].map((sub) => `local ${sub}`);
    expect(commandPaths).toEqual(expect.arrayContaining([...documented, ...local]));
  });

  it.each(commandPaths)('`%s --help` ends with an example of that command', async (commandPath) => {
    const examples = await readHelpExamples(commandPath);
    expect(examples.length).toBeGreaterThanOrEqual(1);
    expect(examples.length).toBeLessThanOrEqual(3);
    expect(examples.some((line) => line === `encord-rules ${commandPath}` || line.startsWith(`encord-rules ${commandPath} `))).toBe(true);
  });
});

describe('--help examples run as written', () => {
  // Examples that create the default store start without one; the rest start with the demo store.
  const createsStore = new Set(['local', 'local init']);
  const noEncord = { ENCORD_SSH_KEY: undefined, ENCORD_SSH_KEY_FILE: undefined };
  let root: string;
  let withDemoStore: string;
  let withoutStore: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'encord-rules-help-'));
    withoutStore = join(root, 'template-empty');
    withDemoStore = join(root, 'template-demo');
    cpSync('rules', join(withoutStore, 'rules'), { recursive: true });
    cpSync(withoutStore, withDemoStore, { recursive: true });
    const init = await runCliCaptured(['local', 'init', '--demo'], { cwd: withDemoStore, env: noEncord });
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it.each(commandPaths)('the examples of `%s` exit 0, in order, in one working directory', async (commandPath) => {
    const cwd = join(root, commandPath.replace(/ /g, '-'));
    cpSync(createsStore.has(commandPath) ? withoutStore : withDemoStore, cwd, { recursive: true });
    for (const line of await readHelpExamples(commandPath)) {
      const { argv, stdoutFile } = parseExample(line);
      const result = await runCliCaptured(argv, { cwd, env: noEncord });
      expect(result.code, `${line}\n${result.stderr}`).toBe(0);
      if (stdoutFile !== undefined) {
        expect(result.stdout.length, `${line}: prints what it redirects`).toBeGreaterThan(0);
        writeFileSync(join(cwd, stdoutFile), result.stdout);
      }
    }
  });
});
