/**
 * Differential test: realistic rule conditions over seeded random Encord-like task documents,
 * evaluated by the fast path and by jsonata 2.2.2; results, error codes, tokens, positions and
 * messages must agree.
 */
import { isDeepStrictEqual } from 'node:util';
import jsonata from 'jsonata';
import { SeededRandom } from '../../util/random.js';
import { describe, expect, it } from 'vitest';
import { compileFastPath } from './index.js';

/** The corpus: every expression here must be inside the fast-path subset. */
export const RULE_CONDITIONS = [
  '$contains($lowercase(data_title), "london")',
  '$contains(data_title, "London") or $contains(data_title, "Paris")',
  'priority > 0.5',
  'priority >= $params.threshold and label_status = "NOT_LABELLED"',
  'label_status in ["NOT_LABELLED", "LABEL_IN_PROGRESS"]',
  'label_status != "LABELLED"',
  '$not(label_status = "LABELLED")',
  '$not($exists(client_metadata.region))',
  'client_metadata.region = $params.region',
  'client_metadata.region in $params.regions',
  '$params.flag and $exists(client_metadata)',
  'client_metadata.score * 2 > 1',
  'client_metadata.score + priority',
  '-client_metadata.score',
  'client_metadata.nested.level.value',
  'client_metadata.tags',
  'client_metadata.tags[0]',
  'client_metadata.tags[-1]',
  '"urgent" in client_metadata.tags',
  '$count(client_metadata.tags) > 1',
  'client_metadata.items.price',
  'client_metadata.items[price > 10].name',
  'client_metadata.items[qty >= 2 and price < 50].name',
  '$sum(client_metadata.items.price)',
  '$max(client_metadata.items.price) > 20',
  '$average(client_metadata.items.qty)',
  'client_metadata.items[0].name & "/" & client_metadata.items[1].name',
  'data_title & " (" & data_type & ")"',
  '$string(priority)',
  '$string(client_metadata)',
  '$number(client_metadata.score) > 0.3',
  '$length(data_title) > 10',
  '$uppercase(data_title)',
  '$trim(data_title)',
  '$substring(data_title, 0, 6) = "London"',
  '$substringBefore(data_title, "_")',
  '$substringAfter(data_title, "_")',
  '$split(data_title, "_")[0]',
  '$join(client_metadata.tags, ",")',
  '$round(priority * 100, 1)',
  '$floor(width / 100) + $ceil(height / 100)',
  '$abs(client_metadata.score - 0.5) < 0.25',
  'width > height ? "landscape" : "portrait"',
  'width * height > 1000000 ? 1 : (width * height > 10000 ? 0.5 : 0)',
  'client_metadata.region ? client_metadata.region : "unknown"',
  'client_metadata.region ?? "unknown"',
  'client_metadata.score ?: 0',
  '$boolean(client_metadata.tags)',
  '$type(client_metadata.score)',
  '$lookup(client_metadata, "region")',
  '$append(client_metadata.tags, "extra")',
  '$exists(task.assignee) and task.status = "NEW"',
  'task.assignee = null',
  '$contains(task.assignee, "@encord.com")',
  '$$.data_title = data_title',
  'data_title = $.data_title',
  '$millis() > 0 and $now() > "2020"',
  '($lowercase(data_title); $uppercase(data_title))',
  '(priority > 0.5 or label_status = "NOT_LABELLED") and $not($contains(data_title, "test"))',
  'priority % 0.3',
  'width / height',
  '[priority, client_metadata.score]',
  'client_metadata.items[name = "b"]',
  'client_metadata.items[$contains(name, "a")].qty',
  'data_title < "M"',
  '($t := $lowercase(data_title); $contains($t, "london") or $contains($t, "paris"))',
  '($n := $count(client_metadata.tags); $n > 1 ? "many" : $n)',
  'data_title ~> $lowercase() ~> $contains("london")',
  'client_metadata.tags ~> $join("|")',
  '$keys(client_metadata)',
  '$reverse(client_metadata.tags)[0]',
  '$sqrt(width) > 40',
  '$power(priority, 2)',
  '$toMillis(task.createdAt) < $millis() - 86400000',
  '$replace(data_title, "_", " ")',
];

/** The project's seeded PRNG (util/random.ts, also the demo generator's), so test data is reproducible by seed. */
function createRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

type Random = () => number;

function pick<T>(random: Random, options: readonly T[]): T {
  return options[Math.floor(random() * options.length)] as T;
}

const MISSING = Symbol('missing');

function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== MISSING) target[key] = value;
}

function randomTitle(random: Random): unknown {
  return pick(random, [
    'London_bridge_001.mp4', 'london-eye.jpg', 'LONDON_2024_final', 'paris_street_12.png', 'Test image',
    '  spaced   title\t', '', 'ümlaut_Ångström_😀', 'berlin', 42, null, MISSING,
  ]);
}

function randomNumberish(random: Random): unknown {
  return pick(random, [0, 0.1, 0.5, 0.75, 1, 1.005, -0.25, 100, 1e21, 0.1 + 0.2, '0.5', 'high', true, null, MISSING]);
}

function randomTags(random: Random): unknown {
  const pool = ['urgent', 'night', 'rain', 'urgent', 'a,b'];
  return pick(random, [
    [], [pick(random, pool)], [pick(random, pool), pick(random, pool), pick(random, pool)], 'urgent', [1, 'x'], [['urgent']], MISSING,
  ]);
}

