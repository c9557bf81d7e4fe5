/** `apply` end to end over a demo store: final state task by task, dry run, audit log, failures. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../cli-helpers.js';
import { LONDON_RULES, makeDemoStore, makeTempDir, readTaskStates, REPO } from './store-helpers.js';

const rules = resolve(REPO, LONDON_RULES);

function expectLondonApplied(store: string): void {
  const states = readTaskStates(store);
  expect(states.length).toBeGreaterThan(0);
  for (const task of states) {
    expect({ title: task.title, stage: task.stage, priority: task.priority }).toEqual({
      title: task.title,
      stage: 'Annotate',
      priority: task.title.toLowerCase().includes('london') ? 1 : 0,
    });
  }
}

describe('apply', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });

  it('applies the london rule: london tasks priority 1, others 0, all moved to Annotate', async () => {
    const store = await makeDemoStore(dir, 700, 'london');
    const result = await runCliCaptured(['apply', rules, '--store', store, '--batch-size', '64'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Done in [\d.]+s: 700 tasks seen, 700 changed, moved 700 \(annotate 700\), 0 left in place, 0 failed$/m);
    expectLondonApplied(store);
    const states = readTaskStates(store);
    const londonCount = states.filter((t) => t.priority === 1).length;
    expect(londonCount).toBeGreaterThan(0);
    // The per-rule line agrees with what landed in the store.
    expect(result.stdout).toContain(`tasks per rule: default ${700 - londonCount}, london-first ${londonCount}`);

    const audit = readFileSync(join(dir, '.encord-rules/audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit.filter((a) => a.change === 'route')).toHaveLength(700);
    const priorityLines = audit.filter((a) => a.change === 'set-priority');
    expect(priorityLines.length).toBeGreaterThan(600);
    expect(priorityLines[0]).toMatchObject({
      file: rules,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      stage: { title: 'pre-label' },
      rule: expect.stringMatching(/^(london-first|default)$/),
      taskUuid: expect.any(String),
      dataHash: expect.any(String),
      before: expect.any(Number),
      after: expect.any(Number),
      runId: expect.any(String),
      time: expect.any(String),
    });

    // Idempotent: nothing left to do.
    const again = await runCliCaptured(['apply', rules, '--store', store], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 tasks seen/);
  });

  it('writes nothing in a dry run and prints the plan with counts per rule and pathway', async () => {
    const store = await makeDemoStore(dir, 120, 'dry');
    const before = readTaskStates(store);
    const result = await runCliCaptured(['apply', rules, '--store', store, '--dry-run', '--audit-log', 'dry-audit.jsonl'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readTaskStates(store)).toEqual(before);
    expect(() => readFileSync(join(dir, 'dry-audit.jsonl'))).toThrow();
    expect(() => readFileSync(join(dir, 'dry-state.db'))).toThrow();
    expect(result.stdout).toMatch(/^pre-label {2}.+ \(.+\) {2}\[(london-first|default)\] {2}priority [\d.]+ -> [01], route -> annotate$/m);
    expect(result.stdout).toMatch(/^Tasks per rule:\n {2}default +\d+\n {2}london-first +\d+$/m);
    expect(result.stdout).toMatch(/^Tasks per pathway:\n {2}annotate {2}120$/m);
    expect(result.stdout).toMatch(/Dry run \(nothing written\).*120 tasks seen.*would move 120/);

    const json = await runCliCaptured(['apply', rules, '--store', store, '--dry-run', '--format', 'json'], { cwd: dir });
    const parsed = JSON.parse(json.stdout) as { dryRun: boolean; tasks: Record<string, unknown>[]; summary: Record<string, unknown> };
    expect(parsed.dryRun).toBe(true);
    expect(parsed.tasks).toHaveLength(120);
    expect(parsed.tasks[0]).toMatchObject({
      stage: 'pre-label',
      taskUuid: expect.any(String),
      matchedRules: expect.any(Array),
      changes: expect.arrayContaining([{ kind: 'route', pathway: 'annotate', pathwayUuid: expect.any(String), rule: expect.any(String) }]),
    });
    expect(parsed.summary).toMatchObject({ dryRun: true, seen: 120, moved: { annotate: 120 } });
    expect(readTaskStates(store)).toEqual(before);
  });

  it('fails only the tasks whose rule throws, located, then routes them by on_error after N runs', async () => {
    const store = await makeDemoStore(dir, 200, 'failing');
    const file = join(dir, 'failing.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'stages:',
        '  pre-label:',
        '    rules:',
        '      - name: oslo-breaks',
        `        when: '$contains($lowercase(data_title), "oslo") ? $error("oslo is broken") : false'`,
        '        priority: 1',
        '    default:',
        '      priority: 0',
        '      route: annotate',
        '    on_error:',
        '      route: annotate',
        '      after_attempts: 2',
        '',
      ].join('\n'),
    );
    const oslo = readTaskStates(store).filter((t) => t.title.toLowerCase().includes('oslo'));
    expect(oslo.length).toBeGreaterThan(0);

    const first = await runCliCaptured(['apply', 'failing.yaml', '--store', store], { cwd: dir });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/^failing\.yaml:6:\d+: error [\w/]+: rule "oslo-breaks" failed for task ".*oslo.*" \(.+\): .*oslo is broken/im);
    expect(first.stdout).toMatch(new RegExp(`moved ${200 - oslo.length} \\(annotate ${200 - oslo.length}\\).*${oslo.length} failed`));
    const afterFirst = readTaskStates(store);
    for (const t of afterFirst) expect(t.stage).toBe(t.title.toLowerCase().includes('oslo') ? 'pre-label' : 'Annotate');

    // Second failure reaches after_attempts: routed along on_error, still reported as failed.
    const second = await runCliCaptured(['apply', 'failing.yaml', '--store', store, '--format', 'json'], { cwd: dir });
    expect(second.code).toBe(1);
    const summary = JSON.parse(second.stdout) as { failed: number; rules: Record<string, number>; failures: { attempts: number }[] };
    expect(summary).toMatchObject({ failed: oslo.length, rules: { on_error: oslo.length } });
    expect(summary.failures[0]!.attempts).toBe(2);
    expect(readTaskStates(store).every((t) => t.stage === 'Annotate')).toBe(true);
  });

  it('reports invalid rules as located diagnostics and touches nothing', async () => {
    const store = await makeDemoStore(dir, 20, 'invalid');
    writeFileSync(join(dir, 'bad-route.yaml'), 'version: 1\nstages:\n  pre-label:\n    rules:\n      - name: r\n        route: Annotate\n');
    const before = readTaskStates(store);
    const result = await runCliCaptured(['apply', 'bad-route.yaml', '--store', store], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^bad-route\.yaml:6:\d+: error rule\/unknown-pathway/m);
    expect(readTaskStates(store)).toEqual(before);
  });

  it('reports every problem of an invalid file at once, its JSONata included, as validate does', async () => {
    const store = await makeDemoStore(dir, 20, 'invalid-layers');
    writeFileSync(join(dir, 'layers.yaml'), `version: 1\nstages:\n  pre-label:\n    rules:\n      - name: r\n        when: '$contains(data_title, "x"'\n        priority: 2\n`);
    const before = readTaskStates(store);
    const result = await runCliCaptured(['apply', 'layers.yaml', '--store', store], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^layers\.yaml:6:\d+: error jsonata\/S0203/m);
    expect(result.stderr).toMatch(/^layers\.yaml:7:19: error rule\/priority-range/m);
    expect(readTaskStates(store)).toEqual(before);
  });

  it('--watch polls until stopped, then prints the summary and exits 0', async () => {
    const store = await makeDemoStore(dir, 40, 'watch');
    const controller = new AbortController();
    const stop = setTimeout(() => controller.abort(), 1500);
    const result = await runCliCaptured(['apply', rules, '--store', store, '--watch', '--interval', '0'], { cwd: dir, signal: controller.signal });
    clearTimeout(stop);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Stopped in [\d.]+s over \d+ passes: 40 tasks seen, 40 changed, moved 40/m);
    expectLondonApplied(store);
  });

  it('exits 2 on bad usage', async () => {
    const result = await runCliCaptured(['apply', rules, '--batch-size', '0'], { cwd: dir });
    expect(result.code).toBe(2);
  });

  it('writes structured logs with --log-format json', async () => {
    const store = await makeDemoStore(dir, 30, 'logs');
    const result = await runCliCaptured(['apply', rules, '--store', store, '--log-format', 'json', '--batch-size', '10'], { cwd: dir });
    expect(result.code).toBe(0);
    const events = result.stderr.trim().split('\n').map((l) => JSON.parse(l) as { event: string; level: string });
    expect(events.filter((e) => e.event === 'batch')).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ event: 'summary', level: 'info', seen: 30 });
  });
});
