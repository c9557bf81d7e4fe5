/**
 * The YAML samples as a table: every *.bad.yaml states its fault(s) in `# expect: <code>
 * <line>:<col>` comments, and must report exactly those (errors and warnings) through the
 * real loader and compiler; every *.good.yaml and every example in rules/ must be clean.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRuleFile } from '../../src/compile/index.js';
import { parseRuleFile } from '../../src/rules/parse.js';

const SAMPLES = 'test/rules';
const EXAMPLES = 'rules';

function yamlFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix) && !f.endsWith('.test.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/** `code line:col` for every error and warning, from all three layers. */
function reported(path: string): string[] {
  const parsed = parseRuleFile(path, readFileSync(path));
  const file = parsed.file ?? parsed.partial;
  const compiled = file ? compileRuleFile(file).diagnostics : [];
  return [...parsed.diagnostics, ...compiled]
    .filter((d) => d.severity !== 'info')
    .map((d) => `${d.code} ${d.line}:${d.col}`)
    .sort();
}

function expected(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^# expect: (\S+) (\d+:\d+)$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
}

describe('bad samples report their fault at its place', () => {
  const files = yamlFiles(SAMPLES, '.bad.yaml');
  it('has samples, each stating what it expects', () => {
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect(expected(f), f).not.toEqual([]);
  });
  it.each(files)('%s', (path) => {
    expect(reported(path)).toEqual(expected(path));
  });
});

describe('good samples and the examples are clean', () => {
  const files = [...yamlFiles(SAMPLES, '.good.yaml'), ...yamlFiles(EXAMPLES, '.yaml')];
  it.each(files)('%s', (path) => {
    const parsed = parseRuleFile(path, readFileSync(path));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.file).toBeDefined();
    expect(compileRuleFile(parsed.file!).diagnostics).toEqual([]);
  });
});
