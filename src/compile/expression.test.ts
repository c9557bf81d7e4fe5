import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateExpression } from './expression.js';
import { blockSource, EMPTY_ONTOLOGY, inlineSource, mustCompile } from './test-support.js';
import type { ParamSpec } from '../rules/types.js';

const context = { params: { city: 'london', langs: ['en', 'fr'] }, now: new Date('2026-03-04T05:06:07.089Z'), ontology: EMPTY_ONTOLOGY };
const params: ParamSpec[] = ['city', 'langs'].map((name) => ({ name, type: 'string', loc: { file: 'rules.yaml', line: 2, col: 3 } }));
const compileAt = (text: string, col = 11) => compileExpression(inlineSource(text, { line: 7, col }), { params, purpose: 'test' });
const codesAndColumns = (text: string) => compileAt(text).diagnostics.map((d) => [d.code, d.line, d.col]);
// A generous timeout unless a test is about the timeout: a busy host must not turn results into guard/timeout.
const evaluate = (text: string, document: unknown = {}, limits?: Parameters<typeof mustCompile>[3]) =>
  evaluateExpression(mustCompile(compileExpression, text, ['city', 'langs'], { timeoutMs: 10_000, ...limits }), document, context);

describe('compileExpression: syntax errors', () => {
  it.each([
    // [expression, code, column of the offending token's start (expression starts at column 11)]
    ['a +* 2', 'jsonata/S0201', 11 + 5],
    ['$foo(1, 2))', 'jsonata/S0201', 11 + 10],
    ['a = = 1', 'jsonata/S0211', 11 + 4],
    ['{"a": }', 'jsonata/S0211', 11 + 6],
    ['$contains(data_title, "london"', 'jsonata/S0203', 11 + 30],
    ['"unterminated', 'jsonata/S0101', 11 + 12],
  ])('%s → %s at the token', (text, code, col) => {
    const { expression, diagnostics } = compileAt(text);
    expect(expression).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code, severity: 'error', file: 'rules.yaml', line: 7, col });
  });

  it('locates an error inside a block scalar on its own line and column', () => {
    const text = '$contains(data_title, "x")\n  and $count(data_units) > 1\n  and a +* 3\n';
    const { diagnostics } = compileExpression(blockSource(text, { line: 10, col: 7 }), { params, purpose: 'test' });
    expect(diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['jsonata/S0201', 12, 7 + 11]]);
  });

  it('locates an error through a locate() that maps quoting (a quoted scalar)', () => {
    // "$x := \"a\" +* 1": in the file each \" takes two columns.
    const text = '($x := "a" +* 1)';
    const fileColumns = [...text].map((_, i) => 20 + i + (i > 7 ? 1 : 0) + (i > 9 ? 1 : 0));
    const source = { ...inlineSource(text), locate: (offset: number) => ({ file: 'q.yaml', line: 3, col: fileColumns[Math.min(offset, text.length - 1)] ?? 20 }) };
    const { diagnostics } = compileExpression(source, { params, purpose: 'test' });
    // The offending token is the `1` at offset 14, written at file column 20 + 14 + 2.
    expect(diagnostics[0]).toMatchObject({ code: 'jsonata/S0202', line: 3, col: 36 });
  });
});

