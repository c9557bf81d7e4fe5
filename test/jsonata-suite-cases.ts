/**
 * The cases of JSONata's language-neutral test suite (shared/jsonata-suite), as written: each
 * with its group, id, expression text and input data resolved (inline `data` or a `dataset`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSONATA_SUITE_DIR } from './jsonata-suite-dir.js';

export interface RawSuiteCase {
  /** `group/file.json`, with `#index` when the file holds several cases. */
  id: string;
  group: string;
  expr: string;
  /** The input: `data`, else the named dataset, else undefined. */
  data: unknown;
  bindings: Record<string, unknown>;
  /** The case as written (result, code, error, timelimit, depth, unordered, token…). */
  raw: Record<string, unknown>;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function loadSuiteCases(suiteDir = JSONATA_SUITE_DIR): RawSuiteCase[] {
  const groupsDir = join(suiteDir, 'groups');
  const datasets = new Map<string, unknown>();
  const dataset = (name: string): unknown => {
    if (!datasets.has(name)) datasets.set(name, readJson(join(suiteDir, 'datasets', `${name}.json`)));
    return datasets.get(name);
  };
  const cases: RawSuiteCase[] = [];
  for (const group of readdirSync(groupsDir).sort()) {
    for (const file of readdirSync(join(groupsDir, group)).filter((f) => f.endsWith('.json')).sort()) {
      const content = readJson(join(groupsDir, group, file)) as Record<string, unknown> | Record<string, unknown>[];
      const list = Array.isArray(content) ? content : [content];
      list.forEach((raw, index) => {
        const expr = typeof raw['expr-file'] === 'string' ? readFileSync(join(groupsDir, group, raw['expr-file']), 'utf8') : String(raw.expr);
        const data = 'data' in raw ? raw.data : typeof raw.dataset === 'string' ? dataset(raw.dataset) : undefined;
        cases.push({
          id: `${group}/${file}${Array.isArray(content) ? `#${index}` : ''}`,
          group,
          expr,
          data,
          bindings: (raw.bindings as Record<string, unknown> | undefined) ?? {},
          raw,
        });
      });
    }
  }
  return cases;
}
