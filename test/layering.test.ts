/**
 * STYLE's layout, the parts we hold to: the runner reaches rules/ only through compile
 * (runner → compile → rules) and reads no rule files itself; compile, tests included, imports
 * no backend. A new import that breaks this fails here, naming the file and the import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(process.cwd(), 'src');

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTs(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every `from '…'` specifier of a file's import and export statements. */
function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gm)].map((m) => m[1]!);
}

function violations(dir: string, forbidden: RegExp, options: { tests: boolean }): string[] {
  return listTs(join(SRC, dir))
    .filter((path) => options.tests || !path.endsWith('.test.ts'))
    .flatMap((path) => importsOf(path).filter((spec) => forbidden.test(spec)).map((spec) => `${relative(process.cwd(), path)}: ${spec}`));
}

describe('layering', () => {
  it('finds imports (the check itself works)', () => {
    expect(importsOf(join(SRC, 'runner/prepare.ts'))).toContain('../compile/index.js');
  });

  it('runner imports nothing from rules/ (it reaches rules through compile)', () => {
    expect(violations('runner', /(^|\/)rules\//, { tests: false })).toEqual([]);
  });

  it('runner imports neither cli/ nor rule-tests/', () => {
    expect(violations('runner', /(^|\/)(cli|rule-tests)\//, { tests: false })).toEqual([]);
  });

  it('compile imports no backend, runner or cli, not even in its tests', () => {
    expect(violations('compile', /(^|\/)(backends|runner|cli)\//, { tests: true })).toEqual([]);
  });

  it('no file under src/ imports from test/ (src/ tests included)', () => {
    expect(violations('.', /(^|\/)test\//, { tests: true })).toEqual([]);
  });

  it('only tests import the test-support modules (they are left out of dist/)', () => {
    expect(violations('.', /(^|\/)test-support\.js$/, { tests: false }).filter((v) => !/test-support\.ts:/.test(v))).toEqual([]);
  });
});
