/** The library API over a real local store: callbacks, watch mode and rule reloading. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteBackend } from '../../src/backends/sqlite/index.js';
import { runRules } from '../../src/run-rules.js';
import { parseRuleFile } from '../../src/rules/parse.js';
import { runRuleFiles } from '../../src/runner/run.js';
import type { RuleFileSet, RunSummary } from '../../src/runner/types.js';
import { makeDemoStore, makeTempDir, readTaskStates } from './store-helpers.js';

function projectOf(backend: ReturnType<typeof openSqliteBackend>): string {
  return backend.store.listProjects()[0]!.projectHash;
}

function rulesFile(priority: number, when = 'true'): string {
  return ['version: 1', 'stages:', '  pre-label:', '    rules:', '      - name: only', `        when: '${when}'`, `        priority: ${priority}`, ''].join('\n');
}

describe('runRules', () => {
  it('reports batches and tasks through callbacks and returns a typed summary', async () => {
    const dir = makeTempDir();
    const store = await makeDemoStore(dir, 50);
    writeFileSync(join(dir, 'r.yaml'), rulesFile(0.75));
    const backend = openSqliteBackend(store);
    const batches: number[] = [];
    let tasks = 0;
    try {
      const summary = await runRules({ rules: ['r.yaml'], cwd: dir, batchSize: 20, projectHash: projectOf(backend) }, backend, {
        onBatch: (e) => batches.push(e.tasks),
        onTask: () => (tasks += 1),
      });
      expect(batches).toEqual([20, 20, 10]);
      expect(tasks).toBe(50);
      expect(summary).toMatchObject({ seen: 50, leftInPlace: 50, failed: 0, interrupted: false, passes: 1, rules: { only: 50 } });
    } finally {
      await backend.close();
    }
    expect(readTaskStates(store).every((t) => t.priority === 0.75 && t.stage === 'pre-label')).toBe(true);
  });

  it('watch: reloads changed rules, keeps the last good set when the new file is invalid', async () => {
    const dir = makeTempDir();
    const store = await makeDemoStore(dir, 30);
    const file = join(dir, 'w.yaml');
    writeFileSync(file, rulesFile(0.25));
    const backend = openSqliteBackend(store);
    const controller = new AbortController();
    const reloads: { ok: boolean; codes: string[] }[] = [];
    const passes: RunSummary[] = [];
    const priorities: number[] = [];
    try {
      await runRules({ rules: ['w.yaml'], cwd: dir, watch: true, intervalMs: 1, signal: controller.signal, projectHash: projectOf(backend) }, backend, {
        onReload: (e) => reloads.push({ ok: e.ok, codes: e.diagnostics.map((d) => d.code) }),
        onPassDone: (pass) => {
          passes.push(pass);
          priorities.push(readTaskStates(store)[0]!.priority!);
          // Pass 1 ran the first rules: now break the file. Pass 2 must still run them.
          if (passes.length === 1) writeFileSync(file, rulesFile(0.5, '$nosuchfunction('));
          // Pass 2 kept the last good set: now fix the file with a new priority.
          if (passes.length === 2) writeFileSync(file, rulesFile(0.5));
          if (passes.length === 3) controller.abort();
        },
      });
    } finally {
      await backend.close();
    }
    expect(priorities).toEqual([0.25, 0.25, 0.5]);
    expect(reloads).toHaveLength(2);
    expect(reloads[0]!.ok).toBe(false);
    expect(reloads[0]!.codes.some((c) => c.startsWith('jsonata/') || c.startsWith('rule/'))).toBe(true);
    expect(reloads[1]).toEqual({ ok: true, codes: [] });
  });

  it('returns invalid rules as diagnostics without touching the store', async () => {
    const dir = makeTempDir();
    const store = await makeDemoStore(dir, 5);
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nstages:\n  no-such-stage:\n    rules:\n      - name: r\n        priority: 1\n');
    const backend = openSqliteBackend(store);
    try {
      const summary = await runRules({ rules: ['bad.yaml'], cwd: dir, projectHash: projectOf(backend) }, backend);
      expect(summary.passes).toBe(0);
      expect(summary.diagnostics[0]).toMatchObject({ code: 'rule/unknown-stage', file: 'bad.yaml', line: 3 });
    } finally {
      await backend.close();
    }
  });

  it('runRuleFiles runs the rule files its loader gives, calling it again before each watch pass', async () => {
    const dir = makeTempDir();
    const store = await makeDemoStore(dir, 12);
    const backend = openSqliteBackend(store);
    const controller = new AbortController();
    // No file on disk: the runner reads nothing itself, it only calls the loader.
    const priorities = [0.25, 0.75];
    let loads = 0;
    const loadRules = async (): Promise<RuleFileSet> => {
      const parsed = parseRuleFile('in-memory.yaml', rulesFile(priorities[Math.min(loads, 1)]!));
      loads += 1;
      return { files: [parsed.file!], diagnostics: parsed.diagnostics };
    };
    const seen: number[] = [];
    try {
      const summary = await runRuleFiles(loadRules, { watch: true, intervalMs: 1, signal: controller.signal, projectHash: projectOf(backend) }, backend, {
        onPassDone: () => {
          seen.push(readTaskStates(store)[0]!.priority!);
          if (seen.length === 2) controller.abort();
        },
      });
      expect(summary).toMatchObject({ passes: 2, seen: 24, failed: 0, rules: { only: 24 } });
    } finally {
      await backend.close();
    }
    expect(loads).toBe(2);
    expect(seen).toEqual([0.25, 0.75]);
  });
});
