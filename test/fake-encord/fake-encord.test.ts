/** The fake must refuse what Encord refuses, or tests of the client prove nothing. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpenSshPrivateKey } from '../../src/backends/encord/ssh-key.js';
import { createdFor, signV1Body, signV2Request } from '../../src/backends/encord/signing.js';
import { agentStages } from '../../src/model/index.js';
import { seedFromDemo } from './seed.js';
import { startFakeEncord, type FakeEncord } from './server.js';
import { randomTestKey } from './ssh-keys.js';

const key = randomTestKey();
const signing = parseOpenSshPrivateKey(key.text);
const { project, tasks } = seedFromDemo({ tasks: 5, seed: 3 });
const stage = agentStages(project)[0]!;
let fake: FakeEncord;

beforeAll(async () => {
  fake = await startFakeEncord({ projects: [{ project, tasks }], publicKeys: [key.publicKeyHex] });
});
afterAll(() => fake.close());

interface Sent {
  method?: string;
  path: string;
  body?: string;
  /** Sign these instead of what is sent. */
  signedPath?: string;
  signedBody?: string;
  created?: number;
  headers?: Record<string, string>;
}

function send(s: Sent): Promise<{ status: number; body: any }> {
  const method = s.method ?? 'GET';
  const body = Buffer.from(s.body ?? '');
  const headers = s.headers ?? {
    ...signV2Request(
      { method, requestTarget: s.signedPath ?? s.path, body: Buffer.from(s.signedBody ?? s.body ?? ''), created: s.created ?? createdFor(Date.now()) },
      signing,
    ),
    'Content-Type': 'application/json',
  };
  return new Promise((resolve, reject) => {
    const url = new URL(fake.url);
    const req = request({ hostname: url.hostname, port: url.port, path: s.path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function v1(body: object, auth?: string): Promise<{ status: number; body: any }> {
  const text = JSON.stringify(body);
  const headers = {
    Authorization: auth ?? signV1Body(Buffer.from(text), signing),
    ResourceType: 'project',
    ResourceID: project.projectHash,
    'Content-Type': 'application/json',
  };
  return send({ method: 'POST', path: '/public', body: text, headers });
}

const projectPath = `/v2/public/projects/${project.projectHash}`;
const actionsPath = `${projectPath}/workflow/stages/${stage.uuid}/actions`;

describe('fake Encord authentication', () => {
  it('accepts a correctly signed v2 request', async () => {
    expect((await send({ path: projectPath })).status).toBe(200);
  });

  it('rejects a body that differs from the signed digest', async () => {
    const r = await send({ method: 'POST', path: actionsPath, body: '[]', signedBody: '[ ]' });
    expect(r).toMatchObject({ status: 401, body: { message: expect.stringMatching(/Content-Digest/) } });
  });

  it('rejects a signature over a different request target (encoding matters)', async () => {
    const path = `${projectPath}/workflow/stages/${stage.uuid}/tasks?userEmails=a%40b.com`;
    const r = await send({ path, signedPath: path.replace('%40', '@') });
    expect(r).toMatchObject({ status: 401, body: { message: 'signature does not verify' } });
    expect((await send({ path })).status).toBe(200);
  });

  it('rejects a stale or future `created`', async () => {
    expect((await send({ path: projectPath, created: createdFor(Date.now()) - 600 })).status).toBe(401);
    expect((await send({ path: projectPath, created: createdFor(Date.now()) + 120 })).status).toBe(401);
  });

  it('rejects an unknown key and unsigned requests', async () => {
    const stranger = parseOpenSshPrivateKey(randomTestKey().text);
    const headers = signV2Request({ method: 'GET', requestTarget: projectPath, body: Buffer.alloc(0), created: createdFor(Date.now()) }, stranger);
    expect((await send({ path: projectPath, headers })).status).toBe(401);
    expect((await send({ path: projectPath, headers: {} })).status).toBe(401);
  });

  it('checks v1 Authorization and answers in an envelope', async () => {
    const query = { query_type: 'labelrowmetadata', query_method: 'GET', values: { uid: null, payload: { data_hashes: [tasks[0]!.task.dataHash], include_uninitialised_labels: true } } };
    const ok = await v1(query);
    expect(ok.body).toMatchObject({ status: 200, response: [{ data_hash: tasks[0]!.task.dataHash }] });
    const forged = await v1(query, `${key.publicKeyHex}:${'00'.repeat(64)}`);
    expect(forged.body).toMatchObject({ status: 401, response: ['AUTHENTICATION_ERROR'] });
    const unknown = await v1(query, `${'ab'.repeat(32)}:${'00'.repeat(64)}`);
    expect(unknown.body).toMatchObject({ response: ['SSH_KEY_NOT_FOUND_ERROR'] });
  });
});

describe('fake Encord request shapes', () => {
  it('rejects more than 1000 actions', async () => {
    const body = JSON.stringify(Array.from({ length: 1001 }, () => ({ taskUuid: tasks[0]!.task.uuid, action: 'PATHWAY_ACTION', pathwayName: 'annotate' })));
    expect(await send({ method: 'POST', path: actionsPath, body })).toMatchObject({ status: 400 });
  });

  it('rejects a whole bulk proceed when one task is not in the stage, moving none', async () => {
    const body = JSON.stringify([
      { taskUuid: tasks[0]!.task.uuid, action: 'PATHWAY_ACTION', pathwayName: 'ANNOTATE' },
      { taskUuid: '00000000-0000-4000-8000-000000000000', action: 'PATHWAY_ACTION', pathwayName: 'annotate' },
    ]);
    expect(await send({ method: 'POST', path: actionsPath, body })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/not in stage/) } });
    expect(fake.state(project.projectHash).stageOf(tasks[0]!.task.uuid)).toBe(stage.uuid);
  });

  it('rejects an unknown pathway', async () => {
    const body = JSON.stringify([{ taskUuid: tasks[0]!.task.uuid, action: 'PATHWAY_ACTION', pathwayName: 'nowhere' }]);
    expect(await send({ method: 'POST', path: actionsPath, body })).toMatchObject({ status: 400 });
  });

  it('rejects more than 100 label rows in one save', async () => {
    const uid = Array.from({ length: 101 }, (_, i) => `l-${i}`);
    const r = await v1({ query_type: 'labelrow', query_method: 'POST', values: { uid, payload: { multi_request: true, labels: [] } } });
    expect(r.body).toMatchObject({ status: 400, response: ['MULTI_LABEL_LIMIT_ERROR'], payload: { maximum_labels_allowed: 100 } });
  });

  it('rejects unknown task-query parameters and priorities out of range', async () => {
    expect((await send({ path: `${projectPath}/workflow/stages/${stage.uuid}/tasks?pageSize=5` })).status).toBe(400);
    const body = JSON.stringify({ priorities: [[tasks[0]!.task.dataHash, 1.5]] });
    expect((await send({ method: 'POST', path: `${projectPath}/priorities`, body })).status).toBe(400);
  });

  it('counts requests per endpoint', () => {
    expect(fake.counts()['GET project']).toBeGreaterThan(0);
    expect(fake.counts()['v1 labelrowmetadata GET']).toBeGreaterThan(0);
  });
});
