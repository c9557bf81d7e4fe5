import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { JSONATA_SUITE_DIR } from '../jsonata-suite-dir.js';
import { describe, expect, it } from 'vitest';
import { combineClauseValues, formatClausePath, listClauses, splitClauses, type Clause, type ClauseOperator } from '../../src/compile/clauses.js';
import { isTruthy as toJsonataBoolean } from '../../src/compile/evaluate-stage.js';

const SUITE = JSONATA_SUITE_DIR;

describe('splitClauses', () => {
  it('splits a top-level and-chain with source offsets', () => {
    const text = 'a = 1 and $contains(b, "x and y") and (c or d)';
    const split = splitClauses(text);
    expect(split.operator).toBe('and');
    expect(split.clauses.map((c) => c.text)).toEqual(['a = 1', '$contains(b, "x and y")', '(c or d)']);
    for (const clause of split.clauses) expect(text.slice(clause.start, clause.end)).toBe(clause.text);
  });

  it('splits or at the top when and binds tighter, and the and-chain under it', () => {
    const split = splitClauses('a and b or c');
    expect(split.operator).toBe('or');
    expect(split.clauses.map((c) => c.text)).toEqual(['a and b', 'c']);
    expect(split.clauses[0]!.chain).toEqual({
      operator: 'and',
      clauses: [
        { text: 'a', start: 0, end: 1 },
        { text: 'b', start: 6, end: 7 },
      ],
    });
    expect(split.clauses[1]!.chain).toBeUndefined();
  });

  it('splits chains nested in parentheses at every depth, offsets into the whole text', () => {
    const text = 'a = 1 and (\n  b or ( c and $d(x) )\n) and e';
    const split = splitClauses(text);
    expect(split.operator).toBe('and');
    const listed = listClauses(split.clauses);
    expect(listed.map(({ path, clause }) => [formatClausePath(path), clause.text, clause.chain?.operator ?? null])).toEqual([
      ['1', 'a = 1', null],
      ['2', '(\n  b or ( c and $d(x) )\n)', 'or'],
      ['2.1', 'b', null],
      ['2.2', '( c and $d(x) )', 'and'],
      ['2.2.1', 'c', null],
      ['2.2.2', '$d(x)', null],
      ['3', 'e', null],
    ]);
    for (const { clause } of listed) expect(text.slice(clause.start, clause.end)).toBe(clause.text);
  });

  it('keeps a parenthesised chain with a predicate, a path step or a group whole, and a chain inside a call', () => {
    for (const inner of ['(b or c)[0]', '(b or c).x', '(b or c){"k": 1}', '$not(b or c)', '(b or c) = true', '($v := b; $v or c)']) {
      const split = splitClauses(`a and ${inner}`);
      expect(split.clauses.map((c) => c.text), inner).toEqual(['a', inner]);
      expect(split.clauses[1]!.chain, inner).toBeUndefined();
    }
    expect(splitClauses('(a or b)[0]').operator).toBeNull();
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

type Evaluated = boolean | Error;

/**
 * Checks one chain the way JSONata runs it: its clauses left to right, stopping where
 * `and`/`or` short-circuits, each nested chain checked the same way against its own value.
 * Returns what the reached clauses combine to, and (when every clause evaluates on its own)
 * what all of them combine to.
 */
async function checkChain(
  operator: ClauseOperator,
  clauses: readonly Clause[],
  evaluate: (text: string) => Promise<Evaluated>,
  label: string,
): Promise<{ combined: boolean; allCombined?: boolean }> {
  const values = await Promise.all(clauses.map((c) => evaluate(c.text)));
  const reached: boolean[] = [];
  for (const [index, value] of values.entries()) {
    if (value instanceof Error) throw new Error(`clause threw before the chain was decided: ${value.message}`);
    const chain = clauses[index]!.chain;
    if (chain) {
      const nested = await checkChain(chain.operator, chain.clauses, evaluate, label);
      expect(nested.combined, `${label}: ${clauses[index]!.text}`).toBe(value);
    }
    reached.push(value);
    if (operator === 'and' && !value) break;
    if (operator === 'or' && value) break;
  }
  const result: { combined: boolean; allCombined?: boolean } = { combined: combineClauseValues(operator, reached) };
  if (values.every((v) => typeof v === 'boolean')) result.allCombined = combineClauseValues(operator, values as boolean[]);
  return result;
}

/** Evaluates the whole and checks its clause tree against it; null when the whole throws. */
async function checkSplit(expr: string, data: unknown, bindings: Record<string, unknown> = {}): Promise<{ chains: number } | null> {
  let whole: unknown;
  try {
    whole = await jsonata(expr).evaluate(data, bindings);
  } catch {
    return null;
  }
  const evaluate = async (text: string): Promise<Evaluated> => {
    try {
      return toJsonataBoolean(await jsonata(text).evaluate(data, bindings));
    } catch (error) {
      return error as Error;
    }
  };
  const split = splitClauses(expr);
  if (!split.operator) {
    expect(await evaluate(split.clauses[0]!.text), expr).toBe(toJsonataBoolean(whole));
    return { chains: 0 };
  }
  const result = await checkChain(split.operator, split.clauses, evaluate, expr);
  expect(result.combined, expr).toBe(whole);
  if (result.allCombined !== undefined) expect(result.allCombined, expr).toBe(whole);
  return { chains: 1 + listClauses(split.clauses).filter((c) => c.clause.chain).length };
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
      // The same at the inner level: on the second document the nested `or` must stop
      // before `null > 0.2`, which throws on its own.
      'data_title and (priority = null or priority > 0.2)',
      'task.status = "NEW" and ($contains(data_title, "London") or (priority > 0.4 and $exists(client_metadata))) or data_title = ""',
    ];
    let checked = 0;
    let nested = 0;
    for (const expr of expressions) {
      for (const doc of documents) {
        const result = await checkSplit(expr, doc);
        if (!result) continue;
        checked += 1;
        if (result.chains > 1) nested += 1;
      }
    }
    // One pair throws as a whole (`null > 0.2` on the second document, before `or` decides).
    expect(checked).toBe(expressions.length * documents.length - 1);
    expect(nested).toBeGreaterThanOrEqual(12);
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
          checked += 1;
        }
      }
    }
    // The suite has ~25 such cases; make sure the loop really ran them.
    expect(checked).toBeGreaterThanOrEqual(20);
  });
});