function randomItems(random: Random): unknown {
  const count = pick(random, [0, 1, 2, 3, 5]);
  const items: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const item: Record<string, unknown> = {};
    setField(item, 'name', pick(random, ['a', 'b', 'banana', 'c', MISSING]));
    setField(item, 'price', pick(random, [5, 12.5, 49.99, 100, '20', null, MISSING]));
    setField(item, 'qty', pick(random, [1, 2, 3, 0, MISSING]));
    items.push(item);
  }
  return pick(random, [items, items, items[0] ?? MISSING, MISSING]);
}

function randomMetadata(random: Random): unknown {
  const metadata: Record<string, unknown> = {};
  setField(metadata, 'region', pick(random, ['eu', 'us', 'apac', '', null, 7, MISSING]));
  setField(metadata, 'score', randomNumberish(random));
  setField(metadata, 'tags', randomTags(random));
  setField(metadata, 'items', randomItems(random));
  setField(metadata, 'nested', pick(random, [{ level: { value: 3 } }, { level: [{ value: 1 }, { value: 2 }] }, { level: null }, [], MISSING]));
  return pick(random, [metadata, metadata, metadata, {}, null, 'text', [metadata, metadata], MISSING]);
}

export function randomTaskDocument(random: Random): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  setField(document, 'data_title', randomTitle(random));
  setField(document, 'data_type', pick(random, ['image', 'video', 'img_group', MISSING]));
  setField(document, 'priority', randomNumberish(random));
  setField(document, 'label_status', pick(random, ['NOT_LABELLED', 'LABEL_IN_PROGRESS', 'LABELLED', null, MISSING]));
  setField(document, 'client_metadata', randomMetadata(random));
  setField(document, 'width', pick(random, [1920, 640, 0, 4000, '1080', MISSING]));
  setField(document, 'height', pick(random, [1080, 480, 3000, 0, MISSING]));
  setField(document, 'task', pick(random, [
    { uuid: 'u1', status: 'NEW', assignee: 'ann@encord.com', createdAt: '2026-11-20T10:00:00Z' },
    { uuid: 'u2', status: 'ASSIGNED', assignee: null, createdAt: '2026-11-29T07:30:00.000+00:00' },
    { uuid: 'u4', status: 'NEW', assignee: 'bob@encord.com', createdAt: 'yesterday' },
    { uuid: 'u3', status: 'NEW' },
    MISSING,
  ]));
  return document;
}

function randomBindings(random: Random): Record<string, unknown> {
  const nowMillis = Date.UTC(2026, 10, 29, 8, 0, 0);
  return {
    params: {
      threshold: pick(random, [0.5, 0, 1, '0.5']),
      region: pick(random, ['eu', 'us']),
      regions: pick(random, [['eu', 'us'], ['apac'], []]),
      flag: pick(random, [true, false]),
    },
    now: () => new Date(nowMillis).toISOString(),
    millis: () => nowMillis,
  };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: Record<string, unknown> };

function describeError(err: unknown): Outcome {
  const { code, token, position, message } = err as Record<string, unknown>;
  return { ok: false, error: { code, token, position, message } };
}

/** Plain copy without sequence flags (they are compared separately). */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
  }
  return value;
}

const DOCUMENTS_PER_EXPRESSION = 200;

describe('fast path agrees with jsonata on rule conditions over random task documents', () => {
  it.each(RULE_CONDITIONS)('%s', async (text) => {
    const expression = jsonata(text);
    const fast = compileFastPath(expression.ast());
    expect(fast, 'expression should be inside the fast-path subset').toBeDefined();
    const random = createRandom(0x5eed ^ text.length);
    for (let i = 0; i < DOCUMENTS_PER_EXPRESSION; i++) {
      const document = randomTaskDocument(random);
      const bindings = randomBindings(random);
      let expected: Outcome;
      try {
        expected = { ok: true, value: await expression.evaluate(document, bindings) };
      } catch (err) {
        expected = describeError(err);
      }
      let actual: Outcome;
      try {
        actual = { ok: true, value: fast?.(document, bindings) };
      } catch (err) {
        actual = describeError(err);
      }
      const comparable = (outcome: Outcome) =>
        outcome.ok
          ? { value: toPlain(outcome.value), arrayKeys: Array.isArray(outcome.value) && Object.keys(outcome.value) }
          : outcome;
      // expect() only on a mismatch: it is slow enough to matter over thousands of documents.
      if (!isDeepStrictEqual(comparable(actual), comparable(expected))) {
        const context = `document ${JSON.stringify(document)} params ${JSON.stringify(bindings.params)}`;
        expect(comparable(actual), context).toStrictEqual(comparable(expected));
      }
    }
  });

  it('exercises errors as well as values', async () => {
    const codes = new Set<unknown>();
    const random = createRandom(7);
    for (const text of RULE_CONDITIONS) {
      const expression = jsonata(text);
      for (let i = 0; i < 100; i++) {
        try {
          await expression.evaluate(randomTaskDocument(random), randomBindings(random));
        } catch (err) {
          codes.add((err as { code?: unknown }).code);
        }
      }
    }
    expect([...codes].sort()).toEqual(expect.arrayContaining(['D1002', 'D3030', 'T0410', 'T0412', 'T2001', 'T2002', 'T2009', 'T2010']));
  });
});
