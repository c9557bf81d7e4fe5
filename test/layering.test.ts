/**
 * The layering of src/, as docs/architecture.md's table states it: each folder imports only
 * the folders its "May import" cell names (the table is read from the doc, so the doc and the
 * code cannot drift). Plus the rules STYLE singles out: the runner reaches rules/ only through
 * compile and reads no rule files itself; compile, tests included, imports no backend; nothing
 * under src/ imports test/. A new import that breaks these fails here, naming the file and the import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
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

  it('every import under src/ is one docs/architecture.md allows', () => {
    const table = readArchitectureTable();
    expect(table.size).toBeGreaterThan(10);
    const found: string[] = [];
    for (const path of listTs(SRC)) {
      const from = roomOf(relative(SRC, path).split('\\').join('/'), table);
      const isTest = path.endsWith('.test.ts') || path.endsWith('test-support.ts');
      for (const spec of importsOf(path).filter((s) => s.startsWith('.'))) {
        const target = posix.normalize(posix.join(posix.dirname(relative(SRC, path).split('\\').join('/')), spec)).replace(/\.js$/, '.ts');
        if (target.startsWith('..')) continue; // outside src/: schemas, package.json
        const to = roomOf(target, table);
        if (from === undefined) found.push(`${relative(process.cwd(), path)}: its folder has no row in docs/architecture.md`);
        else if (!isAllowed(table, from, to, target, isTest)) found.push(`${relative(process.cwd(), path)}: ${spec} (${from} may not import ${to ?? target})`);
      }
    }
    expect(found).toEqual([]);
  });

  it('the architecture check catches a forbidden import (the check itself works)', () => {
    const table = readArchitectureTable();
    expect(isAllowed(table, 'runner/', 'rules/', 'rules/parse.ts', false)).toBe(false);
    expect(isAllowed(table, 'backends/sqlite/', 'demo/', 'demo/index.ts', false)).toBe(false);
    expect(isAllowed(table, 'backends/sqlite/', 'demo/', 'demo/index.ts', true)).toBe(true);
    expect(isAllowed(table, 'index.ts', 'cli/', 'cli/main.ts', false)).toBe(false);
    expect(isAllowed(table, 'runner/', 'backends/sqlite/', 'backends/sqlite/store.ts', false)).toBe(false);
    expect(isAllowed(table, 'runner/', 'backends/backend.ts', 'backends/backend.ts', false)).toBe(true);
  });
});

interface Row {
  any: boolean;
  except: string[];
  allowed: string[];
}

/** The folders table of docs/architecture.md: folder → what it may import. */
function readArchitectureTable(): Map<string, Row> {
  const text = readFileSync(join(dirname(SRC), 'docs/architecture.md'), 'utf8');
  const rows = new Map<string, Row>();
  for (const line of text.split('\n')) {
    const cells = line.split(' | ');
    const name = /^\| `([^`]+)`$/.exec(cells[0] ?? '')?.[1];
    const mayImport = cells[2]?.replace(/\s*\|\s*$/, '');
    if (!name || mayImport === undefined) continue;
    const names = [...mayImport.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const any = mayImport.startsWith('any folder');
    rows.set(name, { any, except: any ? names : [], allowed: any ? [] : names });
  }
  return rows;
}

/** The table row a src/-relative path belongs to: a file's own row, else its folder's (backends/ by its subfolder or file). */
function roomOf(path: string, table: ReadonlyMap<string, Row>): string | undefined {
  if (table.has(path)) return path;
  const parts = path.split('/');
  const room = parts.length === 1 ? parts[0]! : parts[0] === 'backends' ? (parts.length === 2 ? path : `backends/${parts[1]}/`) : `${parts[0]}/`;
  return table.has(room) ? room : undefined;
}

function isAllowed(table: ReadonlyMap<string, Row>, from: string, to: string | undefined, target: string, isTest: boolean): boolean {
  if (to === from) return true;
  const row = table.get(from);
  if (!row || to === undefined) return false;
  if (isTest && (to === 'demo/' || to === 'util/' || target.endsWith('test-support.ts'))) return true;
  if (row.any) return !row.except.includes(to);
  // A file's own row (the demo-insert worker) may import its folder's siblings when its row names that folder.
  return row.allowed.includes(to) || row.allowed.some((a) => a.endsWith('/') && target.startsWith(a));
}
