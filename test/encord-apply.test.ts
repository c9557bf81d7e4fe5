/** `encord-rules apply` end to end against the fake Encord: the london rule, faults included. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { agentStages } from '../src/model/index.js';
import { runCliCaptured } from './cli-helpers.js';
import { startEncordFixture, type EncordFixture } from './fake-encord/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'encord-apply-'));
const rules = join(dir, 'london.yaml');
writeFileSync(
  rules,
  [
    'version: 1',
    'stages:',
    '  pre-label:',
    '    rules:',
    '      - name: london-first',
    `        when: '$contains($lowercase(data_title), "london")'`,
    '        priority: 1',
    '        route: annotate',
    '    default:',
    '      priority: 0',
    '      route: annotate',
    '',
  ].join('\n'),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fx: EncordFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

function apply(f: EncordFixture, extra: string[] = []) {
  const env = { ENCORD_SSH_KEY: f.key.text, ENCORD_SSH_KEY_FILE: '', ENCORD_BEARER_TOKEN: '', ENCORD_DOMAIN: f.fake.url };
  return runCliCaptured(['apply', rules, '--project', f.project.projectHash, '--timeout', '1', ...extra], { env, cwd: dir });
}

function expectLondonApplied(f: EncordFixture): void {
  const state = f.fake.state(f.project.projectHash);
  const stage = agentStages(f.project)[0]!;
  expect(state.tasksInStage(stage.uuid)).toEqual([]);
  for (const seed of f.tasks) {
    const london = seed.task.dataTitle.toLowerCase().includes('london');
    expect(state.metadataFor(seed.task.dataHash)?.priority).toBe(london ? 1 : 0);
    expect(state.moves.get(seed.task.uuid)).toBe(1);
  }
}

describe('apply on Encord', () => {
  it('sets priorities and routes every task with a few bulk calls', async () => {
    fx = await startEncordFixture({ tasks: 250 });
    const r = await apply(fx);
    expect(r.code).toBe(0);
    expectLondonApplied(fx);
    const counts = fx.fake.counts();
    expect(counts['v1 labelrow GET']).toBeUndefined();
    expect(counts['v1 labelrow POST']).toBeUndefined();
    expect((counts['POST priorities'] ?? 0) + (counts['POST actions'] ?? 0)).toBeLessThanOrEqual(4);
  });

  it('applies a starter file from `init --route`, which validates cleanly', async () => {
    fx = await startEncordFixture({ tasks: 30 });
    const env = { ENCORD_SSH_KEY: fx.key.text, ENCORD_SSH_KEY_FILE: '', ENCORD_BEARER_TOKEN: '', ENCORD_DOMAIN: fx.fake.url };
    const out = join(dir, `starter-${fx.project.projectHash}.yaml`);
    expect((await runCliCaptured(['init', '--project', fx.project.projectHash, '--route', 'annotate', '--out', out], { env, cwd: dir })).code).toBe(0);
    const validated = await runCliCaptured(['validate', out, '--project', fx.project.projectHash], { env, cwd: dir });
    expect(validated.stderr + validated.stdout).not.toMatch(/error/);
    expect(validated.code).toBe(0);
    const applied = await runCliCaptured(['apply', out], { env, cwd: dir });
    expect(applied.code).toBe(0);
    const state = fx.fake.state(fx.project.projectHash);
    expect(state.tasksInStage(agentStages(fx.project)[0]!.uuid)).toEqual([]);
    expect(fx.fake.counts()['POST priorities']).toBeUndefined();
  });

  it('writes nothing with --dry-run', async () => {
    fx = await startEncordFixture({ tasks: 20 });
    const r = await apply(fx, ['--dry-run']);
    expect(r.code).toBe(0);
    expect(Object.keys(fx.fake.counts()).filter((k) => k.startsWith('POST') || k.endsWith('POST') || k.endsWith('PUT'))).toEqual([]);
  });

  it('survives a dropped proceed connection without moving any task twice', async () => {
    fx = await startEncordFixture({ tasks: 120 });
    fx.fake.inject('POST actions', { kind: 'drop-after' });
    fx.fake.inject('POST priorities', { kind: 'status', status: 503 });
    const r = await apply(fx);
    expect(r.code).toBe(0);
    expectLondonApplied(fx);
  });

  it('routes the others when a task leaves the stage mid-run', async () => {
    fx = await startEncordFixture({ tasks: 60 });
    const state = fx.fake.state(fx.project.projectHash);
    const leaver = fx.tasks[30]!.task.uuid;
    fx.fake.inject('POST actions', { kind: 'run', run: () => state.moveTaskElsewhere(leaver) });
    const r = await apply(fx);
    expect(r.code).toBe(0);
    expect(state.tasksInStage(agentStages(fx.project)[0]!.uuid)).toEqual([]);
    expect(state.moves.get(leaver)).toBeUndefined();
    expect([...state.moves.values()].filter((n) => n === 1)).toHaveLength(59);
  });
});
