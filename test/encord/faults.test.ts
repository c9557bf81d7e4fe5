/** Every retry path of the Encord backend against injected faults in the fake server. */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskCommit } from '../../src/backends/backend.js';
import { agentStages } from '../../src/model/index.js';
import { EncordBackend } from '../../src/backends/encord/encord-backend.js';
import { parseOpenSshPrivateKey } from '../../src/backends/encord/ssh-key.js';
import { recordingClock, startEncordFixture, type EncordFixture } from '../fake-encord/harness.js';

let fx: EncordFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

function routeAll(f: EncordFixture, count = f.tasks.length): TaskCommit[] {
  const pathway = agentStages(f.project)[0]!.pathways[0]!;
  return f.tasks.slice(0, count).map((s) => ({ taskUuid: s.task.uuid, dataHash: s.task.dataHash, priority: 0.9, pathwayUuid: pathway.uuid }));
}

async function commitAll(f: EncordFixture) {
  const stage = agentStages(f.project)[0]!;
  return f.backend.commitBatch(f.project.projectHash, { stageUuid: stage.uuid, tasks: routeAll(f) });
}

function expectEachMovedOnce(f: EncordFixture): void {
  const state = f.fake.state(f.project.projectHash);
  expect(state.tasksInStage(agentStages(f.project)[0]!.uuid)).toHaveLength(0);
  expect([...state.moves.values()]).toEqual(f.tasks.map(() => 1));
}

describe('retries on safe calls', () => {
  it('honours Retry-After on a 429', async () => {
    fx = await startEncordFixture();
    fx.fake.inject('GET project', { kind: 'status', status: 429, retryAfter: '7' });
    await fx.backend.getProject(fx.project.projectHash);
    expect(fx.sleeps).toEqual([7000]);
    expect(fx.fake.counts()['GET project']).toBe(2);
  });

  it('backs off exponentially with jitter on 5xx, then succeeds', async () => {
    fx = await startEncordFixture({ client: { random: () => 0.5, baseDelayMs: 100 } });
    fx.fake.inject('v1 labelrowmetadata GET', { kind: 'status', status: 502 }, 2);
    const records = await fx.backend.fetchTaskRecords(fx.project.projectHash, [fx.tasks[0]!.task], { labels: false, clientMetadata: false });
    expect(records).toHaveLength(1);
    // attempt 0: 100 ms → 50 + 25; attempt 1: 200 ms → 100 + 50.
    expect(fx.sleeps).toEqual([75, 150]);
  });

  it('gives up after 3 retries with a mapped error', async () => {
    fx = await startEncordFixture();
    fx.fake.inject('GET tasks', { kind: 'status', status: 503, body: { message: 'down for maintenance' } }, 10);
    const error = await fx.backend.listStageTasks(fx.project.projectHash, agentStages(fx.project)[0]!.uuid).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'encord/server-error' });
    expect((error as Error).message).toMatch(/down for maintenance/);
    expect(fx.fake.counts()['GET tasks']).toBe(4);
  });

  it('times out a hanging call and retries it', async () => {
    fx = await startEncordFixture({ client: { timeoutMs: 200 } });
    fx.fake.inject('GET tasks', { kind: 'hang' });
    const page = await fx.backend.listStageTasks(fx.project.projectHash, agentStages(fx.project)[0]!.uuid);
    expect(page.tasks).toHaveLength(fx.tasks.length);
    expect(fx.logs[0]).toMatchObject({ endpoint: 'GET tasks', error: expect.stringMatching(/no answer within 200 ms/) });
  });

  it('re-sends priorities after the connection drops once they were applied (idempotent)', async () => {
    fx = await startEncordFixture({ tasks: 5 });
    fx.fake.inject('POST priorities', { kind: 'drop-after' });
    const stage = agentStages(fx.project)[0]!;
    const tasks = routeAll(fx).map(({ pathwayUuid: _p, ...rest }) => rest);
    const outcomes = await fx.backend.commitBatch(fx.project.projectHash, { stageUuid: stage.uuid, tasks });
    expect(outcomes.every((o) => o.prioritySet && o.status === 'ok')).toBe(true);
    expect(fx.fake.counts()['POST priorities']).toBe(2);
  });

  it('retries a 413 on a label save', async () => {
    fx = await startEncordFixture({ tasks: 3 });
    const records = await fx.backend.fetchTaskRecords(fx.project.projectHash, fx.tasks.map((t) => t.task), { labels: true, clientMetadata: false });
    fx.fake.inject('v1 labelrow POST', { kind: 'status', status: 413 });
    const stage = agentStages(fx.project)[0]!;
    const outcomes = await fx.backend.commitBatch(fx.project.projectHash, {
      stageUuid: stage.uuid,
      tasks: records.map((r) => ({ taskUuid: r.task.uuid, dataHash: r.task.dataHash, labelRow: r.labelRow! })),
    });
    expect(outcomes.every((o) => o.labelsSaved)).toBe(true);
    expect(fx.fake.counts()['v1 labelrow POST']).toBe(2);
  });

  it('retries when the connection is refused, then reports a network error', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const sleeps: number[] = [];
    fx = await startEncordFixture();
    const backend = new EncordBackend({
      domain: `http://127.0.0.1:${port}`,
      credentials: { kind: 'ssh', key: parseOpenSshPrivateKey(fx.key.text), source: 'ENCORD_SSH_KEY' },
      clock: recordingClock(sleeps),
    });
    const error = await backend.getProject(fx.project.projectHash).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'encord/network', ambiguous: false });
    expect(sleeps).toHaveLength(3);
    await backend.close();
  });
});

