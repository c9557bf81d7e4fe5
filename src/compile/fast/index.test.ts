import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileFastPath, FastPathContractError, JsonataError } from './index.js';

function compile(text: string, options?: Parameters<typeof compileFastPath>[1]) {
  return compileFastPath(jsonata(text).ast(), options);
}

function compiled(text: string) {
  const fast = compile(text);
  if (fast === undefined) throw new Error(`declined: ${text}`);
  return fast;
}

describe('compileFastPath', () => {
  it('evaluates the london condition synchronously', () => {
    const fast = compiled('$contains($lowercase(data_title), "london")');
    expect(fast({ data_title: 'Big LONDON clip' }, {})).toBe(true);
    expect(fast({ data_title: 'Paris' }, {})).toBe(false);
    expect(fast({}, {})).toBeUndefined();
  });

  it.each([
    ['regex', '$contains(data_title, /lon/i)'],
    ['lambda', '$map(tags, function($t) { $uppercase($t) })'],
    ['our helper', '$answer("Weather") = "Sunny"'],
    ['a reference to a helper', '$exists($objects)'],
    ['an unimplemented built-in', '$formatNumber(priority, "#0.0")'],
    ['a reference to a built-in', '$string'],
    ['a non-$ call', 'not(priority > 1)'],
    ['binding a function name', '($string := 1; $string)'],
    ['binding $$', '($$ := 1; $$)'],
    ['keep-array', 'tags[]'],
    ['wildcard', 'client_metadata.*'],
    ['descendants', '**.region'],
    ['parent', 'items.%.name'],
    ['focus binding', 'items@$i.name'],
    ['index binding', 'items#$i.name'],
    ['sort', 'items^(price)'],
    ['grouping', 'items{name: price}'],
    ['object constructor', '{"a": 1}'],
    ['range', '[1..3]'],
    ['transform', '| items | {"x": 1} |'],
    ['~> into a function value', 'data_title ~> $lowercase'],
    ['~> into the clock', 'data_title ~> $now()'],
    ['array constructor as first step', '[a, b].c'],
    ['two throwing array items', '[a + 1, b + 1]'],
    ['$now with a picture', '$now("[Y]")'],
  ])('declines %s', (_what, text) => {
    expect(compile(text)).toBeUndefined();
  });

  it('declines names the caller registers as functions', () => {
    expect(compile('$score(1) > 0', { functionNames: ['score'] })).toBeUndefined();
    expect(compile('$exists($score)', { functionNames: ['score'] })).toBeUndefined();
    expect(compile('$exists($score)')).toBeDefined();
  });

  it('declines absurdly deep expressions (jsonata counts depth for its stack guardrail)', () => {
    expect(compile('('.repeat(30) + '1' + ')'.repeat(30))).toBeDefined();
    expect(compile('('.repeat(60) + '1' + ')'.repeat(60))).toBeUndefined();
  });

  it('does not modify the AST', () => {
    const ast = jsonata('a.b[0] = $params.x and $contains(c, "d")').ast();
    const before = JSON.stringify(ast);
    compiled('a.b[0] = $params.x and $contains(c, "d")')({ a: { b: [1] } }, { params: { x: 1 } });
    compileFastPath(ast);
    expect(JSON.stringify(ast)).toBe(before);
  });

  it('scopes := bindings to blocks, as jsonata does', () => {
    expect(compiled('($x := 1; ($x := 2; $y := 3); [$x, $y])')({}, {})).toEqual([1]);
    expect(compiled('($x := 1; $x := $x + 1; $x)')({}, {})).toBe(2);
    expect(compiled('($params := 5; $params)')({}, { params: { a: 1 } })).toBe(5);
    expect(compiled('$t := $lowercase(a)')({ a: 'X' }, {})).toBe('x');
  });

  it('applies ~> as a call with the left side first', () => {
    expect(compiled('data_title ~> $lowercase() ~> $contains("london")')({ data_title: 'LONDON' }, {})).toBe(true);
    expect(compiled('tags ~> $join(",")')({ tags: ['a', 'b'] }, {})).toBe('a,b');
  });

  it('reads $params and the document root', () => {
    const fast = compiled('$params.region = client_metadata.region and $$.priority = priority');
    expect(fast({ client_metadata: { region: 'eu' }, priority: 1 }, { params: { region: 'eu' } })).toBe(true);
    expect(fast({ client_metadata: { region: 'eu' }, priority: 1 }, { params: { region: 'us' } })).toBe(false);
  });

  it('throws JsonataError with jsonata code, token and position', () => {
    const fast = compiled('priority > 0.5');
    let thrown: unknown;
    try {
      fast({ priority: 'high' }, {});
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(JsonataError);
    expect(thrown).toMatchObject({ code: 'T2009', token: '>', position: 10 });
    expect((thrown as Error).message).toBe(
      'The values "high" and 0.5 either side of operator ">" must be of the same data type',
    );
  });

  it('treats a top-level array as one context value, as jsonata does', () => {
    expect(compiled('$')([1, 2], {})).toEqual([1, 2]);
    expect(compiled('$count($)')([1, 2, 3], {})).toBe(3);
    expect(Array.from(compiled('a')([{ a: 1 }, { a: 2 }], {}) as unknown[])).toEqual([1, 2]);
  });

  it('uses bound $now/$millis functions, and the clock when unbound', () => {
    const bindings = { now: () => '2026-01-01T00:00:00.000Z', millis: () => 5 };
    expect(compiled('$now()')({}, bindings)).toBe('2026-01-01T00:00:00.000Z');
    expect(compiled('$millis() + 1')({}, bindings)).toBe(6);
    const before = Date.now();
    const millis = compiled('$millis()')({}, {}) as number;
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(compiled('$millis() = $millis()')({}, {})).toBe(true);
    expect(() => compiled('$now()')({}, { now: 'not a function' })).toThrow(expect.objectContaining({ code: 'T1006' }));
  });

  it('refuses bindings that shadow a built-in the expression calls', () => {
    const fast = compiled('$lowercase(data_title)');
    expect(() => fast({ data_title: 'A' }, { lowercase: () => 'x' })).toThrow(FastPathContractError);
    expect(fast({ data_title: 'A' }, { uppercase: () => 'x' })).toBe('a');
  });

  it('calls the exit hook per node, so guardrail errors surface as in jsonata', () => {
    const seen: unknown[] = [];
    const hook = (_node: { position?: number }, _input: unknown, _env: unknown, result: unknown) => {
      seen.push(result);
      if (typeof result === 'string' && result.length > 5) throw { code: 'guard/size', position: _node.position };
    };
    const fast = compileFastPath(jsonata('$lowercase(a) & "!"').ast(), { evaluateExit: hook });
    expect(fast?.({ a: 'ABC' }, {})).toBe('abc!');
    expect(seen).toEqual(['ABC', 'ABC', 'abc', '!', 'abc!']);
    let thrown: unknown;
    try {
      fast?.({ a: 'ABCDEFG' }, {});
    } catch (err) {
      thrown = err;
    }
    // jsonata 2.2.2 throws the same object from the field step `a` (position 12).
    expect(thrown).toEqual({ code: 'guard/size', position: 12 });
  });
});
