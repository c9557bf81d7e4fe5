/** `apply` against the fake Encord: the same final state as on the local store, over HTTP. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentStages } from '../../src/model/index.js';
import { runCliCaptured } from '../cli-helpers.js';
import { seedFromDemo } from '../fake-encord/seed.js';
import { startFakeEncord, type FakeEncord } from '../fake-encord/server.js';
import { randomTestKey } from '../fake-encord/ssh-keys.js';
import { LONDON_RULES, REPO } from './store-helpers.js';

const key = randomTestKey();
const demo = seedFromDemo({ tasks: 230, seed: 21 });
const stage = agentStages(demo.project)[0]!;
const dir = mkdtempSync(join(tmpdir(), 'encord-apply-'));
let fake: FakeEncord;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  // Offset page tokens: the runner must still reach every task while earlier ones move out.
  fake = await startFakeEncord({ projects: [demo], publicKeys: [key.publicKeyHex], pagination: 'offset' });
  env = { ENCORD_SSH_KEY_FILE: '', ENCORD_BEARER_TOKEN: '', ENCORD_SSH_KEY: key.text, ENCORD_DOMAIN: fake.url };
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('apply on Encord', () => {
  it('applies the london rule to every task: priorities, then moves, in bulk calls', async () => {
    const result = await runCliCaptured(['apply', resolve(REPO, LONDON_RULES), '--project', demo.project.projectHash, '--batch-size', '50'], { env, cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/230 tasks seen, 230 changed, moved 230 \(annotate 230\)/);
    const state = fake.state(demo.project.projectHash);
    for (const { task } of demo.tasks) {
      expect(state.stageOf(task.uuid)).toBe(stage.pathways[0]!.destinationUuid);
      expect(state.metadataFor(task.dataHash)?.priority).toBe(task.dataTitle.toLowerCase().includes('london') ? 1 : 0);
    }
    const counts = fake.counts();
    // Bulk: one priorities call and one actions call per batch of 50, not per task.
    expect(counts['POST actions']).toBeLessThanOrEqual(5);
    expect(counts['POST priorities']).toBeLessThanOrEqual(5);
  });
});