describe('compileExpression: static checks', () => {
  it('reports every unknown function, variable and param, each at its token', () => {
    expect(codesAndColumns('$lowercse(data_title) = $params.cty and $nope and $sum([1]) > 0')).toEqual([
      ['rule/unknown-function', 7, 11],
      ['rule/unknown-param', 7, 11 + 32],
      ['rule/unknown-variable', 7, 11 + 40],
    ]);
  });

  it('suggests the closest name', () => {
    const [fn, param] = compileAt('$lowercse(x) or $params.cty').diagnostics;
    expect(fn?.hint).toBe('did you mean $lowercase?');
    expect(param?.hint).toBe('did you mean $params.city?');
  });

  it('accepts lambdas bound with :=, lambda parameters, focus and index variables', () => {
    expect(codesAndColumns('($isLondon := function($t){ $contains($t, "london") }; $isLondon(data_title))')).toEqual([]);
    expect(codesAndColumns('$map(items, function($v, $i){ $v & $i })')).toEqual([]);
    expect(codesAndColumns('items@$it#$pos.{"n": $it.name, "p": $pos}')).toEqual([]);
    expect(codesAndColumns('data_title ~> $uppercase ~> $substring(?, 0, 3)')).toEqual([]);
    expect(codesAndColumns('$answer("Weather") = "Rain" and $count($objects("Car")) > 0')).toEqual([]);
    expect(codesAndColumns('$now() and $millis() and $.data_title and $$.task.uuid')).toEqual([]);
  });

  it('refuses $eval, $random and $shuffle, even passed as values', () => {
    expect(codesAndColumns('$eval("1+1")')).toEqual([['rule/forbidden-function', 7, 11]]);
    expect(codesAndColumns('$map([1], $random)')).toEqual([['rule/forbidden-function', 7, 11 + 10]]);
    expect(codesAndColumns('$shuffle([1, 2])')).toEqual([['rule/forbidden-function', 7, 11]]);
  });

  it('refuses rebinding a built-in, helper or $params', () => {
    expect(codesAndColumns('($now := function(){ "2000" }; $now())')).toEqual([['rule/reserved-name', 7, 12]]);
    expect(codesAndColumns('($params := {}; 1)')).toEqual([['rule/reserved-name', 7, 12]]);
    expect(codesAndColumns('($clone := function($x){ $x }; $ ~> |a|{"b": 1}|)')).toEqual([['rule/reserved-name', 7, 12]]);
  });

  it('refuses a regex RE2 cannot run, at compile time', () => {
    expect(codesAndColumns('$contains(data_title, /(l)\\1/)')).toEqual([['guard/regex', 7, 11 + 22]]);
  });
});

describe('evaluateExpression', () => {
  it('reads the document and $params', async () => {
    expect(await evaluate('$contains($lowercase(data_title), $params.city)', { data_title: 'London 1' })).toEqual({ ok: true, value: true });
    expect(await evaluate('$params.langs[1]')).toEqual({ ok: true, value: 'fr' });
  });

  it('returns plain arrays, not jsonata sequences', async () => {
    const result = await evaluate('items.name', { items: [{ name: 'a' }, { name: 'b' }] });
    expect(result.ok && Object.keys(result.value as object)).toEqual(['0', '1']);
  });

  it('fixes $now() and $millis() to context.now, with pictures', async () => {
    expect(await evaluate('$now()')).toEqual({ ok: true, value: '2026-03-04T05:06:07.089Z' });
    expect(await evaluate('$millis()')).toEqual({ ok: true, value: context.now.getTime() });
    expect(await evaluate('$now("[Y0001]-[M01]-[D01]")')).toEqual({ ok: true, value: '2026-03-04' });
    const later = { ...context, now: new Date('2030-01-01T00:00:00Z') };
    const expression = mustCompile(compileExpression, '$millis()');
    expect(await evaluateExpression(expression, {}, later)).toEqual({ ok: true, value: later.now.getTime() });
    expect(await evaluateExpression(expression, {}, context)).toEqual({ ok: true, value: context.now.getTime() });
  });

  it('returns runtime errors as failures located at the token start', async () => {
    expect(await evaluate('data_title + 1', { data_title: 'x' })).toMatchObject({ ok: false, code: 'jsonata/T2001', position: 11 });
    expect(await evaluate('$error("stop")')).toMatchObject({ ok: false, code: 'jsonata/D3137', message: 'stop' });
  });
});

