/** `encord-rules local …` and `demo`, in-process, against stores in a temp directory. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDemoProject } from '../src/demo/index.js';
import { runCliCaptured } from './cli-helpers.js';

let dir: string;
const run = (...argv: string[]) => runCliCaptured(argv, { cwd: dir });
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'encord-rules-local-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('encord-rules local', () => {
  it('creates a demo store and reports tasks per stage', async () => {
    const init = await run('local', 'init', '--demo', '--tasks', '25', '--seed', '4');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('25 tasks');
    expect(existsSync(join(dir, '.encord-rules', 'local.db'))).toBe(true);
    const status = await run('local', 'status', '--format', 'json');
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { stages: { title: string; tasks: number }[] };
    expect(parsed.stages.map((s) => [s.title, s.tasks])).toEqual([['pre-label', 25], ['Annotate', 0], ['Review', 0], ['Complete', 0]]);
    expect((await run('local', 'init', '--demo', '--tasks', '25', '--seed', '4')).code).toBe(1);
  });

  it('needs --demo to init', async () => {
    const result = await run('local', 'init');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--demo');
  });

  it('lists tasks as stable JSON, per stage', async () => {
    await run('local', 'init', '--demo', '--tasks', '12', '--seed', '4', '--store', 'x.db');
    const result = await run('local', 'tasks', '--store', 'x.db', '--format', 'json');
    expect(result.code).toBe(0);
    const tasks = JSON.parse(result.stdout) as Record<string, unknown>[];
    const demo = generateDemoProject({ tasks: 12, seed: 4 });
    expect(tasks).toEqual(
      demo.tasks.map((t) => ({ uuid: t.task.uuid, data_hash: t.task.dataHash, data_title: t.task.dataTitle, stage: 'pre-label', priority: t.metadata.priority })),
    );
    const none = await run('local', 'tasks', '--store', 'x.db', '--stage', 'Annotate', '--format', 'json');
    expect(JSON.parse(none.stdout)).toEqual([]);
    const table = await run('local', 'tasks', '--store', 'x.db', '--stage', 'pre-label');
    expect(table.stdout.trim().split('\n')).toHaveLength(13);
  });

  it('refuses an unknown project or stage and leaves the store untouched', async () => {
    await run('local', 'init', '--demo', '--tasks', '5', '--store', 'x.db');
    const before = digest(join(dir, 'x.db'));
    const stage = await run('local', 'tasks', '--store', 'x.db', '--stage', 'Nowhere');
    expect(stage.code).toBe(1);
    expect(stage.stderr).toContain('rule/unknown-stage');
    expect(stage.stderr).toContain('"pre-label"');
    for (const command of ['status', 'reset', 'export', 'tasks']) {
      const result = await run('local', command, '--store', 'x.db', '--project', 'no-such-project');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no project "no-such-project"');
    }
    expect(digest(join(dir, 'x.db'))).toBe(before);
  });

  it('asks which project when the store holds several', async () => {
    await run('local', 'init', '--demo', '--tasks', '3', '--seed', '1');
    await run('local', 'init', '--demo', '--tasks', '3', '--seed', '2');
    const result = await run('local', 'status');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('2 projects');
    expect((await run('local', 'status', '--project', 'encord-rules demo (seed 2)')).code).toBe(0);
  });

  it('refuses a file that is not a store, without touching it', async () => {
    writeFileSync(join(dir, 'notes.db'), 'hello\n');
    const result = await run('local', 'status', '--store', 'notes.db');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('store/not-a-store');
    expect(readFileSync(join(dir, 'notes.db'), 'utf8')).toBe('hello\n');
    const missing = await run('local', 'status', '--store', 'missing.db');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('store/not-found');
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });

  it('imports label rows with a workflow, and rejects input that is not label rows', async () => {
    const demo = generateDemoProject({ tasks: 8, seed: 9 });
    writeFileSync(join(dir, 'rows.json'), JSON.stringify(demo.tasks.map((t) => t.labelRow)));
    writeFileSync(join(dir, 'workflow.yaml'), 'stages:\n  - title: triage\n    type: AGENT\n    pathways:\n      - name: label\n        to: Label\n  - title: Label\n    type: ANNOTATION\n');
    writeFileSync(join(dir, 'ontology.json'), JSON.stringify(demo.project.ontology));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ hello: 'world' }));
    writeFileSync(join(dir, 'broken.json'), '[{"data_hash": "a",\n  oops]');

    const bad = await run('local', 'import', 'bad.json', '--workflow', 'workflow.yaml');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^bad\.json:1:1: error store\/bad-input/m);
    const broken = await run('local', 'import', 'broken.json', '--workflow', 'workflow.yaml');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^broken\.json:2:\d+: error store\/bad-input/m);
    const noWorkflow = await run('local', 'import', 'rows.json');
    expect(noWorkflow.code).toBe(1);
    expect(existsSync(join(dir, '.encord-rules'))).toBe(false);

    const good = await run('local', 'import', 'rows.json', '--workflow', 'workflow.yaml', '--ontology', 'ontology.json', '--title', 'Imported');
    expect(good.code).toBe(0);
    const status = JSON.parse((await run('local', 'status', '--format', 'json')).stdout) as { title: string; stages: { title: string; tasks: number }[] };
    expect(status.title).toBe('Imported');
    expect(status.stages.map((s) => [s.title, s.tasks])).toEqual([['triage', 8], ['Label', 0]]);
  });

  it('exports to a file that imports back, and resets', async () => {
    await run('local', 'init', '--demo', '--tasks', '10', '--store', 'a.db');
    const exported = await run('local', 'export', '--store', 'a.db', '--out', 'export.json');
    expect(exported.code).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'export.json'), 'utf8')) as { tasks: unknown[] };
    expect(file.tasks).toHaveLength(10);
    expect((await run('local', 'import', 'export.json', '--store', 'b.db')).code).toBe(0);
    const a = await run('local', 'tasks', '--store', 'a.db', '--format', 'json');
    const b = await run('local', 'tasks', '--store', 'b.db', '--format', 'json');
    expect(b.stdout).toBe(a.stdout);
    const reset = await run('local', 'reset', '--store', 'a.db');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('reset 10 tasks');
  });
});

describe('encord-rules demo', () => {
  it('creates the demo project once, then shows its status', async () => {
    const first = await run('demo');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created demo project');
    expect(first.stdout).toMatch(/total\s+300/);
    const second = await run('demo');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already in');
    expect(second.stdout).toContain('`encord-rules local reset` puts its tasks back in "pre-label"');
    expect(second.stdout).not.toContain('created demo project');
    expect(second.stdout).toMatch(/total\s+300/);
  });
});
