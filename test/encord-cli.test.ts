/** agent-nodes and init, against the fake Encord and against the local demo store. */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/backends/sqlite/index.js';
import { agentStages } from '../src/model/index.js';
import { parseRuleFile } from '../src/rules/parse.js';
import { runCliCaptured } from './cli-helpers.js';
import { seedFromDemo } from './fake-encord/seed.js';
import { startFakeEncord, type FakeEncord } from './fake-encord/server.js';
import { encodeOpenSshPrivateKey, randomTestKey } from './fake-encord/ssh-keys.js';

const key = randomTestKey();
const demo = seedFromDemo({ tasks: 5, seed: 11 });
const bare = seedFromDemo({ tasks: 1, seed: 12 });
const stage = agentStages(demo.project)[0]!;
const dir = mkdtempSync(join(tmpdir(), 'encord-cli-'));
let fake: FakeEncord;
let env: NodeJS.ProcessEnv;
const noCredentials = { ENCORD_SSH_KEY_FILE: '', ENCORD_SSH_KEY: '', ENCORD_BEARER_TOKEN: '', ENCORD_DOMAIN: '' };

beforeAll(async () => {
  fake = await startFakeEncord({
    projects: [demo, { ...bare, withoutWorkflow: true }],
    publicKeys: [key.publicKeyHex],
  });
  env = { ...noCredentials, ENCORD_SSH_KEY: key.text, ENCORD_DOMAIN: fake.url };
  mkdirSync(join(dir, '.encord-rules'));
  const store = openSqliteStore(join(dir, '.encord-rules/local.db'));
  store.createProject({ project: demo.project, tasks: demo.tasks });
  store.close();
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (argv: string[], extraEnv: NodeJS.ProcessEnv = env) => runCliCaptured(argv, { env: extraEnv, cwd: dir });

describe('agent-nodes', () => {
  it('prints each agent stage like `encord-agents print agent-nodes`, with pathways', async () => {
    const r = await run(['agent-nodes', demo.project.projectHash]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `AgentStage(title="pre-label", uuid="${stage.uuid}")\n  pathway "annotate" (${stage.pathways[0]!.uuid}) -> Annotate\n`,
    );
    expect(fake.counts()['GET project']).toBeGreaterThan(0);
  });

  it('prints JSON', async () => {
    const r = await run(['agent-nodes', demo.project.projectHash, '--format', 'json']);
    expect(JSON.parse(r.stdout)).toEqual({
      project: { projectHash: demo.project.projectHash, title: demo.project.title },
      agentStages: [{ uuid: stage.uuid, title: 'pre-label', pathways: [{ ...stage.pathways[0], destinationTitle: 'Annotate' }] }],
    });
  });

  it('gives the same answer from the local store, without credentials', async () => {
    const before = fake.total();
    const r = await run(['agent-nodes', demo.project.projectHash], noCredentials);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`AgentStage(title="pre-label", uuid="${stage.uuid}")`);
    expect(fake.total()).toBe(before);
  });

  it("takes the local store's only project when none is named, and asks for one on Encord", async () => {
    const local = await run(['agent-nodes', '--backend', 'local']);
    expect(local.code).toBe(0);
    expect(local.stdout).toContain(stage.uuid);
    const encord = await run(['agent-nodes', '--backend', 'encord']);
    expect(encord.code).not.toBe(0);
    expect(encord.stderr).toMatch(/project/);
  });

  it('accepts a local project title on the local store', async () => {
    const r = await run(['agent-nodes', demo.project.title, '--backend', 'local']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(stage.uuid);
  });

  it('uses the local store when --store is given, even with credentials', async () => {
    const before = fake.total();
    expect((await run(['agent-nodes', demo.project.projectHash, '--store', '.encord-rules/local.db'])).code).toBe(0);
    expect(fake.total()).toBe(before);
  });

  it('says which variable to set for --backend encord without credentials', async () => {
    const r = await run(['agent-nodes', demo.project.projectHash, '--backend', 'encord'], noCredentials);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error encord\/no-credentials: .*set ENCORD_SSH_KEY_FILE/);
  });

  it.each([
    ['a malformed key', { ENCORD_SSH_KEY: '-----BEGIN OPENSSH PRIVATE KEY-----\nQUJD\n-----END OPENSSH PRIVATE KEY-----' }, /encord\/bad-key: ENCORD_SSH_KEY: /],
    ['a passphrase-protected key', { ENCORD_SSH_KEY: encodeOpenSshPrivateKey(key.seed, { cipher: 'aes256-ctr', kdf: 'bcrypt' }) }, /passphrase/],
    ['a missing key file', { ENCORD_SSH_KEY: '', ENCORD_SSH_KEY_FILE: join(dir, 'absent') }, /does not exist/],
    ['a key Encord does not know', { ENCORD_SSH_KEY: randomTestKey().text }, /encord\/authentication/],
  ])('fails with one clear message for %s', async (_name, extra, pattern) => {
    const r = await run(['agent-nodes', demo.project.projectHash], { ...env, ...extra });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('error')).length).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain(key.text.split('\n')[2]!.slice(0, 24));
  });

  it('fails clearly for an unknown project hash and a project without workflow', async () => {
    const unknown = await run(['agent-nodes', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/backend\/project-not-found/);
    const noWorkflow = await run(['agent-nodes', bare.project.projectHash]);
    expect(noWorkflow.code).toBe(1);
    expect(noWorkflow.stderr).toMatch(/encord\/no-workflow: .*has no workflow/);
  });

  it('runs as the built binary, warning about the key setup without printing the key', async () => {
    const keyFile = join(dir, 'id_ed25519');
    writeFileSync(keyFile, key.text);
    chmodSync(keyFile, 0o644);
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(process.cwd(), 'dist/cli/main.js'), 'agent-nodes', demo.project.projectHash, '--format', 'json'],
      { cwd: dir, env: { ...process.env, ...noCredentials, ENCORD_SSH_KEY_FILE: keyFile, ENCORD_SSH_KEY: randomTestKey().text, ENCORD_DOMAIN: fake.url } },
    );
    expect(JSON.parse(stdout).agentStages[0].uuid).toBe(stage.uuid);
    expect(stderr).toMatch(/warning: several Encord credential variables are set; using ENCORD_SSH_KEY_FILE/);
    expect(stderr).toMatch(/warning: the key file .* is readable by other users/);
    for (const line of key.text.split('\n').slice(1, -2)) expect(stderr).not.toContain(line.slice(0, 20));
  });

  it('rejects a bad --format as a usage error', async () => {
    expect((await run(['agent-nodes', demo.project.projectHash, '--format', 'xml'])).code).toBe(2);
  });
});

