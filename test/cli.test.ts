import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from './cli-helpers.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

describe('encord-rules CLI', () => {
  it('prints its version in-process', async () => {
    const result = await runCliCaptured(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 on an unknown command, without a stack trace', async () => {
    const result = await runCliCaptured(['no-such-command']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs as the built binary', () => {
    const out = execFileSync(process.execPath, ['dist/cli/main.js', '--version'], { encoding: 'utf8' });
    expect(out.trim()).toBe(pkg.version);
  });
});
