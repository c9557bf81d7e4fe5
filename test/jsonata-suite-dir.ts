/**
 * Where JSONata's language-neutral test suite lives: JSONATA_SUITE_DIR, else `shared/` beside
 * the repository (as laid out for developers and CI), else the session's absolute path.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function findJsonataSuiteDir(): string {
  const candidates = [
    process.env.JSONATA_SUITE_DIR,
    join(repoRoot, '..', 'shared', 'jsonata-suite'),
    '/work/shared/jsonata-suite',
  ].filter((c): c is string => Boolean(c));
  const found = candidates.find((c) => existsSync(join(c, 'groups')));
  // In CI the suite must be there: a silently skipped conformance suite proves nothing.
  if (!found && process.env.CI) throw new Error(`JSONata test suite not found; looked in ${candidates.join(', ')}`);
  return found ?? candidates[candidates.length - 1]!;
}

export const JSONATA_SUITE_DIR = findJsonataSuiteDir();
