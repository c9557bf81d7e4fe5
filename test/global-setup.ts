import { execFileSync } from 'node:child_process';

/** Build dist/ once so the tests that run the real binary see the current sources. */
export default function buildOnce(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
