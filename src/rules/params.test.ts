import { describe, expect, it } from 'vitest';
import { COMMAND_LINE_FILE, parseParamText, resolveParams } from './params.js';
import type { ParamSpec } from './types.js';

const loc = { file: 'r.yaml', line: 4, col: 3 };
const spec = (s: Omit<ParamSpec, 'loc'>): ParamSpec => ({ ...s, loc });

const SPECS: ParamSpec[] = [
  spec({ name: 'threshold', type: 'number', default: 0.5, min: 0, max: 1 }),
  spec({ name: 'langs', type: 'string-array', default: ['en'] }),
  spec({ name: 'enabled', type: 'boolean', default: false }),
  spec({ name: 'source', type: 'enum', values: ['dashcam', 'street-camera'], default: 'dashcam' }),
  spec({ name: 'title', type: 'string', default: 'london' }),
  spec({ name: 'prompt', type: 'text' }),
];

function at(result: ReturnType<typeof resolveParams>): string[] {
  return result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.col}`);
}

describe('resolveParams', () => {
  it('applies defaults and parses each type', () => {
    const result = resolveParams(SPECS, ['prompt=Be brief, please.', 'langs= en, es ,fr,', 'enabled=YES', 'threshold=0.8', 'source=street-camera', 'title=a=b']);
    expect(result.diagnostics).toEqual([]);
    expect(result.values).toEqual({
      threshold: 0.8,
      langs: ['en', 'es', 'fr'],
      enabled: true,
      source: 'street-camera',
      title: 'a=b',
      prompt: 'Be brief, please.',
    });
  });

  it('reports a required parameter that was not given, at its declaration', () => {
    const result = resolveParams(SPECS, []);
    expect(at(result)).toEqual(['param/missing r.yaml:4:3']);
    expect(result.diagnostics[0]?.hint).toContain('--param prompt=');
    expect(result.values).not.toHaveProperty('prompt');
    expect(result.values.threshold).toBe(0.5);
  });

  it('reports unknown names with a suggestion, at the argument index', () => {
    const result = resolveParams(SPECS, ['prompt=x', 'treshold=0.9']);
    expect(at(result)).toEqual([`param/unknown ${COMMAND_LINE_FILE}:1:2`]);
    expect(result.diagnostics[0]?.hint).toMatch(/Did you mean "threshold"\?/);
  });

  it.each([
    ['threshold=high', 'param/invalid-value', /not a number/],
    ['threshold=', 'param/invalid-value', /not a number/],
    ['threshold=1.5', 'param/invalid-value', /must be <= 1/],
    ['threshold=-1', 'param/invalid-value', /must be >= 0/],
    ['enabled=maybe', 'param/invalid-value', /not a boolean/],
    ['source=drone', 'param/invalid-value', /allowed values/],
    ['novalue', 'param/bad-assignment', /not name=value/],
    ['=3', 'param/bad-assignment', /not name=value/],
  ])('%s → %s', (assignment, code, message) => {
    const result = resolveParams(SPECS, ['prompt=p', assignment]);
    expect(at(result)).toEqual([`${code} ${COMMAND_LINE_FILE}:1:2`]);
    expect(result.diagnostics[0]?.message).toMatch(message);
  });

  it('reports a parameter given twice', () => {
    expect(at(resolveParams(SPECS, ['prompt=a', 'prompt=b']))).toEqual([`param/duplicate ${COMMAND_LINE_FILE}:1:2`]);
  });

  it('reports an invalid default at the declaration', () => {
    const result = resolveParams([spec({ name: 'n', type: 'number', default: 5, max: 1 })], []);
    expect(at(result)).toEqual(['param/invalid-value r.yaml:4:3']);
  });

  it('reports every problem at once', () => {
    expect(resolveParams(SPECS, ['x=1', 'threshold=9']).diagnostics.map((d) => d.code)).toEqual(['param/unknown', 'param/invalid-value', 'param/missing']);
  });

  it('returns a plain object that cannot be polluted by names', () => {
    const result = resolveParams([spec({ name: 'constructor', type: 'string', default: 'x' })], []);
    expect(Object.getPrototypeOf(result.values)).toBe(Object.prototype);
    expect(result.values.constructor).toBe('x');
    expect(({} as { constructor: unknown }).constructor).toBe(Object);
  });
});

describe('parseParamText', () => {
  it.each([
    ['1', true],
    ['true', true],
    ['No', false],
    ['0', false],
  ])('boolean %s → %s', (text, value) => {
    expect(parseParamText(spec({ name: 'b', type: 'boolean' }), text)).toEqual({ value });
  });
  it('keeps text as written, spaces included', () => {
    expect(parseParamText(spec({ name: 't', type: 'text' }), '  two  words ')).toEqual({ value: '  two  words ' });
  });
});
