import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { Re2RegExp, UnsupportedRegexError } from './regex-engine.js';

const withRe2 = (text: string) =>
  jsonata(text, { RegexEngine: Re2RegExp as unknown as RegExpConstructor } as jsonata.JsonataOptions);

describe('Re2RegExp', () => {
  it('behaves like a global RegExp for exec and lastIndex', () => {
    const native = /b(c)?/g;
    const re2 = new Re2RegExp(/b(c)?/g);
    const input = 'abcab';
    for (let i = 0; i < 3; i += 1) {
      const expected = native.exec(input);
      const actual = re2.exec(input);
      expect(actual === null ? null : [...actual]).toEqual(expected === null ? null : [...expected]);
      expect(actual?.index).toBe(expected?.index);
      expect(re2.lastIndex).toBe(native.lastIndex);
    }
  });

  it('honours a lastIndex set before exec, as jsonata sets it', () => {
    const re2 = new Re2RegExp(/a/g);
    re2.lastIndex = 2;
    expect(re2.exec('aaa')?.index).toBe(2);
    re2.lastIndex = 5;
    expect(re2.exec('aaa')).toBeNull();
    expect(re2.lastIndex).toBe(0);
  });

  it('keeps the i and m flags', () => {
    expect(new Re2RegExp(/LONDON/gi).test('london')).toBe(true);
    expect(new Re2RegExp(/^b$/gm).test('a\nb')).toBe(true);
    expect(new Re2RegExp(/^b$/g).test('a\nb')).toBe(false);
  });

  it('refuses what RE2 cannot run, with guard/regex', () => {
    expect(() => new Re2RegExp(/(a)\1/g)).toThrow(UnsupportedRegexError);
    expect(() => new Re2RegExp(/a(?=b)/g)).toThrowError(/not supported/);
  });

  it('serves jsonata $match, $replace, $split and $contains', async () => {
    expect(Array.from(await withRe2('$match("ab12cd345", /[0-9]+/).match').evaluate({}))).toEqual(['12', '345']);
    expect(await withRe2('$replace("hello world", /(o)/, "[$1]")').evaluate({})).toBe('hell[o] w[o]rld');
    expect(await withRe2('$split("a1b22c", /[0-9]+/)').evaluate({})).toEqual(['a', 'b', 'c']);
    expect(await withRe2('$contains("London Bridge", /bridge/i)').evaluate({})).toBe(true);
  });

  it('runs a catastrophic-backtracking pattern in linear time', async () => {
    const input = `${'a'.repeat(100_000)}!`;
    const started = performance.now();
    expect(await withRe2('$contains(s, /(a+)+$/)').evaluate({ s: input })).toBe(false);
    // Native RegExp would not finish 2^100000 steps; a generous bound keeps this stable on a busy host.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