describe('transport', () => {
  it('limits the request rate with a token bucket (--rate)', async () => {
    fx = await startEncordFixture({ tasks: 3, client: { rate: 2 } });
    const stage = agentStages(fx.project)[0]!;
    for (let i = 0; i < 5; i++) await fx.backend.listStageTasks(fx.project.projectHash, stage.uuid);
    // A burst of 2, then one request per 500 ms (the recording clock does not advance time, so each wait is a full interval or less).
    expect(fx.sleeps.length).toBeGreaterThanOrEqual(3);
    expect(fx.sleeps.every((ms) => ms > 0 && ms <= 500)).toBe(true);
  });

  it('reads gzip-compressed responses', async () => {
    fx = await startEncordFixture({ tasks: 4, gzip: true });
    await fx.backend.getProject(fx.project.projectHash);
    const records = await fx.backend.fetchTaskRecords(fx.project.projectHash, fx.tasks.map((t) => t.task), { labels: true, clientMetadata: true });
    expect(records).toHaveLength(4);
  });
});

describe('proceed is never blindly re-sent', () => {
  it('after the connection drops once the move was applied: re-lists, does not re-send', async () => {
    fx = await startEncordFixture({ tasks: 12 });
    fx.fake.inject('POST actions', { kind: 'drop-after' });
    const outcomes = await commitAll(fx);
    expect(outcomes.every((o) => o.status === 'ok' && o.moved)).toBe(true);
    expect(fx.fake.counts()).toMatchObject({ 'POST actions': 1, 'GET tasks': 1 });
    expectEachMovedOnce(fx);
  });

  it('after the connection drops before the move: re-lists, re-sends once', async () => {
    fx = await startEncordFixture({ tasks: 12 });
    fx.fake.inject('POST actions', { kind: 'drop-before' });
    const outcomes = await commitAll(fx);
    expect(outcomes.every((o) => o.status === 'ok' && o.moved)).toBe(true);
    expect(fx.fake.counts()).toMatchObject({ 'POST actions': 2, 'GET tasks': 1 });
    expectEachMovedOnce(fx);
  });

  it('after a timeout: re-lists and re-sends only what is still in the stage', async () => {
    fx = await startEncordFixture({ tasks: 6, client: { timeoutMs: 200 } });
    const state = fx.fake.state(fx.project.projectHash);
    fx.fake.inject('POST actions', { kind: 'hang' });
    // Someone else moves task 0 while our request hangs.
    fx.fake.inject('GET tasks', { kind: 'run', run: () => state.moveTaskElsewhere(fx!.tasks[0]!.task.uuid) });
    const outcomes = await commitAll(fx);
    expect(outcomes.every((o) => o.moved)).toBe(true);
    expect(fx.fake.counts()['POST actions']).toBe(2);
    const resent = fx.fake.requests.filter((r) => r.endpoint === 'POST actions').at(-1)!;
    expect(resent.status).toBe(204);
    expect(state.moves.get(fx.tasks[0]!.task.uuid)).toBeUndefined();
    expect([...state.moves.values()]).toEqual([1, 1, 1, 1, 1]);
  });

  it('after a 500: re-checks before re-sending', async () => {
    fx = await startEncordFixture({ tasks: 4 });
    fx.fake.inject('POST actions', { kind: 'status', status: 500 });
    const outcomes = await commitAll(fx);
    expect(outcomes.every((o) => o.moved)).toBe(true);
    expect(fx.fake.counts()).toMatchObject({ 'POST actions': 2, 'GET tasks': 1 });
    expectEachMovedOnce(fx);
  });

  it('retries a 429 directly: the request was refused, not acted on', async () => {
    fx = await startEncordFixture({ tasks: 4 });
    fx.fake.inject('POST actions', { kind: 'status', status: 429, retryAfter: '1' });
    await commitAll(fx);
    expect(fx.fake.counts()['POST actions']).toBe(2);
    expect(fx.fake.counts()['GET tasks']).toBeUndefined();
    expect(fx.sleeps).toEqual([1000]);
    expectEachMovedOnce(fx);
  });

  it('a task leaving the stage between listing and proceeding strands no other task', async () => {
    fx = await startEncordFixture({ tasks: 10 });
    const state = fx.fake.state(fx.project.projectHash);
    const leaver = fx.tasks[7]!.task.uuid;
    fx.fake.inject('POST actions', { kind: 'run', run: () => state.moveTaskElsewhere(leaver) });
    const outcomes = await commitAll(fx);
    expect(outcomes.filter((o) => o.status === 'stale').map((o) => o.taskUuid)).toEqual([leaver]);
    expect(outcomes.filter((o) => o.moved)).toHaveLength(9);
    expect(state.tasksInStage(agentStages(fx.project)[0]!.uuid)).toHaveLength(0);
  });

  it('reports tasks moved when the last ambiguous attempt did move them', async () => {
    fx = await startEncordFixture({ tasks: 3 });
    fx.fake.inject('POST actions', { kind: 'drop-before' }, 2);
    fx.fake.inject('POST actions', { kind: 'drop-after' });
    const outcomes = await commitAll(fx);
    expect(outcomes.every((o) => o.status === 'ok' && o.moved)).toBe(true);
    expect(fx.fake.counts()).toMatchObject({ 'POST actions': 3, 'GET tasks': 3 });
    expectEachMovedOnce(fx);
  });

  it('fails the tasks, without a double move, when every attempt is ambiguous', async () => {
    fx = await startEncordFixture({ tasks: 3 });
    fx.fake.inject('POST actions', { kind: 'drop-before' }, 10);
    const outcomes = await commitAll(fx);
    expect(outcomes.every((o) => o.status === 'failed' && !o.moved)).toBe(true);
    expect(outcomes[0]!.error).toMatch(/POST actions/);
    expect(fx.fake.counts()['POST actions']).toBe(3);
  });
});

