/** An EncordBackend wired to a fresh fake Encord seeded with the demo project: for tests and benches. */
import { EncordBackend } from '../../src/backends/encord/encord-backend.js';
import type { EncordHttpOptions, HttpLogEvent } from '../../src/backends/encord/http-client.js';
import { parseOpenSshPrivateKey } from '../../src/backends/encord/ssh-key.js';
import type { Clock } from '../../src/backends/encord/rate-limiter.js';
import type { Project } from '../../src/model/index.js';
import { seedFromDemo } from './seed.js';
import { startFakeEncord, type FakeEncord } from './server.js';
import { randomTestKey, type TestKey } from './ssh-keys.js';
import type { SeedTask } from './state.js';
import type { KeyStyle } from './wire.js';

export interface EncordFixture {
  fake: FakeEncord;
  backend: EncordBackend;
  project: Project;
  tasks: SeedTask[];
  key: TestKey;
  /** Sleeps the client asked for (retry delays, rate limiting), in ms. */
  sleeps: number[];
  logs: HttpLogEvent[];
  close(): Promise<void>;
}

export interface FixtureOptions {
  tasks?: number;
  seed?: number;
  style?: KeyStyle;
  pageSize?: number;
  withoutWorkflow?: boolean;
  gzip?: boolean;
  pagination?: 'keyset' | 'offset';
  client?: Partial<EncordHttpOptions>;
}

/** Retry sleeps resolve at once (recorded), so fault tests stay fast and can check the delays. */
export function recordingClock(sleeps: number[]): Clock {
  return {
    now: () => Date.now(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

export async function startEncordFixture(options: FixtureOptions = {}): Promise<EncordFixture> {
  const { project, tasks } = seedFromDemo({ tasks: options.tasks ?? 20, seed: options.seed ?? 7 });
  const key = randomTestKey();
  const fake = await startFakeEncord({
    projects: [{ project, tasks, withoutWorkflow: options.withoutWorkflow ?? false }],
    publicKeys: [key.publicKeyHex],
    style: options.style ?? 'camel',
    pageSize: options.pageSize ?? 100,
    gzip: options.gzip ?? false,
    pagination: options.pagination ?? 'keyset',
  });
  const sleeps: number[] = [];
  const logs: HttpLogEvent[] = [];
  const backend = new EncordBackend({
    domain: fake.url,
    credentials: { kind: 'ssh', key: parseOpenSshPrivateKey(key.text), source: 'ENCORD_SSH_KEY' },
    timeoutMs: 2000,
    clock: recordingClock(sleeps),
    log: (e) => logs.push(e),
    ...options.client,
  });
  return {
    fake,
    backend,
    project,
    tasks,
    key,
    sleeps,
    logs,
    close: async () => {
      await backend.close();
      await fake.close();
    },
  };
}
