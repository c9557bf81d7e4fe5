/** The shared Backend contract against EncordBackend talking to the fake Encord. */
import { EncordBackend } from '../../src/backends/encord/encord-backend.js';
import { parseOpenSshPrivateKey } from '../../src/backends/encord/ssh-key.js';
import { describeBackendContract } from '../backend-contract.js';
import { startFakeEncord } from './server.js';
import { randomTestKey } from './ssh-keys.js';

const key = randomTestKey();
const signingKey = parseOpenSshPrivateKey(key.text);

for (const style of ['camel', 'snake'] as const) {
  describeBackendContract(`encord (fake server, ${style} case)`, async (demo) => {
    const fake = await startFakeEncord({ projects: [demo], publicKeys: [key.publicKeyHex], style, pageSize: 25 });
    const backend = new EncordBackend({ domain: fake.url, credentials: { kind: 'ssh', key: signingKey, source: 'ENCORD_SSH_KEY' } });
    return {
      backend,
      projectHash: demo.project.projectHash,
      cleanup: async () => {
        await backend.close();
        await fake.close();
      },
    };
  });
}

describeBackendContract('encord (fake server, bearer token)', async (demo) => {
  const fake = await startFakeEncord({ projects: [demo], bearerTokens: ['token-abc'] });
  const backend = new EncordBackend({ domain: fake.url, credentials: { kind: 'bearer', token: 'token-abc' } });
  return {
    backend,
    projectHash: demo.project.projectHash,
    cleanup: async () => {
      await backend.close();
      await fake.close();
    },
  };
});
