import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuleFiles } from './load.js';
import { MAX_RULE_FILE_BYTES } from '../yaml/source-text.js';

const GOOD = 'version: 1\nstages:\n  s:\n    default: { route: a }\n';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rules-load-'));
  mkdirSync(join(dir, 'rules/nested/deeper'), { recursive: true });
  mkdirSync(join(dir, 'rules/.hidden'));
  mkdirSync(join(dir, 'rules/node_modules'));
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'rules/b.yaml'), GOOD);
  writeFileSync(join(dir, 'rules/a.yml'), GOOD);
  writeFileSync(join(dir, 'rules/notes.txt'), 'not a rule file');
  writeFileSync(join(dir, 'rules/b.test.yaml'), 'a test file for encord-rules test');
  writeFileSync(join(dir, 'rules/nested/deeper/c.YAML'), GOOD);
  writeFileSync(join(dir, 'rules/nested/bad.yaml'), 'version: 1\nstages:\n  s:\n    match: most\n    default: { route: a }\n');
  writeFileSync(join(dir, 'rules/.hidden/h.yaml'), GOOD);
  writeFileSync(join(dir, 'rules/node_modules/m.yaml'), GOOD);
  writeFileSync(join(dir, 'big.yaml'), Buffer.alloc(MAX_RULE_FILE_BYTES + 10, 0x20));
  symlinkSync(join(dir, 'rules'), join(dir, 'rules/nested/loop'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadRuleFiles', () => {
  it('finds *.yaml and *.yml recursively, sorted, skipping test files, hidden folders, node_modules and symlinked folders', async () => {
    const loaded = await loadRuleFiles(['rules'], { cwd: dir });
    expect(loaded.paths).toEqual(['rules/a.yml', 'rules/b.yaml', 'rules/nested/bad.yaml', 'rules/nested/deeper/c.YAML']);
    expect(loaded.files.map((f) => f.path)).toEqual(['rules/a.yml', 'rules/b.yaml', 'rules/nested/deeper/c.YAML']);
    expect(loaded.partials.map((f) => f.path)).toEqual(['rules/nested/bad.yaml']);
    expect(loaded.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual(['rules/nested/bad.yaml:4:12 schema/enum']);
  });

  it('reads a file named directly or twice only once', async () => {
    const loaded = await loadRuleFiles(['rules/b.yaml', join(dir, 'rules/a.yml'), 'rules/b.yaml'], { cwd: dir });
    expect(loaded.paths).toEqual(['rules/b.yaml', join(dir, 'rules/a.yml')]);
    expect(loaded.files).toHaveLength(2);
  });

  it('reports missing paths, empty folders and oversized files without throwing', async () => {
    const loaded = await loadRuleFiles(['missing.yaml', 'empty', 'big.yaml'], { cwd: dir });
    expect(loaded.files).toEqual([]);
    expect(loaded.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual([
      'missing.yaml:1:1 rule/file-not-found',
      'empty:1:1 rule/no-rule-files',
      'big.yaml:1:1 yaml/file-too-large',
    ]);
  });
});