describe('init', () => {
  it("writes the starter for the local store's only project when none is named", async () => {
    const r = await run(['init', '--backend', 'local', '--out', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`project: ${demo.project.projectHash}`);
  });

  it('writes a starter rule file that loads without errors', async () => {
    const r = await run(['init', '--project', demo.project.projectHash, '--out', 'rules/start.yaml']);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'rules/start.yaml'), 'utf8');
    expect(text).toContain(`project: ${demo.project.projectHash}`);
    expect(text).toContain(`  pre-label:\n    # stage uuid: ${stage.uuid}`);
    expect(text).toContain(`#   - annotate (${stage.pathways[0]!.uuid}) -> Annotate`);
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*schemas\/rules\.schema\.json$/m);
    const parsed = parseRuleFile('start.yaml', text);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses to overwrite without --force, and replaces with it', async () => {
    writeFileSync(join(dir, 'keep.yaml'), 'mine\n');
    const refused = await run(['init', '--project', demo.project.projectHash, '--out', 'keep.yaml']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cli\/file-exists: keep.yaml already exists/);
    expect(readFileSync(join(dir, 'keep.yaml'), 'utf8')).toBe('mine\n');
    expect((await run(['init', '--project', demo.project.projectHash, '--out', 'keep.yaml', '--force'])).code).toBe(0);
    expect(readFileSync(join(dir, 'keep.yaml'), 'utf8')).toContain('version: 1');
  });

  it('adds a default route and works on the local store', async () => {
    const r = await run(['init', '--project', demo.project.projectHash, '--route', 'annotate', '--out', '-'], noCredentials);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('    default:\n      route: annotate\n');
    expect(parseRuleFile('x.yaml', r.stdout).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it.each([
    ['a non-agent stage', ['--stage', 'Annotate'], /rule\/not-agent-stage: stage "Annotate" is not an agent stage \(its type is ANNOTATION\)/],
    ['an unknown stage', ['--stage', 'nope'], /rule\/unknown-stage/],
    ['an unknown pathway', ['--route', 'approve'], /rule\/unknown-pathway: agent stage "pre-label" has no pathway "approve"/],
    ['a wrong project hash', ['--project', '11111111-1111-4111-8111-111111111111'], /backend\/project-not-found/],
  ])('writes nothing for %s', async (_name, args, pattern) => {
    const argv = ['init', '--out', 'never.yaml', ...(args.includes('--project') ? [] : ['--project', demo.project.projectHash]), ...args];
    const r = await run(argv);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(pattern);
    expect(existsSync(join(dir, 'never.yaml'))).toBe(false);
  });
});
