import { isMap, isScalar, LineCounter, parseDocument, type Scalar } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createExpressionSource } from './expression-source.js';
import { mapScalarOffsets } from './scalar-offsets.js';
import type { YamlSource } from './yaml-source.js';

/** Parses `yaml` and returns the value scalar of the key `e` (anywhere at the top or under `s`). */
function scalarOf(yaml: string): { source: YamlSource; scalar: Scalar } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, keepSourceTokens: true, prettyErrors: false });
  expect(doc.errors).toEqual([]);
  let node: unknown = doc.get('e', true);
  if (node === undefined) {
    const s = doc.get('s', true);
    node = isMap(s) ? s.get('e', true) : undefined;
  }
  if (!isScalar(node)) throw new Error('no scalar e');
  return { source: { file: 'f.yaml', text: yaml, doc, lineCounter }, scalar: node };
}

/** Every letter or digit of the value maps back to itself in the file (or to the escape making it), in order. */
function expectFaithful(yaml: string): readonly number[] {
  const { source, scalar } = scalarOf(yaml);
  const map = mapScalarOffsets(source.text, scalar);
  expect(map, `no exact map for ${JSON.stringify(yaml)}`).toBeDefined();
  const value = String(scalar.value);
  const offsets = map ?? [];
  expect(offsets.length).toBe(value.length + 1);
  for (let i = 0; i < value.length; i += 1) {
    const written = yaml[offsets[i] ?? -1];
    if (/[A-Za-z0-9]/.test(value[i] ?? '') && written !== '\\') expect(written, `char ${i} of ${JSON.stringify(value)}`).toBe(value[i]);
    if (i > 0) expect(offsets[i]).toBeGreaterThanOrEqual(offsets[i - 1] ?? 0);
  }
  return offsets;
}

/** locate() of the first `X` in the value, as line:col. */
function locateX(yaml: string): string {
  const { source, scalar } = scalarOf(yaml);
  const expr = createExpressionSource(source, scalar, String(scalar.value));
  const at = expr.locate(expr.text.indexOf('X'));
  return `${at.line}:${at.col}`;
}

describe('plain scalars', () => {
  it('maps a one-line plain scalar', () => {
    expectFaithful('e: $contains(data_title, X)\n');
    expect(locateX('e: $contains(data_title, X)\n')).toBe('1:26');
  });
  it('maps a multi-line plain scalar through folding', () => {
    const yaml = 's:\n  e: a and\n    b or\n\n    X\n';
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('5:5');
  });
  it('maps a plain scalar with trailing spaces and a comment', () => {
    expect(locateX('e: 1 + X   # note\n')).toBe('1:8');
  });
});

describe('single-quoted scalars', () => {
  it("maps through '' escapes", () => {
    const yaml = "e: '$contains(data_title, ''london'') and X'\n";
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('1:43');
  });
  it('maps across folded lines', () => {
    const yaml = "e: 'a and\n   b ''c''\n\n   X'\n";
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('4:4');
  });
});

describe('double-quoted scalars', () => {
  it('maps through \\" and \\n escapes', () => {
    const yaml = 'e: "$contains(\\"a\\nb\\", X)"\n';
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('1:25');
  });
  it('maps each character of a \\uXXXX escape to its backslash', () => {
    const yaml = 'e: "\\u0041\\u00e9 X"\n';
    const offsets = expectFaithful(yaml);
    expect(offsets.slice(0, 2)).toEqual([4, 10]);
    expect(locateX(yaml)).toBe('1:18');
  });
  it('maps an astral \\U escape (two UTF-16 units) to one backslash', () => {
    const offsets = expectFaithful('e: "\\U0001F600X"\n');
    expect(offsets.slice(0, 3)).toEqual([4, 4, 14]);
  });
  it('maps across folded lines and escaped line breaks', () => {
    const yaml = 'e: "a and \\\n   b\n\n   or X"\n';
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('4:7');
  });
  it('keeps escaped trailing whitespace but trims written whitespace before a break', () => {
    const yaml = 'e: "a\\t  \n  X"\n';
    const { scalar } = scalarOf(yaml);
    expect(scalar.value).toBe('a\t X');
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('2:3');
  });
});

describe('block literal scalars', () => {
  it('maps lines with their indentation removed', () => {
    const yaml = 's:\n  e: |\n    $a := 1;\n      X\n';
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('4:7');
  });
  it.each([
    ['|-', 'strip'],
    ['|+', 'keep'],
    ['|', 'clip'],
  ])('maps under the %s (%s) chomping indicator', (header) => {
    const yaml = `e: ${header}\n  a\n  X\n\n\nz: 1\n`;
    const offsets = expectFaithful(yaml);
    expect(locateX(yaml)).toBe('3:3');
    // the end of the text maps to just after the last content character
    expect(offsets[offsets.length - 1]).toBe(yaml.indexOf('X') + 1);
  });
  it('maps with an explicit indentation indicator', () => {
    const yaml = 's:\n  e: |2\n      a\n     X\n';
    const { scalar } = scalarOf(yaml);
    expect(scalar.value).toBe('  a\n X\n');
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('4:6');
  });
  it('maps leading empty lines and a header comment', () => {
    const yaml = 'e: | # the rule\n\n  a\n\n  X\n';
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('5:3');
  });
  it('maps CRLF line ends', () => {
    const yaml = 'e: |\r\n  a\r\n  X\r\n';
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('3:3');
  });
});

describe('block folded scalars', () => {
  it('maps folded lines (break → space)', () => {
    const yaml = 'e: >\n  a and\n  b and X\n';
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('3:9');
  });
  it('maps empty lines (→ newlines) and more-indented lines', () => {
    const yaml = 'e: >-\n  a\n\n  b\n    c\n  X\n';
    const { scalar } = scalarOf(yaml);
    expect(scalar.value).toBe('a\nb\n  c\nX');
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('6:3');
  });
  it('maps under keep chomping with trailing empty lines', () => {
    const yaml = 'e: >+\n  a\n  X\n\n';
    expectFaithful(yaml);
    expect(locateX(yaml)).toBe('3:3');
  });
});

describe('locate()', () => {
  it('clamps offsets past the end to just after the last character', () => {
    const { source, scalar } = scalarOf("e: 'ab'\n");
    const expr = createExpressionSource(source, scalar, 'ab');
    expect(expr.locate(99)).toEqual({ file: 'f.yaml', line: 1, col: 7 });
    expect(expr.locate(-5)).toEqual({ file: 'f.yaml', line: 1, col: 5 });
  });
  it('falls back to the scalar start when the text is not the scalar (when: true)', () => {
    const yaml = 'e: true\n';
    const lineCounter = new LineCounter();
    const doc = parseDocument(yaml, { lineCounter, keepSourceTokens: true });
    const node = doc.get('e', true) as Scalar;
    const expr = createExpressionSource({ file: 'f.yaml', text: yaml, doc, lineCounter }, node, 'true');
    expect(expr.locate(3)).toEqual({ file: 'f.yaml', line: 1, col: 4 });
    expect(expr.loc).toMatchObject({ line: 1, col: 4, endLine: 1, endCol: 8 });
  });
});
