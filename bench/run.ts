/**
 * `npm run bench [-- name-filter]`: runs every bench/*.bench.ts in turn and prints each figure
 * beside its same-run baseline as a ratio. Figures are for tracking, not pass/fail.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { BenchResult } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

function formatNumber(value: number): string {
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

function formatResult(r: BenchResult): string {
  let line = `  ${r.name}: ${formatNumber(r.value)} ${r.unit}`;
  if (r.baseline) {
    const ratio = r.baseline.value === 0 ? Infinity : r.value / r.baseline.value;
    line += `  (baseline ${r.baseline.name}: ${formatNumber(r.baseline.value)} ${r.unit}; ratio ${ratio.toFixed(2)}x)`;
  }
  if (r.note) line += `\n      ${r.note}`;
  return line;
}

let failed = false;
for (const file of files) {
  console.log(`\n## ${file.replace(/\.bench\.ts$/, '')}`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { run(): Promise<BenchResult[]> };
    for (const result of await mod.run()) console.log(formatResult(result));
  } catch (error) {
    failed = true;
    console.log(`  failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exitCode = failed ? 1 : 0;
