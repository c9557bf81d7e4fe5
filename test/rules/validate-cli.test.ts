import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { runCliCaptured } from '../cli-helpers.js';

let dir: string;
const WARNING_ONLY = 'version: 1\nstages:\n  pre-label:\n    rules:\n      - { name: all, route: annotate }\n      - { name: never, route: annotate }\n';
const UNKNOWN_PATHWAY = 'version: 1\nstages:\n  pre-label:\n    default:\n      route: anotate\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'validate-cli-'));
  writeFileSync(join(dir, 'warn.yaml'), WARNING_ONLY);
  writeFileSync(join(dir, 'pathway.yaml'), UNKNOWN_PATHWAY);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('encord-rules validate', () => {
  it('exits 0 for the examples', async () => {
    const result = await runCliCaptured(['validate', 'rules/']);
    expect(result.stdout).toBe('3 rule files: no problems\n');
    expect(result.code).toBe(0);
  });

  it('exits 1 and prints file:line:col for errors in every layer', async () => {
    const result = await runCliCaptured(['validate', 'test/rules/three-layers.bad.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('test/rules/three-layers.bad.yaml:12:9: error yaml/duplicate-key:');
    expect(result.stdout).toContain('test/rules/three-layers.bad.yaml:15:16: error schema/type:');
    expect(result.stdout).toContain('test/rules/three-layers.bad.yaml:17:43: error jsonata/S0203:');
    expect(result.stdout).toMatch(/1 rule file: 3 errors, 0 warnings\n$/);
  });

  it('exits 0 with warnings, and 3 under --strict', async () => {
    const plain = await runCliCaptured(['validate', join(dir, 'warn.yaml')]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('warning rule/unreachable');
    const strict = await runCliCaptured(['validate', '--strict', join(dir, 'warn.yaml')]);
    expect(strict.code).toBe(3);
  });

  it('prints JSON with --format json', async () => {
    const result = await runCliCaptured(['validate', '--format', 'json', 'test/rules/priority-range.bad.yaml']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { errors: number; diagnostics: { code: string; line: number; col: number }[] };
    expect(report.errors).toBe(1);
    expect(report.diagnostics[0]).toMatchObject({ code: 'rule/priority-range', line: 7, col: 19 });
  });

  it('exits 1 for a missing file', async () => {
    const result = await runCliCaptured(['validate', join(dir, 'nope.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('rule/file-not-found');
  });

  it.each([[['validate']], [['validate', '--format', 'xml', 'rules/']], [['validate', '--bogus', 'rules/']]])('exits 2 for bad usage: %j', async (argv) => {
    const result = await runCliCaptured(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('has help with an example', async () => {
    const result = await runCliCaptured(['validate', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('$ encord-rules validate rules/');
    expect(result.stdout).toContain('--strict');
  });

  it('checks against a project in the local store with --project', async () => {
    const store = join(dir, 'local.db');
    const init = await runCliCaptured(['local', 'init', '--demo', '--tasks', '5', '--store', store]);
    expect(init.code).toBe(0);
    const clean = await runCliCaptured(['validate', 'rules/', '--store', store, '--project', 'encord-rules demo']);
    expect(clean.stdout + clean.stderr).toContain('no problems');
    expect(clean.code).toBe(0);
    const bad = await runCliCaptured(['validate', join(dir, 'pathway.yaml'), '--store', store, '--project', 'encord-rules demo']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('pathway.yaml:5:14: error rule/unknown-pathway: stage "pre-label" has no pathway "anotate"');
    expect(bad.stdout).toContain('Did you mean "annotate"?');
  });

  it('checks $answer and $objects names against the ontology with --project', async () => {
    const store = join(dir, 'ontology.db');
    expect((await runCliCaptured(['local', 'init', '--demo', '--tasks', '5', '--store', store])).code).toBe(0);
    const file = join(dir, 'ontology-names.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'stages:',
        '  pre-label:',
        '    rules:',
        '      - name: sunny',
        "        when: '$answer(\"Wether\") = \"Sunny\" and $count($objects(\"Car\")) > 0'",
        '        route: annotate',
        '',
      ].join('\n'),
    );
    const result = await runCliCaptured(['validate', file, '--store', store, '--project', 'encord-rules demo']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ontology-names.yaml:6:24: error rule/unknown-classification: no classification "Wether"');
    expect(result.stdout).toContain('did you mean "Weather"?');
    expect(result.stdout).not.toContain('unknown-object');
  });

  it('still prints file problems when the project cannot be opened', async () => {
    const result = await runCliCaptured(['validate', 'test/rules/priority-range.bad.yaml', '--store', join(dir, 'no-store.db'), '--project', 'x']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('priority-range.bad.yaml:7:19: error rule/priority-range');
    expect(result.stdout).toMatch(/<command line>:1:1: error \S+: cannot open project "x"/);
  });

  it('validates again when a file changes under --watch, until stopped', async () => {
    const file = join(dir, 'watched.yaml');
    writeFileSync(file, WARNING_ONLY);
    const stop = new AbortController();
    let stdout = '';
    let stderr = '';
    const running = runCli(['validate', '--watch', file], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      env: { ...process.env, NO_COLOR: '1' },
      cwd: process.cwd(),
      isTTY: false,
      stopSignal: stop.signal,
    });
    await waitFor(() => stderr.includes('watching for changes'));
    expect(stdout).toContain('warning rule/unreachable');
    writeFileSync(file, 'version: 1\nstages:\n  pre-label:\n    match: sometimes\n    default: { route: annotate }\n');
    await waitFor(() => stdout.includes('error schema/enum'));
    expect(stderr).toContain('changed: validating again');
    stop.abort();
    expect(await running).toBe(1);
  });
});

/** Polls until `done()` holds; fails the test after 20 s. */
async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('encord-rules schema', () => {
  it('prints the JSON Schema', async () => {
    const result = await runCliCaptured(['schema']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync('schemas/rules.schema.json', 'utf8')));
  });
});

describe('the built binary', () => {
  it('validates the examples (exit 0) and a bad file (exit 1)', () => {
    const out = execFileSync(process.execPath, ['dist/cli/main.js', 'validate', 'rules/'], { encoding: 'utf8' });
    expect(out).toContain('no problems');
    const bad = spawnSync(process.execPath, ['dist/cli/main.js', 'validate', 'test/rules/duplicate-key.bad.yaml'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('duplicate-key.bad.yaml:8:9: error yaml/duplicate-key');
  });
});
