/**
 * The runner end to end: `apply rules/london-priority.yaml` over demo stores of 10k, 100k and
 * 1M tasks (each job in its own process, for its own peak RSS), beside same-run baselines on
 * identical copies of the 100k store: bare SQLite updates in the same batches (the floor), a
 * naive loop (parse every row, call jsonata per task), and that loop writing the audit lines
 * apply writes. Then rule evaluation alone: the compiled stage handler (as the runner calls it,
 * and through its async entry) against a hand-written JS function.
 * ENCORD_RULES_BENCH_SIZES=10000,100000 narrows the sizes.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamDemoProjectInput } from '../src/demo/index.js';
import { openSqliteStore } from '../src/backends/sqlite/index.js';
import { buildTaskDocument, compileRuleFile } from '../src/compile/index.js';
import type { TaskRecord } from '../src/model/index.js';
import { loadRuleFiles } from '../src/rules/index.js';
import type { BenchResult } from './types.js';

const RULES = 'rules/london-priority.yaml';
/** The same rule without the route: nothing leaves the stage (memory must stay flat anyway). */
const STAY_RULES = 'bench/priority-only.yaml';
const BATCH = '500';

interface ChildResult {
  tasks: number;
  elapsedMs: number;
  maxRssMb: number;
}

function createStore(dir: string, tasks: number): string {
  const path = join(dir, `template-${tasks}.db`);
  const store = openSqliteStore(path);
  try {
    store.createProject(streamDemoProjectInput({ tasks, seed: 1 }));
  } finally {
    store.close();
  }
  return path;
}

function copyStore(template: string, name: string): string {
  const path = template.replace(/template-(\d+)\.db$/, `${name}-$1.db`);
  copyFileSync(template, path);
  return path;
}

function runChild(args: string[]): ChildResult {
  const out = execFileSync(process.execPath, ['bench/runner-child.mjs', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

function rate(result: ChildResult): number {
  return result.tasks / (result.elapsedMs / 1000);
}

async function benchEvaluation(): Promise<BenchResult[]> {
  const loaded = await loadRuleFiles([RULES]);
  const handler = compileRuleFile(loaded.files[0]!).handlers[0]!;
  const ontology = { objects: [], classifications: [] };
  const context = { params: {}, now: new Date(), ontology };
  const titles = ['street_london_0001.jpg', 'img_0002_Paris.jpeg', 'LONDON-dashcam-0003.png', 'oslo_0004.jpg'];
  const documents = Array.from({ length: 200_000 }, (_, i) =>
    buildTaskDocument({ task: { dataTitle: titles[i % 4]! }, metadata: { data_title: titles[i % 4]!, priority: 0.5 } } as unknown as TaskRecord),
  );
  const handWritten = (d: Record<string, unknown>): number => (String(d.data_title).toLowerCase().includes('london') ? 1 : 0);
  let sink = 0;
  const startedJs = performance.now();
  for (const d of documents) sink += handWritten(d);
  const jsRate = documents.length / ((performance.now() - startedJs) / 1000);
  if (!handler.evaluateSync) throw new Error('the london stage is expected on the fast path');
  const startedSync = performance.now();
  for (const d of documents) {
    const evaluation = handler.evaluateSync(d, context);
    if (evaluation.ok) sink += evaluation.decision.priority?.value ?? 0;
  }
  const syncRate = documents.length / ((performance.now() - startedSync) / 1000);
  const started = performance.now();
  for (const d of documents) {
    const evaluation = await handler.evaluate(d, context);
    if (evaluation.ok) sink += evaluation.decision.priority?.value ?? 0;
  }
  const asyncRate = documents.length / ((performance.now() - started) / 1000);
  return [
    {
      name: 'rule evaluation (london stage handler, evaluateSync as the runner calls it)',
      value: syncRate,
      unit: 'tasks/s',
      baseline: { name: 'hand-written JS function', value: jsRate },
      note: `checksum ${sink}`,
    },
    {
      name: 'rule evaluation (london stage handler, async evaluate)',
      value: asyncRate,
      unit: 'tasks/s',
      baseline: { name: 'evaluateSync', value: syncRate },
    },
  ];
}

/** The child runs the built CLI: build it from the current sources first. */
function buildDist(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}

export async function run(): Promise<BenchResult[]> {
  buildDist();
  const sizes = (process.env.ENCORD_RULES_BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'runner-bench-'));
  const results: BenchResult[] = [];
  try {
    let floor: ChildResult | undefined;
    let naive: ChildResult | undefined;
    let naiveAudited: ChildResult | undefined;
    for (const size of sizes) {
      const template = createStore(dir, size);
      if (size === 100_000) {
        floor = runChild(['floor', copyStore(template, 'floor'), BATCH]);
        naive = runChild(['naive', copyStore(template, 'naive'), BATCH]);
        naiveAudited = runChild(['naive-audited', copyStore(template, 'naive-audited'), BATCH]);
      }
      const applied = runChild(['apply', copyStore(template, 'apply'), RULES, BATCH]);
      if (applied.tasks !== size) throw new Error(`apply saw ${applied.tasks} of ${size} tasks`);
      const result: BenchResult = {
        name: `apply london-priority, ${size.toLocaleString('en')} tasks`,
        value: rate(applied),
        unit: 'tasks/s',
        note: `peak RSS ${applied.maxRssMb.toFixed(0)} MB, ${(applied.elapsedMs / 1000).toFixed(2)} s (batch ${BATCH}, audit log on)`,
      };
      if (floor && size === 100_000) result.baseline = { name: 'bare SQLite update, same batches (floor)', value: rate(floor) };
      results.push(result);
      rmSync(template.replace('template', 'apply'), { force: true });
      if (size === Math.max(...sizes)) {
        const stayed = runChild(['apply', copyStore(template, 'stay'), STAY_RULES, BATCH]);
        if (stayed.tasks !== size) throw new Error(`apply (priority only) saw ${stayed.tasks} of ${size} tasks`);
        results.push({
          name: `apply priority only (every task stays in the stage), ${size.toLocaleString('en')} tasks`,
          value: rate(stayed),
          unit: 'tasks/s',
          note: `peak RSS ${stayed.maxRssMb.toFixed(0)} MB, ${(stayed.elapsedMs / 1000).toFixed(2)} s`,
        });
        rmSync(template.replace('template', 'stay'), { force: true });
      }
    }
    if (floor) results.push({ name: 'bare SQLite update (floor), 100,000 tasks', value: rate(floor), unit: 'tasks/s', note: `peak RSS ${floor.maxRssMb.toFixed(0)} MB` });
    const apply100k = results.find((r) => r.name.startsWith('apply london-priority, 100,000'));
    const againstApply = (name: string, child: ChildResult): BenchResult => ({
      name,
      value: rate(child),
      unit: 'tasks/s',
      ...(apply100k ? { baseline: { name: 'apply (above)', value: apply100k.value } } : {}),
      note: `peak RSS ${child.maxRssMb.toFixed(0)} MB`,
    });
    if (naive) results.push(againstApply('naive loop (parse row + jsonata per task), 100,000 tasks', naive));
    if (naiveAudited) results.push(againstApply('naive loop writing the same audit lines, 100,000 tasks', naiveAudited));
    results.push(...(await benchEvaluation()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