describe('no key material in logs or errors', () => {
  it('never logs headers, bodies or keys', async () => {
    fx = await startEncordFixture({ tasks: 3, client: { timeoutMs: 200 } });
    fx.fake.inject('GET project', { kind: 'status', status: 401, body: { message: 'nope' } });
    const error = await fx.backend.getProject(fx.project.projectHash).catch((e: unknown) => e as Error);
    fx.fake.inject('POST actions', { kind: 'hang' });
    await commitAll(fx);
    const text = JSON.stringify(fx.logs) + String(error) + JSON.stringify(error);
    const pemBody = fx.key.text.split('\n').filter((l) => !l.startsWith('-----')).join('');
    for (let i = 0; i + 16 <= pemBody.length; i += 8) expect(text).not.toContain(pemBody.slice(i, i + 16));
    expect(text).not.toContain(fx.key.seed.toString('hex').slice(0, 16));
    expect(text).not.toContain(fx.key.seed.toString('base64').slice(0, 16));
    expect(text).not.toMatch(/encord-sig|Signature|Authorization/i);
  });
});

describe('stopping', () => {
  it('ends a retry wait with encord/stopped when the stop signal fires', async () => {
    const controller = new AbortController();
    fx = await startEncordFixture({
      client: {
        signal: controller.signal,
        clock: { now: () => Date.now(), sleep: (_ms, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason))) },
      },
    });
    fx.fake.inject('GET project', { kind: 'status', status: 503 });
    const pending = fx.backend.getProject(fx.project.projectHash).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    expect(await pending).toMatchObject({ code: 'encord/stopped' });
    expect(fx.fake.counts()['GET project']).toBe(1);
  });
});

describe('IPv6 loopback', () => {
  it('talks to [::1]', async () => {
    fx = await startEncordFixture();
    const port = new URL(fx.fake.url).port;
    const backend = new EncordBackend({
      domain: `http://[::1]:${port}`,
      credentials: { kind: 'ssh', key: parseOpenSshPrivateKey(fx.key.text), source: 'ENCORD_SSH_KEY' },
      maxRetries: 0,
    });
    // The fake listens on 127.0.0.1 only, so this must fail to connect, not fail on the URL.
    const error = await backend.getProject(fx.project.projectHash).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'encord/network' });
    expect((error as Error).message).toMatch(/ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH/);
    await backend.close();
  });
});
