import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { JSONATA_SUITE_DIR } from '../../test/jsonata-suite-dir.js';
import { describe, expect, it } from 'vitest';
import { combineClauseValues, splitClauses } from './clauses.js';
import { isTruthy as toJsonataBoolean } from './evaluate-stage.js';

const SUITE = JSONATA_SUITE_DIR;

describe('splitClauses', () => {
  it('splits a top-level and-chain with source offsets', () => {
    const text = 'a = 1 and $contains(b, "x and y") and (c or d)';
    const split = splitClauses(text);
    expect(split.operator).toBe('and');
    expect(split.clauses.map((c) => c.text)).toEqual(['a = 1', '$contains(b, "x and y")', '(c or d)']);
    for (const clause of split.clauses) expect(text.slice(clause.start, clause.end)).toBe(clause.text);
  });

  it('splits or at the top when and binds tighter', () => {
    const split = splitClauses('a and b or c');
    expect(split.operator).toBe('or');
    expect(split.clauses.map((c) => c.text)).toEqual(['a and b', 'c']);
  });

  it('looks through parentheses around the whole expression', () => {
    const text = ' ( (a or\n  b ) ) ';
    const split = splitClauses(text);
    expect(split.operator).toBe('or');
    expect(split.clauses.map((c) => [c.text, c.start])).toEqual([
      ['a', 4],
      ['b', 11],
    ]);
  });

  it('keeps a single condition, a block of several expressions and bad syntax whole', () => {
    expect(splitClauses('$contains(x, "a")')).toEqual({
      operator: null,
      clauses: [{ text: '$contains(x, "a")', start: 0, end: 17 }],
    });
    expect(splitClauses('($x := 1; $x and y)').operator).toBeNull();
    expect(splitClauses('a and (').clauses).toHaveLength(1);
  });

  it('reads fields named and/or as fields', () => {
    expect(splitClauses('and and and').clauses.map((c) => c.text)).toEqual(['and', 'and']);
    expect(splitClauses('and=1 and or=2').clauses.map((c) => c.text)).toEqual(['and=1', 'or=2']);
  });
});

describe('isTruthy (what and/or make of a clause value)', () => {
  it('agrees with JSONata $boolean (undefined as false)', async () => {
    const samples: unknown[] = [
      undefined, null, 0, 1, -0.5, '', 'x', true, false, [], [0], [1], [0, 0], [0, ''], [0, 'x'],
      [[]], [[0, 1]], {}, { a: 0 }, [{}], [null],
    ];
    const expression = jsonata('$boolean($v)');
    for (const value of samples) {
      const expected = (await expression.evaluate({}, { v: value })) ?? false;
      expect([value, toJsonataBoolean(value)]).toEqual([value, expected]);
    }
  });
});

/**
 * Evaluates the whole and its clauses left to right, stopping where JSONata would
 * short-circuit. Returns null when the whole throws. `allCombined` is set when every
 * clause also evaluates on its own (then all of them must combine to the whole too).
 */
async function checkSplit(
  expr: string,
  data: unknown,
  bindings: Record<string, unknown> = {},
): Promise<{ whole: unknown; combined: boolean; allCombined?: boolean } | null> {
  let whole: unknown;
  try {
    whole = await jsonata(expr).evaluate(data, bindings);
  } catch {
    return null;
  }
  const split = splitClauses(expr);
  const evaluate = async (text: string): Promise<boolean | Error> => {
    try {
      return toJsonataBoolean(await jsonata(text).evaluate(data, bindings));
    } catch (error) {
      return error as Error;
    }
  };
  const values = await Promise.all(split.clauses.map((c) => evaluate(c.text)));
  const reached: boolean[] = [];
  for (const value of values) {
    if (value instanceof Error) throw new Error(`clause threw before the chain was decided: ${value.message}`);
    reached.push(value);
    if (split.operator === 'and' && !value) break;
    if (split.operator === 'or' && value) break;
  }
  const combined = split.operator ? combineClauseValues(split.operator, reached) : reached[0]!;
  const result: { whole: unknown; combined: boolean; allCombined?: boolean } = { whole, combined };
  if (split.operator && values.every((v) => typeof v === 'boolean')) {
    result.allCombined = combineClauseValues(split.operator, values as boolean[]);
  }
  return result;
}

function expectSameOutcome(result: NonNullable<Awaited<ReturnType<typeof checkSplit>>>, label: string): void {
  expect(result.combined, label).toBe(result.whole);
  if (result.allCombined !== undefined) expect(result.allCombined, label).toBe(result.whole);
}

describe('clause values combine to the whole expression', () => {
  it('on task documents, including missing fields', async () => {
    const documents = [
      { data_title: 'London.jpg', priority: 0.5, task: { status: 'NEW' }, client_metadata: { city: 'london' } },
      { data_title: 'paris.jpg', priority: null, task: { status: 'REOPENED' } },
      { data_title: '', task: {} },
      {},
    ];
    const expressions = [
      '$contains($lowercase(data_title), "london") and task.status = "NEW"',
      'client_metadata.city = "london" or priority > 0.2 or task.status = "REOPENED"',
      'data_title and priority',
      '(task.status in ["NEW", "REOPENED"] and $exists(client_metadata)) or data_title = ""',
      'client_metadata.missing != "x" and data_title',
      // `null > 0.2` throws: only JSONata's short-circuit keeps the whole from failing.
      'priority = null or priority > 0.2',
    ];
    let checked = 0;
    for (const expr of expressions) {
      for (const doc of documents) {
        const result = await checkSplit(expr, doc);
        if (!result) continue;
        expectSameOutcome(result, `${expr} on ${JSON.stringify(doc)}`);
        checked += 1;
      }
    }
    // One pair throws as a whole (`null > 0.2` on the second document, before `or` decides).
    expect(checked).toBe(expressions.length * documents.length - 1);
  });

  it('on the JSONata test-suite cases that use and/or', async () => {
    const datasets = new Map<string, unknown>();
    const loadDataset = (name: string): unknown => {
      if (!datasets.has(name)) {
        datasets.set(name, JSON.parse(readFileSync(join(SUITE, 'datasets', `${name}.json`), 'utf8')));
      }
      return datasets.get(name);
    };
    let checked = 0;
    for (const group of readdirSync(join(SUITE, 'groups'))) {
      for (const file of readdirSync(join(SUITE, 'groups', group)).filter((f) => f.endsWith('.json'))) {
        const parsed = JSON.parse(readFileSync(join(SUITE, 'groups', group, file), 'utf8')) as unknown;
        const cases = (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
        for (const testCase of cases) {
          const expr = testCase.expr;
          if (typeof expr !== 'string' || !/\b(and|or)\b/.test(expr)) continue;
          if (splitClauses(expr).operator === null) continue;
          const data = 'data' in testCase ? testCase.data : testCase.dataset ? loadDataset(String(testCase.dataset)) : undefined;
          const result = await checkSplit(expr, data, (testCase.bindings as Record<string, unknown>) ?? {});
          if (!result) continue;
          expectSameOutcome(result, `${group}/${file}: ${expr}`);
          checked += 1;
        }
      }
    }
    // The suite has ~25 such cases; make sure the loop really ran them.
    expect(checked).toBeGreaterThanOrEqual(20);
  });
});
