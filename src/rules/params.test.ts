import { describe, expect, it } from 'vitest';
import { createAjv } from '../../scripts/generate-validators.js';
import { checkParamValue, COMMAND_LINE_FILE, paramValueSchema, parseParamText, resolveParams } from './params.js';
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

  it('says how to declare one when the file declares no parameters at all', () => {
    const result = resolveParams([], ['city=oslo']);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['param/unknown']);
    expect(result.diagnostics[0]?.hint).toMatch(/declares no parameters: declare it under `params:`/);
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

describe('checkParamValue', () => {
  /** What checkParamValue said before it ran generated code: ajv compiling paramValueSchema. */
  const ajv = createAjv();
  function compiledCheck(s: ParamSpec, value: unknown): string[] {
    const validate = ajv.compile(paramValueSchema(s));
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath ? `item ${e.instancePath.slice(1)} ` : ''}${e.message ?? 'is not valid'}`);
  }

  const specs: Omit<ParamSpec, 'loc'>[] = [
    { name: 'n', type: 'number' },
    { name: 'n', type: 'number', min: 0 },
    { name: 'n', type: 'number', max: 1 },
    { name: 'n', type: 'number', min: -2.5, max: 1e-7 },
    { name: 'e', type: 'enum', values: ['dashcam', 'street-camera'] },
    { name: 'e', type: 'enum', values: ['1', 'true'] },
    { name: 'b', type: 'boolean' },
    { name: 'a', type: 'string-array' },
    { name: 's', type: 'string' },
    { name: 't', type: 'text' },
  ];
  const values: unknown[] = [0, 0.5, 1, 1.5, -3, 1e-6, NaN, Infinity, '0.5', 'dashcam', 'drone', '', true, false, null, [], ['en', 'es'], ['en', 2, null], [['x']], {}, { a: 1 }];
  const cases = specs.flatMap((s) => values.map((value) => [s, value] as const));

  it.each(cases)('%o, value %o: the same problems as ajv compiling paramValueSchema', (s, value) => {
    expect(checkParamValue(spec(s), value)).toEqual(compiledCheck(spec(s), value));
  });

  it('finds problems in these cases (so the comparison means something)', () => {
    const failing = cases.filter(([s, value]) => checkParamValue(spec(s), value).length > 0);
    expect(failing.length).toBeGreaterThan(cases.length / 2);
    expect(checkParamValue(spec({ name: 'n', type: 'number', min: 0, max: 1 }), 2)).toEqual(['must be <= 1']);
    expect(checkParamValue(spec({ name: 'a', type: 'string-array' }), ['en', 2])).toEqual(['item 1 must be string']);
    expect(checkParamValue(spec({ name: 'e', type: 'enum', values: ['a'] }), 3)).toEqual(['must be string', 'must be equal to one of the allowed values']);
  });
});
