/**
 * Watch mode re-reads the project before every pass: rules are re-checked against the workflow
 * and ontology as they are now. On the local store (whose projects never change in place, so a
 * wrapper serves the changed project) and end to end on the fake Encord, where the workflow is
 * changed between passes as a person would change it in Encord.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { openSqliteBackend } from '../../src/backends/sqlite/index.js';
import type { Project } from '../../src/model/index.js';
import { parseRuleFile } from '../../src/rules/parse.js';
import { runRules } from '../../src/run-rules.js';
import { runRuleFiles } from '../../src/runner/run.js';
import type { ProjectChangeEvent, RunSummary, TaskEvent } from '../../src/runner/types.js';
import { runCli } from '../../src/cli/program.js';
import { startEncordFixture } from '../fake-encord/harness.js';
import { FakeBackend } from './fake-backend.js';
import { makeTask, project as fixtureProject } from './fixtures.js';
import { makeDemoStore, makeTempDir, readTaskStates } from './store-helpers.js';

function routeRules(pathway: string): string {
  return ['version: 1', 'stages:', '  pre-label:', '    rules:', '      - name: all', '        priority: 0.9', `        route: ${pathway}`, ''].join('\n');
}

/** The backend as is, but getProject serves `override` when set, and can be made to fail. */
function withProjectOverride(backend: Backend): Backend & { override?: Project; failNext?: boolean; getProjectCalls: number } {
  const wrapped = {
    kind: backend.kind,
    override: undefined as Project | undefined,
    failNext: false,
    getProjectCalls: 0,
    async getProject(hash: string): Promise<Project> {
      wrapped.getProjectCalls += 1;
      if (wrapped.failNext) {
        wrapped.failNext = false;
        throw Object.assign(new Error('connection reset'), { code: 'backend/unreachable' });
      }
      return wrapped.override ?? backend.getProject(hash);
    },
    listStageTasks: backend.listStageTasks.bind(backend),
    fetchTaskRecords: backend.fetchTaskRecords.bind(backend),
    commitBatch: backend.commitBatch.bind(backend),
    close: backend.close.bind(backend),
  };
  return wrapped;
}

function renamePathway(project: Project, from: string, to: string): Project {
  const changed = structuredClone(project);
  for (const stage of changed.workflow.stages) for (const p of stage.pathways) if (p.name === from) p.name = to;
  return changed;
}

/** A 30-task demo store with `w.yaml` routing along annotate, its backend wrapped to serve a changed project. */
async function setUpWatch() {
  const dir = makeTempDir();
  const store = await makeDemoStore(dir, 30);
  const file = join(dir, 'w.yaml');
  writeFileSync(file, routeRules('annotate'));
  const sqlite = openSqliteBackend(store);
  const backend = withProjectOverride(sqlite);
  const original = await sqlite.getProject(sqlite.store.listProjects()[0]!.projectHash);
  return { dir, store, file, sqlite, backend, original };
}

