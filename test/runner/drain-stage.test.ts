import { describe, expect, it } from 'vitest';
import type { StageHandler } from '../../src/compile/types.js';
import { buildTaskDocument } from '../../src/compile/index.js';
import type { Decision } from '../../src/model/index.js';
import type { RuleFile, StageRules } from '../../src/rules/types.js';
import { FakeBackend } from './fake-backend.js';
import { fixedEnv, makeTask, preLabel, project } from './fixtures.js';
import { AuditLogError, createMemoryAttemptStore, type AttemptStore } from '../../src/backends/run-state.js';
import type { AuditEntry } from '../../src/runner/audit-log.js';
import { createRunSummary } from '../../src/runner/counts.js';
import { drainStage, type DrainOptions } from '../../src/runner/drain-stage.js';
import type { PreparedStage, RunCallbacks, TaskEvent } from '../../src/runner/types.js';

const loc = { file: 'rules/london.yaml', line: 4, col: 3 };

/** London first: priority 1 for "london" titles, 0 otherwise, all routed to annotate; "bad" titles fail. */
const londonHandler: StageHandler = {
  stage: 'pre-label',
  file: 'rules/london.yaml',
  match: 'first',
  ruleNames: ['london-first'],
  needs: { labels: false, clientMetadata: false },
  async evaluate(document) {
    const title = String(document.data_title);
    if (title.includes('bad')) {
      return { ok: false, failure: { rule: 'london-first', file: loc.file, line: 6, col: 11, code: 'jsonata/T0410', message: 'boom' } };
    }
    const london = title.toLowerCase().includes('london');
    const decision: Decision = {
      matchedRules: london ? ['london-first'] : [],
      usedDefault: !london,
      priority: { value: london ? 1 : 0, rule: london ? 'london-first' : 'default' },
      classifications: [],
      route: { pathway: 'annotate', rule: london ? 'london-first' : 'default' },
      overridden: [],
    };
    return { ok: true, decision };
  },
};

function prepare(handler = londonHandler, onError?: { pathway: string; afterAttempts: number }): PreparedStage {
  const rules: StageRules = { stage: 'pre-label', loc, match: 'first', rules: [] };
  const ruleFile: RuleFile = { path: loc.file, sha256: 'abc', version: 1, params: [], stages: [rules] };
  const prepared: PreparedStage = {
    stage: preLabel,
    handler,
    rules,
    ruleFile,
    params: {},
    ruleLocations: new Map(),
    buildDocument: buildTaskDocument,
  };
  if (onError) prepared.onError = onError;
  return prepared;
}

function titles(n: number, title: (i: number) => string) {
  return Array.from({ length: n }, (_, i) => makeTask(i, title(i)));
}

async function drain(
  backend: FakeBackend,
  options: Partial<DrainOptions> & { prepared?: PreparedStage } = {},
  callbacks: RunCallbacks = {},
) {
  const summary = createRunSummary('run-1', Boolean(options.dryRun));
  const { prepared = prepare(), ...rest } = options;
  const drainOptions: DrainOptions = { batchSize: 10, concurrency: 2, dryRun: false, runId: "run-1", now: () => fixedEnv.now, randomBytes: fixedEnv.randomBytes, ...rest };
  const stage = await drainStage(backend, project, prepared, drainOptions, callbacks, summary);
  return { stage, summary };
}

