/**
 * Rule file loading: parseRuleFile (YAML with positions, schema, conversion, checks) on the
 * example files, against yaml's plain `parse` of the same text as the baseline, and the
 * cost of a large (near 1 MiB cap) file.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseRuleFile } from '../src/rules/parse.js';
import type { BenchResult } from './types.js';

function perCall(fn: () => void, minMs = 300): number {
  for (let i = 0; i < 5; i += 1) fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    n += 1;
  }
  return (performance.now() - start) / n;
}

export async function run(): Promise<BenchResult[]> {
  const example = readFileSync('rules/weather-triage.yaml', 'utf8');
  const parseMs = perCall(() => parseRuleFile('rules/weather-triage.yaml', example));
  const baselineMs = perCall(() => parse(example));
  const rules = Array.from({ length: 2000 }, (_, i) => `      - name: r${i}\n        when: '$contains(data_title, "city${i}")'\n        priority: 0.5\n        route: annotate`);
  const large = `version: 1\nstages:\n  pre-label:\n    rules:\n${rules.join('\n')}\n`;
  const largeMs = perCall(() => parseRuleFile('large.yaml', large), 1000);
  const largeBaselineMs = perCall(() => parse(large), 1000);
  return [
    { name: 'parseRuleFile weather-triage.yaml', value: parseMs, unit: 'ms', baseline: { name: 'yaml.parse', value: baselineMs } },
    {
      name: `parseRuleFile 2,000 rules (${Math.round(large.length / 1024)} KiB)`,
      value: largeMs,
      unit: 'ms',
      baseline: { name: 'yaml.parse', value: largeBaselineMs },
      note: 'positions, schema errors, conversion and checks on top of the YAML parse',
    },
  ];
}