describe('apply --watch re-reads the project before each pass', () => {
  it('skips a stage whose pathway is gone, with a located diagnostic, until the rules fit again', async () => {
    const { dir, store, file, backend, original } = await setUpWatch();
    const controller = new AbortController();
    const changes: ProjectChangeEvent[] = [];
    const reloads: boolean[] = [];
    const seen: number[] = [];
    try {
      await runRules({ rules: ['w.yaml'], cwd: dir, watch: true, intervalMs: 1, maxTasks: 10, signal: controller.signal, projectHash: original.projectHash }, backend, {
        onProjectChange: (e) => changes.push(e),
        onReload: (e) => reloads.push(e.ok),
        onPassDone: (pass: RunSummary) => {
          seen.push(pass.seen);
          // The pathway is renamed (same uuid, so the store still moves along it).
          if (seen.length === 1) backend.override = renamePathway(original, 'annotate', 'to-annotate');
          // Nothing changed: the stage stays skipped, and is not reported again.
          // Then the rule file follows the rename: it validates against the project as it is now.
          if (seen.length === 3) writeFileSync(file, routeRules('to-annotate'));
          if (seen.length === 4) controller.abort();
        },
      });
    } finally {
      await backend.close();
    }
    expect(seen).toEqual([10, 0, 0, 10]);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ projectHash: original.projectHash, skipped: ['pre-label'], running: [] });
    expect(changes[0]!.diagnostics.map((d) => [d.code, d.file, d.line, d.col])).toEqual([['rule/unknown-pathway', 'w.yaml', 7, 16]]);
    expect(changes[0]!.diagnostics[0]!.message).toContain('has no pathway "annotate"');
    expect(changes[0]!.diagnostics[0]!.hint).toContain('to-annotate');
    expect(reloads).toEqual([true]);
    // One getProject at the start and one per later pass.
    expect(backend.getProjectCalls).toBe(4);
    const states = readTaskStates(store);
    expect(states.filter((t) => t.stage === 'Annotate')).toHaveLength(20);
    expect(states.filter((t) => t.stage === 'pre-label')).toHaveLength(10);
  });

  it('resumes a skipped stage when the project fits the rules again', async () => {
    const { dir, backend, original } = await setUpWatch();
    const controller = new AbortController();
    const changes: ProjectChangeEvent[] = [];
    const seen: number[] = [];
    try {
      await runRules({ rules: ['w.yaml'], cwd: dir, watch: true, intervalMs: 1, maxTasks: 10, signal: controller.signal, projectHash: original.projectHash }, backend, {
        onProjectChange: (e) => changes.push(e),
        onPassDone: (pass) => {
          seen.push(pass.seen);
          if (seen.length === 1) backend.override = renamePathway(original, 'annotate', 'elsewhere');
          if (seen.length === 2) backend.override = undefined;
          if (seen.length === 3) controller.abort();
        },
      });
    } finally {
      await backend.close();
    }
    expect(seen).toEqual([10, 0, 10]);
    expect(changes.map((c) => [c.skipped, c.running, c.diagnostics.length])).toEqual([
      [['pre-label'], [], 1],
      [[], ['pre-label'], 0],
    ]);
  });

  it('keeps running the last good rules against a changed project they still fit, routing along the pathway as it is now', async () => {
    const { dir, backend, original } = await setUpWatch();
    // The same pathway name with a new uuid, and an unrelated stage renamed.
    const changed = structuredClone(original);
    changed.workflow.stages[0]!.pathways[0]!.uuid = '11111111-2222-4333-8444-555555555555';
    changed.workflow.stages.find((s) => s.title === 'Review')!.title = 'QA';
    const controller = new AbortController();
    const changes: ProjectChangeEvent[] = [];
    const routes: string[][] = [];
    try {
      await runRules({ rules: ['w.yaml'], cwd: dir, watch: true, dryRun: true, intervalMs: 1, maxTasks: 5, signal: controller.signal, projectHash: original.projectHash }, backend, {
        onProjectChange: (e) => changes.push(e),
        onTask: (e: TaskEvent) => routes.at(-1)!.push(e.plan.changes.flatMap((c) => (c.kind === 'route' ? [c.pathway.uuid] : []))[0]!),
        onStageStart: () => routes.push([]),
        onPassDone: () => {
          if (routes.length === 1) backend.override = changed;
          if (routes.length === 2) controller.abort();
        },
      });
    } finally {
      await backend.close();
    }
    expect(changes).toEqual([{ projectHash: original.projectHash, title: original.title, running: ['pre-label'], skipped: [], diagnostics: [] }]);
    expect(routes[0]).toEqual(Array(5).fill(original.workflow.stages[0]!.pathways[0]!.uuid));
    expect(routes[1]).toEqual(Array(5).fill('11111111-2222-4333-8444-555555555555'));
  });

  it('goes on with the project as last read when it cannot be re-read', async () => {
    const { dir, backend, original } = await setUpWatch();
    const projectHash = original.projectHash;
    const controller = new AbortController();
    const warnings: string[] = [];
    const seen: number[] = [];
    let summary: RunSummary | undefined;
    try {
      summary = await runRules({ rules: ['w.yaml'], cwd: dir, watch: true, intervalMs: 1, maxTasks: 10, signal: controller.signal, projectHash }, backend, {
        onDiagnostic: (d) => warnings.push(`${d.severity} ${d.code} ${d.file}:${d.line}:${d.col} ${d.message}`),
        onPassDone: (pass) => {
          seen.push(pass.seen);
          if (seen.length === 1) backend.failNext = true;
          if (seen.length === 2) controller.abort();
        },
      });
    } finally {
      await backend.close();
    }
    expect(seen).toEqual([10, 10]);
    expect(warnings).toEqual([`warning run/project-unreadable w.yaml:3:3 could not re-read project "encord-rules demo" (backend/unreachable: connection reset)`]);
    expect(summary!.diagnostics).toEqual([]);
  });

  it('skips only the stage that no longer fits; the others keep running', async () => {
    const second = { uuid: 'stage-second', title: 'second-agent', stageType: 'AGENT' as const, pathways: [{ uuid: 'pw-done', name: 'done', destinationUuid: 'stage-review' }] };
    const start: Project = { ...structuredClone(fixtureProject), workflow: { stages: [...structuredClone(fixtureProject.workflow.stages), second] } };
    const backend = new (class extends FakeBackend {
      current: Project = start;
      getProjectCalls = 0;
      override async getProject(): Promise<Project> {
        this.getProjectCalls += 1;
        return this.current;
      }
    })(start, Array.from({ length: 6 }, (_, i) => makeTask(i)), 'stage-pre-label');
    const text = [
      'version: 1',
      'stages:',
      '  pre-label:',
      '    rules:',
      '      - name: a',
      '        priority: 0.9',
      '  second-agent:',
      '    rules:',
      '      - name: b',
      '        route: done',
      '',
    ].join('\n');
    const file = parseRuleFile('two.yaml', text).file!;
    const controller = new AbortController();
    const changes: ProjectChangeEvent[] = [];
    const stagesRun: string[][] = [[]];
    await runRuleFiles(async () => ({ files: [file], diagnostics: [] }), { projectHash: start.projectHash, watch: true, intervalMs: 1, signal: controller.signal }, backend, {
      onStageStart: (stage) => stagesRun.at(-1)!.push(stage.title),
      onProjectChange: (e) => changes.push(e),
      onPassDone: () => {
        if (stagesRun.length === 1) {
          const changed = structuredClone(start);
          changed.workflow.stages[3]!.pathways = [];
          backend.current = changed;
        }
        if (stagesRun.length === 2) controller.abort();
        else stagesRun.push([]);
      },
    });
    expect(stagesRun).toEqual([
      ['pre-label', 'second-agent'],
      ['pre-label'],
    ]);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ running: ['pre-label'], skipped: ['second-agent'] });
    expect(changes[0]!.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['rule/unknown-pathway', 10, 16]]);
    expect(backend.getProjectCalls).toBe(2);
  });
});