describe('drainStage', () => {
  it('applies the london rule to every task in batches and moves them all', async () => {
    const backend = new FakeBackend(project, titles(35, (i) => (i % 3 === 0 ? `London-${i}.jpg` : `paris-${i}.jpg`)), preLabel.uuid, 0.5);
    const { stage } = await drain(backend);
    for (const t of backend.tasks.values()) {
      expect(t.priority).toBe(t.task.dataTitle.startsWith('London') ? 1 : 0);
      expect(t.stageUuid).toBe('stage-annotate');
    }
    expect(stage).toMatchObject({ seen: 35, changed: 35, moved: { annotate: 35 }, leftInPlace: 0, failed: 0 });
    expect(stage.rules).toEqual({ 'london-first': 12, default: 23 });
    expect(backend.calls.commit).toBe(4);
  });

  it('writes nothing in a dry run and reports the plan', async () => {
    const backend = new FakeBackend(project, titles(12, (i) => `london-${i}`), preLabel.uuid, 1);
    const events: TaskEvent[] = [];
    const { stage } = await drain(backend, { dryRun: true }, { onTask: (e) => events.push(e) });
    expect(backend.calls.commit).toBe(0);
    expect(events).toHaveLength(12);
    expect(events[0]).toMatchObject({ outcome: 'planned' });
    // Priority already 1: only the route is a change.
    expect(events[0]!.plan.changes.map((c) => c.kind)).toEqual(['route']);
    expect(stage).toMatchObject({ seen: 12, changed: 12, moved: { annotate: 12 } });
    expect([...backend.tasks.values()].every((t) => t.stageUuid === preLabel.uuid)).toBe(true);
  });

  it('fails only the tasks whose rules fail, then routes them along on_error after N runs', async () => {
    const backend = new FakeBackend(project, titles(20, (i) => (i % 5 === 0 ? `bad-${i}` : `ok-${i}`)), preLabel.uuid);
    const attempts: AttemptStore = createMemoryAttemptStore();
    const prepared = prepare(londonHandler, { pathway: 'errors', afterAttempts: 2 });
    const first = await drain(backend, { attempts, prepared });
    expect(first.stage).toMatchObject({ seen: 20, failed: 4, moved: { annotate: 16 } });
    expect(first.summary.failures[0]).toMatchObject({ rule: 'london-first', file: loc.file, line: 6, col: 11, code: 'jsonata/T0410', attempts: 1 });
    const bad = [...backend.tasks.values()].filter((t) => t.task.dataTitle.startsWith('bad'));
    expect(bad.every((t) => t.stageUuid === preLabel.uuid)).toBe(true);
    expect(attempts.readAttempts({ projectHash: project.projectHash, stageUuid: preLabel.uuid }, bad.map((t) => t.task.uuid)).size).toBe(4);

    const second = await drain(backend, { attempts, prepared });
    expect(second.stage).toMatchObject({ seen: 4, failed: 4, moved: { errors: 4 }, rules: { on_error: 4 } });
    expect(bad.every((t) => t.stageUuid === 'stage-review')).toBe(true);
    expect(attempts.readAttempts({ projectHash: project.projectHash, stageUuid: preLabel.uuid }, bad.map((t) => t.task.uuid)).size).toBe(0);
  });

  it('reports a stale task without stranding the rest of its batch', async () => {
    const backend = new FakeBackend(project, titles(10, (i) => `t-${i}`), preLabel.uuid);
    backend.staleOnCommit.add('task-000003');
    backend.failOnCommit.add('task-000004');
    const { stage, summary } = await drain(backend);
    expect(stage).toMatchObject({ seen: 10, stale: 1, failed: 1, moved: { annotate: 8 } });
    expect(summary.failures).toEqual([expect.objectContaining({ taskUuid: 'task-000004', code: 'backend/write-failed' })]);
  });

  it('processes a task left in place once per pass even when the backend lists it again', async () => {
    const stay: StageHandler = {
      ...londonHandler,
      async evaluate() {
        return { ok: true, decision: { matchedRules: [], usedDefault: false, classifications: [], overridden: [] } };
      },
    };
    const backend = new FakeBackend(project, titles(25, (i) => `t-${i}`), preLabel.uuid);
    backend.relistEverything = true;
    const seen: string[] = [];
    const { stage } = await drain(backend, { prepared: prepare(stay) }, { onTask: (e) => seen.push(e.plan.taskUuid) });
    expect(new Set(seen).size).toBe(25);
    expect(seen).toHaveLength(25);
    expect(stage).toMatchObject({ seen: 25, leftInPlace: 25, changed: 0 });
    expect(backend.calls.commit).toBe(0);
  });

  it('stops taking batches when the signal aborts, after finishing the batch in flight', async () => {
    const backend = new FakeBackend(project, titles(50, (i) => `t-${i}`), preLabel.uuid);
    const controller = new AbortController();
    const { stage } = await drain(backend, { signal: controller.signal }, { onBatch: () => controller.abort() });
    expect(stage.seen).toBe(10);
    const moved = [...backend.tasks.values()].filter((t) => t.stageUuid === 'stage-annotate');
    expect(moved).toHaveLength(10);
    expect(backend.calls.commit).toBe(1);
  });

  it('stops the stage before the next commit when the audit log cannot be written', async () => {
    const backend = new FakeBackend(project, titles(35, (i) => `paris-${i}.jpg`), preLabel.uuid, 0.5);
    let written = 0;
    let failed = false;
    const audit = {
      writeText: () => {
        written += 1;
        failed = true;
      },
      flush: async () => {
        if (failed) throw new AuditLogError('/var/log/audit.jsonl', new Error('ENOSPC: no space left on device'));
      },
      close: () => undefined,
    };
    const { stage, summary } = await drain(backend, { audit });
    // The first batch committed (and its write failed); no later batch was committed.
    expect(written).toBe(1);
    expect([...backend.tasks.values()].filter((t) => t.stageUuid === 'stage-annotate')).toHaveLength(10);
    expect(stage.seen).toBe(10);
    expect(summary.diagnostics).toEqual([
      expect.objectContaining({ code: 'run/audit-log-failed', severity: 'error', file: loc.file, line: loc.line, col: loc.col }),
    ]);
    expect(summary.diagnostics[0]!.message).toContain('ENOSPC');
  });

  it('writes one audit line per confirmed change, and none for unconfirmed ones', async () => {
    const backend = new FakeBackend(project, titles(3, (i) => `london-${i}`), preLabel.uuid, 0.25);
    backend.staleOnCommit.add('task-000001');
    const lines: AuditEntry[] = [];
    await drain(backend, { audit: { writeText: (t) => lines.push(...t.trimEnd().split('\n').map((x) => JSON.parse(x) as AuditEntry)), close: () => undefined } });
    expect(lines.filter((l) => l.change === 'set-priority')).toHaveLength(3);
    expect(lines.filter((l) => l.change === 'route').map((l) => l.taskUuid)).toEqual(['task-000000', 'task-000002']);
    expect(lines[0]).toMatchObject({
      runId: 'run-1',
      file: loc.file,
      sha256: 'abc',
      stage: { uuid: preLabel.uuid, title: 'pre-label' },
      rule: 'london-first',
      before: 0.25,
      after: 1,
    });
  });

  it('fails a batch whose fetch fails, and ends the stage with a located diagnostic when listing fails', async () => {
    const backend = new FakeBackend(project, titles(30, (i) => `t-${i}`), preLabel.uuid);
    const fetch = backend.fetchTaskRecords.bind(backend);
    let fetches = 0;
    backend.fetchTaskRecords = async (...args) => {
      if (++fetches === 2) throw new Error('network down');
      return fetch(...args);
    };
    const { stage, summary } = await drain(backend);
    expect(stage).toMatchObject({ seen: 30, failed: 10, moved: { annotate: 20 } });
    expect(summary.failures[0]).toMatchObject({ code: 'backend/fetch-failed', message: expect.stringContaining('network down') });

    const listing = new FakeBackend(project, titles(5, (i) => `t-${i}`), preLabel.uuid);
    listing.listStageTasks = async () => {
      throw Object.assign(new Error('forbidden'), { code: 'encord/forbidden' });
    };
    const listed = await drain(listing);
    expect(listed.summary.diagnostics).toEqual([expect.objectContaining({ code: 'encord/forbidden', file: loc.file, line: 4, col: 3 })]);
  });

  it('stops the stage when a commit fails as a whole', async () => {
    const backend = new FakeBackend(project, titles(30, (i) => `t-${i}`), preLabel.uuid);
    backend.commitBatch = async () => {
      throw Object.assign(new Error('401 unauthorised'), { code: 'encord/unauthorised' });
    };
    const { stage, summary } = await drain(backend);
    expect(stage).toMatchObject({ seen: 10, failed: 10 });
    expect(backend.calls.fetch).toBeLessThanOrEqual(2);
    expect(summary.diagnostics).toEqual([expect.objectContaining({ code: 'encord/unauthorised' })]);
  });

  it('finds the tasks an offset-paged listing skips once earlier tasks moved', async () => {
    const backend = new FakeBackend(project, titles(95, (i) => `t-${i}`), preLabel.uuid);
    backend.offsetPaging = true;
    const { stage } = await drain(backend, { concurrency: 1 });
    expect(stage).toMatchObject({ seen: 95, moved: { annotate: 95 } });
    expect([...backend.tasks.values()].every((t) => t.stageUuid === 'stage-annotate')).toBe(true);
  });

  it('respects maxTasks', async () => {
    const backend = new FakeBackend(project, titles(30, (i) => `t-${i}`), preLabel.uuid);
    const { stage } = await drain(backend, { maxTasks: 7 });
    expect(stage.seen).toBe(7);
  });
});
