/**
 * The JSONata fast path (src/compile/fast) against jsonata 2.2.2 and hand-written JS, same run:
 * evaluations per second of typical rule conditions over a pool of task documents.
 * jsonata runs as the runner configures it (timeout + stack guardrails and a size-guard exit
 * hook); the fast path gets the same exit hook, as the runner should pass it.
 */
import jsonata from 'jsonata';
import { compileFastPath } from '../src/compile/fast/index.js';
import type { BenchResult } from './types.js';

interface Condition {
  name: string;
  expression: string;
  handWritten: (doc: Record<string, any>, params: Record<string, any>) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const CONDITIONS: Condition[] = [
  {
    name: 'london',
    expression: '$contains($lowercase(data_title), "london")',
    handWritten: (doc) => (typeof doc.data_title === 'string' ? doc.data_title.toLowerCase().includes('london') : undefined),
  },
  {
    name: 'priority-and-status',
    expression: 'priority >= $params.threshold and label_status in ["NOT_LABELLED", "LABEL_IN_PROGRESS"]',
    handWritten: (doc, params) =>
      doc.priority >= params.threshold && (doc.label_status === 'NOT_LABELLED' || doc.label_status === 'LABEL_IN_PROGRESS'),
  },
  {
    name: 'metadata-region-tags',
    expression: 'client_metadata.region = $params.region and $count(client_metadata.tags) > 1',
    handWritten: (doc, params) => doc.client_metadata?.region === params.region && (doc.client_metadata?.tags?.length ?? 0) > 1,
  },
  {
    name: 'items-sum',
    expression: '$sum(client_metadata.items[qty > 0].price) > 50',
    handWritten: (doc) => {
      let total = 0;
      for (const item of doc.client_metadata?.items ?? []) if (item.qty > 0) total += item.price;
      return total > 50;
    },
  },
];

const TITLES = ['London_bridge_001.mp4', 'paris_street_12.png', 'LONDON eye', 'berlin-night.jpg', 'clip_0042'];
const STATUSES = ['NOT_LABELLED', 'LABEL_IN_PROGRESS', 'LABELLED'];

function createDocuments(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    data_title: TITLES[i % TITLES.length],
    data_type: 'image',
    priority: (i % 10) / 10,
    label_status: STATUSES[i % STATUSES.length],
    client_metadata: {
      region: i % 3 === 0 ? 'eu' : 'us',
      tags: ['a', 'b', 'c'].slice(0, i % 4),
      items: [{ price: 20 + (i % 7), qty: i % 3 }, { price: 35, qty: 1 }],
    },
    width: 1920,
    height: 1080,
  }));
}

/** Like the runner's size guard: a check on every node's result. */
function sizeGuard(node: { position?: number }, _input: unknown, _env: unknown, result: unknown): void {
  if (typeof result === 'string' && result.length > 1_000_000) throw { code: 'guard/size', position: node.position };
  if (Array.isArray(result) && result.length > 100_000) throw { code: 'guard/size', position: node.position };
}

const MEASURE_MS = 400;

function measureSync(evaluate: (doc: Record<string, unknown>) => unknown, documents: Record<string, unknown>[]): number {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) if (evaluate(documents[i % documents.length] as Record<string, unknown>)) sink++;
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 10_000; i++) if (evaluate(documents[(count + i) % documents.length] as Record<string, unknown>)) sink++;
    count += 10_000;
    elapsed = performance.now() - start;
  } while (elapsed < MEASURE_MS);
  if (sink < 0) console.log(sink);
  return count / (elapsed / 1000);
}

async function measureAsync(
  evaluate: (doc: Record<string, unknown>) => Promise<unknown>,
  documents: Record<string, unknown>[],
): Promise<number> {
  for (let i = 0; i < 2_000; i++) await evaluate(documents[i % documents.length] as Record<string, unknown>);
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 1_000; i++) await evaluate(documents[(count + i) % documents.length] as Record<string, unknown>);
    count += 1_000;
    elapsed = performance.now() - start;
  } while (elapsed < MEASURE_MS);
  return count / (elapsed / 1000);
}

async function benchCondition(condition: Condition, documents: Record<string, unknown>[]): Promise<BenchResult[]> {
  const params = { threshold: 0.5, region: 'eu' };
  const bindings = { params };
  // The runner's guardrails cost the same whatever the limit; a long timeout keeps a GC pause on
  // a loaded machine from failing the run (the runner uses 100 ms).
  const guarded = jsonata(condition.expression, { timeout: 60_000, stack: 500 } as jsonata.JsonataOptions);
  guarded.assign(Symbol.for('jsonata.__evaluate_exit') as unknown as string, sizeGuard);
  const fast = compileFastPath(guarded.ast(), { evaluateExit: sizeGuard });
  const unhooked = compileFastPath(guarded.ast());
  if (fast === undefined || unhooked === undefined) throw new Error(`not in the fast-path subset: ${condition.expression}`);
  const jsonataRate = await measureAsync((doc) => guarded.evaluate(doc, bindings), documents);
  const fastRate = measureSync((doc) => fast(doc, bindings), documents);
  const unhookedRate = measureSync((doc) => unhooked(doc, bindings), documents);
  const handRate = measureSync((doc) => condition.handWritten(doc, params), documents);
  const unit = 'evaluations/s';
  const name = `${condition.name}: fast path`;
  return [
    { name, value: fastRate, unit, baseline: { name: 'jsonata 2.2.2 with guardrails', value: jsonataRate }, note: condition.expression },
    { name, value: fastRate, unit, baseline: { name: 'hand-written JS', value: handRate } },
    { name: `${name} without exit hook`, value: unhookedRate, unit, baseline: { name: 'hand-written JS', value: handRate } },
  ];
}

export async function run(): Promise<BenchResult[]> {
  const documents = createDocuments(256);
  const results: BenchResult[] = [];
  for (const condition of CONDITIONS) results.push(...(await benchCondition(condition, documents)));
  return results;
}