describe('apply --watch on Encord, the workflow changed between passes', () => {
  it('logs the located reason, skips the stage and leaves its tasks; one project read per pass', async () => {
    const fx = await startEncordFixture({ tasks: 30 });
    const dir = makeTempDir();
    writeFileSync(join(dir, 'london.yaml'), routeRules('annotate'));
    const controller = new AbortController();
    let stderr = '';
    let passes = 0;
    const stage = fx.project.workflow.stages[0]!;
    try {
      const code = await runCli(
        ['apply', 'london.yaml', '--project', fx.project.projectHash, '--watch', '--interval', '0', '--max-tasks', '10', '--log-format', 'json', '--timeout', '2'],
        {
          stdout: () => {},
          stderr: (s) => {
            stderr += s;
            for (const line of s.split('\n').filter(Boolean)) {
              if ((JSON.parse(line) as { event: string }).event !== 'pass-done') continue;
              passes += 1;
              // Someone renames the pathway in Encord after the first pass.
              if (passes === 1) fx.fake.state(fx.project.projectHash).project.workflow.stages[0]!.pathways[0]!.name = 'Annotate now';
              if (passes === 3) controller.abort();
            }
          },
          env: { ...process.env, NO_COLOR: '1', ENCORD_SSH_KEY: fx.key.text, ENCORD_SSH_KEY_FILE: '', ENCORD_BEARER_TOKEN: '', ENCORD_DOMAIN: fx.fake.url },
          cwd: dir,
          isTTY: false,
          stopSignal: controller.signal,
        },
      );
      expect(code).toBe(0);
      const events = stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const change = events.filter((e) => e.event === 'project-change');
      expect(change).toHaveLength(1);
      expect(change[0]).toMatchObject({ level: 'error', skipped: ['pre-label'], running: [] });
      expect(change[0]!.diagnostics).toEqual([
        expect.objectContaining({ code: 'rule/unknown-pathway', file: 'london.yaml', line: 7, col: 16, hint: expect.stringContaining('Annotate now') }),
      ]);
      expect(events.filter((e) => e.event === 'pass-done').map((e) => e.seen)).toEqual([10, 0, 0]);
      expect(fx.fake.state(fx.project.projectHash).tasksInStage(stage.uuid)).toHaveLength(20);
      // One read at the start, one before each later pass (the ontology comes embedded).
      expect(fx.fake.counts()['GET project']).toBe(3);
    } finally {
      await fx.close();
    }
  });
});
