import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateExpression } from './expression.js';
import { EMPTY_ONTOLOGY, mustCompile } from './test-support.js';

const context = { params: {}, now: new Date('2026-01-01T00:00:00Z'), ontology: EMPTY_ONTOLOGY };
// Generous time: these pin results and refusals, not speed (that is bench/compile.bench.ts).
const evaluate = (text: string, document: unknown = {}) =>
  evaluateExpression(mustCompile(compileExpression, text, [], { timeoutMs: 30_000 }), document, context);

describe('guarded built-ins', () => {
  it('$sort without a comparator sorts 99,999 items (jsonata alone exhausts memory)', async () => {
    const result = await evaluate('($s := $sort($reverse([1..99999])); [$count($s), $s[0], $s[-1], $s[500] < $s[501]])');
    expect(result).toEqual({ ok: true, value: [99999, 1, 99999, true] });
  });

  it('$sort keeps jsonata\'s semantics: stable, strings, comparators, and D3070 for mixed types', async () => {
    expect(await evaluate('$sort(["b", "a", "c"])')).toEqual({ ok: true, value: ['a', 'b', 'c'] });
    expect(await evaluate('$sort(items, function($l, $r){ $l.k > $r.k }).n', { items: [{ k: 2, n: 'a' }, { k: 1, n: 'b' }, { k: 2, n: 'c' }] })).toEqual({ ok: true, value: ['b', 'a', 'c'] });
    expect(await evaluate('$sort([1, "a"])')).toMatchObject({ ok: false, code: 'jsonata/D3070' });
  });

  it('$distinct is linear and compares deeply, ignoring key order', async () => {
    expect(await evaluate('$count($distinct($append([1..50000], [1..49999])))')).toEqual({ ok: true, value: 50000 });
    expect(await evaluate('$distinct([{"a": 1, "b": [1]}, {"b": [1], "a": 1}, 1, "1", 1])')).toEqual({ ok: true, value: [{ a: 1, b: [1] }, 1, '1'] });
  });

  it.each([
    ['$pad("x", 100000000)'],
    ['($x := $pad("", 999999, "x"); $join([1..100].$x))'],
    ['($x := $pad("", 999999, "x"); $string([1..100].$x))'],
    ['($x := $pad("", 99999, "x"); $replace($x, "x", $x))'],
    ['($x := $pad("", 20000, "x"); $replace($x, /x/, $x))'],
  ])('%s is refused before the string is built (guard/size)', async (text) => {
    expect(await evaluate(text)).toMatchObject({ ok: false, code: 'guard/size' });
  });

  it('keeps arity and parameter names, which $map and partial application read', async () => {
    expect(await evaluate('$map([1, 2], $string)')).toEqual({ ok: true, value: ['1', '2'] });
    expect(await evaluate('$map(["a", "b"], $pad(?, 3))')).toEqual({ ok: true, value: ['a  ', 'b  '] });
    expect(await evaluate('$replace("hello world", /(o)/, "[$1]")')).toEqual({ ok: true, value: 'hell[o] w[o]rld' });
  });

  it('stops a regex scanning a long string match by match at the timeout', async () => {
    const expression = mustCompile(compileExpression, '($x := $pad("", 999999, "a"); $count($match($x, /a/)))', [], { timeoutMs: 50 });
    // Unchecked, jsonata runs all 999,999 matches (seconds) before the size guard refuses the result.
    expect(await evaluateExpression(expression, {}, context)).toMatchObject({ ok: false, code: 'guard/timeout' });
  });
});