describe('evaluateExpression: guardrails', () => {
  it('times out a runaway loop (guard/timeout) instead of hanging', async () => {
    const result = await evaluate('($f := function($n){ $f($n + 1) }; $f(0))', {}, { timeoutMs: 30 });
    expect(result).toMatchObject({ ok: false, code: 'guard/timeout' });
  });

  it('stops deep recursion (guard/depth)', async () => {
    const result = await evaluate('($f := function($n){ 1 + $f($n + 1) }; $f(0))', {}, { maxDepth: 200, timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, code: 'guard/depth' });
  });

  it('stops oversized sequences and strings where they are made (guard/size)', async () => {
    expect(await evaluate('[1..200000]', {}, { maxSequenceLength: 100_000 })).toMatchObject({ ok: false, code: 'guard/size' });
    const doubling = '$reduce([1..40], function($acc, $i){ $acc & $acc }, "xxxxxxxx")';
    expect(await evaluate(doubling, {}, { maxStringLength: 1_000_000 })).toMatchObject({ ok: false, code: 'guard/size' });
    expect(await evaluate('$count([1..1000])', {}, { maxSequenceLength: 1_000 })).toEqual({ ok: true, value: 1000 });
  });

  it('matches a catastrophic-backtracking regex in linear time', async () => {
    const document = { data_title: `${'a'.repeat(30_000)}!` };
    expect(await evaluate('$contains(data_title, /(a+)+$/)', document)).toEqual({ ok: true, value: false });
    expect(await evaluate('$match(data_title, /^(a|aa)+$/)', document)).toEqual({ ok: true, value: undefined });
  });

  it('keeps concurrent evaluations from eating each other\'s time budget', async () => {
    // Each takes a few ms; interleaved, every one would see the whole batch's time (seconds).
    const expression = mustCompile(compileExpression, '$count([1..2000].($ * 2))', [], { timeoutMs: 500 });
    const results = await Promise.all(Array.from({ length: 100 }, () => evaluateExpression(expression, {}, context)));
    expect(results.filter((r) => !(r.ok && r.value === 2000))).toEqual([]);
  });
});

describe('evaluateExpression: no prototype pollution, no mutation', () => {
  const hostile = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": {"b": 1}, "list": [3, 1, 2]}') as Record<string, unknown>;
  const expressions = [
    '$merge([{"a": 1}, $])',
    '$merge([{}, {"__proto__": {"polluted": "yes"}}])',
    '$ ~> |$|{"__proto__": {"polluted": "yes"}}|',
    '$ ~> |a|{"__proto__": {"polluted": "yes"}, "b": 2}|',
    '{"__proto__": {"polluted": "yes"}}',
    '$lookup($, "__proto__")',
    '$lookup({}, "constructor")',
    '$.constructor',
    '$sort(list)',
    '$reverse(list)',
    '$append(list, 9)',
    '$spread($)',
    '$sift($, function($v){ true })',
  ];

  it.each(expressions)('%s leaves Object.prototype and the document alone', async (text) => {
    const before = JSON.stringify(hostile);
    const result = await evaluate(text, hostile);
    expect(result.ok || result.code.startsWith('jsonata/')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(JSON.stringify(hostile)).toBe(before);
  });

  it('never hands out a host function', async () => {
    const result = await evaluate('$lookup({}, "constructor")');
    expect(result).toEqual({ ok: true, value: undefined });
  });
});

describe('evaluateExpression: the fast path', () => {
  const both = (text: string, limits?: Parameters<typeof mustCompile>[3]) => {
    const fast = compileExpression(inlineSource(text), { params, purpose: 'test', ...(limits ? { limits } : {}) }).expression!;
    const slow = compileExpression(inlineSource(text), { params, purpose: 'test', fastPath: false, ...(limits ? { limits } : {}) }).expression!;
    return { fast, slow };
  };
  const documents = [{ data_title: 'London Bridge' }, { data_title: 'paris' }, { data_title: 42 }, {}, { data_title: ['a', 'london'] }];

  it('takes simple conditions and gives the same results and failures as jsonata', async () => {
    for (const text of ['$contains($lowercase(data_title), $params.city)', 'data_title + 1', 'data_title = "paris" or $exists(task)', '$now()']) {
      const { fast, slow } = both(text);
      expect(fast.fast, text).toBeDefined();
      for (const document of documents) {
        expect(await evaluateExpression(fast, document, context), `${text} on ${JSON.stringify(document)}`).toEqual(
          await evaluateExpression(slow, document, context),
        );
      }
    }
  });

  it('declines the helpers, which run through jsonata', () => {
    expect(both('$answer("Weather") = "Rain"').fast.fast).toBeUndefined();
    expect(both('$count($objects())').fast.fast).toBeUndefined();
  });

  it('applies the size guard on the fast path too', async () => {
    const { fast, slow } = both('$string(items)', { maxStringLength: 10 });
    const document = { items: ['aaaaaaaaaaaaaaaaaaaa'] };
    expect(fast.fast).toBeDefined();
    expect(await evaluateExpression(fast, document, context)).toMatchObject({ ok: false, code: 'guard/size' });
    expect(await evaluateExpression(slow, document, context)).toMatchObject({ ok: false, code: 'guard/size' });
  });
});
