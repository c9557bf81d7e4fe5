import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_DIAGNOSTICS_PER_FILE, parseRuleFile } from './parse.js';
import { MAX_RULE_FILE_BYTES } from '../yaml/source-text.js';

const SEED = `version: 1
stages:
  pre-label:
    rules:
      - name: london-first
        when: '$contains($lowercase(data_title), "london")'
        priority: 1
        route: annotate
    default:
      priority: 0
      route: annotate
`;

function codesAt(result: ReturnType<typeof parseRuleFile>): string[] {
  return result.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`);
}

describe('parseRuleFile: a valid file', () => {
  it('converts the seed with positions, and hashes the bytes', () => {
    const result = parseRuleFile('seed.yaml', SEED);
    expect(result.diagnostics).toEqual([]);
    const file = result.file!;
    expect(file.sha256).toBe(createHash('sha256').update(SEED).digest('hex'));
    expect(file.path).toBe('seed.yaml');
    const stage = file.stages[0]!;
    expect(stage).toMatchObject({ stage: 'pre-label', match: 'first', loc: { line: 3, col: 3 } });
    const rule = stage.rules[0]!;
    expect(rule.name).toBe('london-first');
    expect(rule.loc).toMatchObject({ line: 5, col: 9 });
    expect(rule.when?.text).toBe('$contains($lowercase(data_title), "london")');
    expect(rule.when?.loc).toMatchObject({ line: 6, col: 15 });
    expect(rule.when?.locate(rule.when.text.indexOf('"london"'))).toEqual({ file: 'seed.yaml', line: 6, col: 50 });
    expect(rule.actions.priority).toMatchObject({ kind: 'literal', value: 1, loc: { line: 7, col: 19 } });
    expect(rule.actions.route).toMatchObject({ pathway: 'annotate', loc: { line: 8, col: 16 } });
    expect(stage.default?.priority).toMatchObject({ kind: 'literal', value: 0 });
    expect(stage.default?.loc).toMatchObject({ line: 10, col: 7 });
  });

  it('hashes bytes exactly as given (CRLF, BOM) and still parses', () => {
    const bytes = Buffer.from('\uFEFF' + SEED.replace(/\n/g, '\r\n'), 'utf8');
    const result = parseRuleFile('crlf.yaml', bytes);
    expect(result.diagnostics).toEqual([]);
    expect(result.file?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(result.file?.stages[0]?.rules[0]?.when?.loc).toMatchObject({ line: 6, col: 15 });
  });

  it('reads classify answers, expressions, params and on_error', () => {
    const result = parseRuleFile(
      'f.yaml',
      `version: 1
params:
  cities: { type: string-array, default: [london], description: Cities }
  level: { type: number, min: 0, max: 1 }
stages:
  s:
    match: all
    rules:
      - name: r
        when: true
        priority: '$params.level'
        classify:
          Weather: { radio: Sunny }
          Tags: { checklist: [a, b] }
          Notes: { text: { expr: 'data_title' } }
          Quality: { numeric: 3 }
    on_error: { route: review }
`,
    );
    expect(result.diagnostics).toEqual([]);
    const file = result.file!;
    expect(file.params).toMatchObject([
      { name: 'cities', type: 'string-array', default: ['london'], description: 'Cities', loc: { line: 3, col: 3 } },
      { name: 'level', type: 'number', min: 0, max: 1 },
    ]);
    const stage = file.stages[0]!;
    expect(stage.match).toBe('all');
    expect(stage.onError).toMatchObject({ pathway: 'review', afterAttempts: 3 });
    const rule = stage.rules[0]!;
    expect(rule.when?.text).toBe('true');
    expect(rule.actions.priority).toMatchObject({ kind: 'expr', expr: { text: '$params.level' } });
    expect(rule.actions.classify.map((c) => (c.kind === 'literal' ? c.answer : { expr: c.expr.text, type: c.answerType }))).toEqual([
      { type: 'radio', option: 'Sunny' },
      { type: 'checklist', options: ['a', 'b'] },
      { expr: 'data_title', type: 'text' },
      { type: 'numeric', value: 3 },
    ]);
    expect(rule.actions.classify[2]?.loc).toMatchObject({ line: 15, col: 11 });
  });
});

describe('parseRuleFile: every problem in one run', () => {
  it('reports faults in several places, and keeps a partial file for further checks', () => {
    const result = parseRuleFile(
      'f.yaml',
      `version: 1
stages:
  s:
    match: firts
    rules:
      - name: a
        priority: 2
        when: 'x'
      - name: b
        wen: 'y'
        route: r
`,
    );
    expect(codesAt(result)).toEqual(['schema/enum 4:12', 'rule/priority-range 7:19', 'schema/additional-property 10:9']);
    expect(result.file).toBeUndefined();
    expect(result.partial?.stages[0]?.rules.map((r) => r.name)).toEqual(['a', 'b']);
    expect(result.diagnostics[0]?.hint).toMatch(/Did you mean "first"/);
    expect(result.diagnostics[2]?.hint).toMatch(/Did you mean "when"/);
  });

  it('keeps warnings on a usable file', () => {
    const result = parseRuleFile('f.yaml', 'version: 1\nstages:\n  s:\n    rules:\n      - { name: all, route: a }\n      - { name: later, route: b }\n');
    expect(codesAt(result)).toEqual(['rule/unreachable 6:9']);
    expect(result.diagnostics[0]?.severity).toBe('warning');
    expect(result.diagnostics[0]?.related?.[0]).toMatchObject({ line: 5, col: 9 });
    expect(result.file).toBeDefined();
  });
});

describe('parseRuleFile: hostile and broken input', () => {
  it.each([
    ['an empty file', '', 'yaml/empty-file 1:1'],
    ['only whitespace', '  \n\n', 'yaml/empty-file 1:1'],
    ['only comments', '# nothing\n', 'yaml/empty-file 1:1'],
    ['a NUL byte', 'version: 1\nsta\u0000ges: {}\n', 'yaml/binary-file 2:4'],
    ['a scalar document', 'hello\n', 'schema/type 1:1'],
    ['a list document', '- a\n- b\n', 'schema/type 1:1'],
    ['deep flow nesting', 'a: ' + '['.repeat(5000), 'yaml/too-deep 1:104'],
    ['deep compact nesting', '- '.repeat(5000) + 'x', 'yaml/too-deep 1:203'],
  ])('%s', (_, text, expected) => {
    expect(codesAt(parseRuleFile('f.yaml', text))).toEqual([expected]);
  });

  it('locates invalid UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('version: 1\nstages: é'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    expect(codesAt(parseRuleFile('f.yaml', bytes))).toEqual(['yaml/binary-file 2:10']);
  });

  it('refuses files over the size cap before parsing them', () => {
    const big = Buffer.alloc(MAX_RULE_FILE_BYTES + 1, 0x61);
    const result = parseRuleFile('big.yaml', big);
    expect(codesAt(result)).toEqual(['yaml/file-too-large 1:1']);
  });

  it('stops alias bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill('*' + 'abcdefg'[i]).join(', ')}]`)].join('\n');
    expect(codesAt(parseRuleFile('f.yaml', bomb))).toEqual(['yaml/alias-limit 2:8']);
  });

  it('refuses prototype keys anywhere without touching prototypes', () => {
    const text = `version: 1
stages:
  s:
    default: { route: a }
    constructor: { x: 1 }
params:
  p: { type: string, default: { __proto__: { polluted: true }, prototype: 1 } }
`;
    const result = parseRuleFile('f.yaml', text);
    expect(codesAt(result)).toEqual(['yaml/forbidden-key 5:5', 'yaml/forbidden-key 7:33', 'yaml/forbidden-key 7:64']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.file).toBeUndefined();
    expect(result.partial).toBeUndefined();
  });

  it('reports each duplicate key with the first one as related', () => {
    const result = parseRuleFile('f.yaml', 'version: 1\nversion: 1\nstages:\n  s: { default: { route: a, route: b } }\n');
    expect(codesAt(result)).toEqual(['yaml/duplicate-key 2:1', 'yaml/duplicate-key 4:29']);
    expect(result.diagnostics[1]?.related?.[0]).toMatchObject({ line: 4, col: 19 });
  });

  it('caps the number of diagnostics for one file', () => {
    const text = 'version: 1\nstages: { s: { default: { route: a } } }\n' + Array.from({ length: 300 }, (_, i) => `k${i}: 1`).join('\n');
    const result = parseRuleFile('f.yaml', text);
    expect(result.diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 1);
    expect(result.diagnostics.at(-1)?.code).toBe('yaml/too-many-errors');
  });

  it('never throws on random bytes', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const alphabet = 'ab:-[]{}&*!|>\'"# \n\t,?%@`\\';
    for (let n = 0; n < 300; n += 1) {
      const text = Array.from({ length: next() % 80 }, () => alphabet[next() % alphabet.length]).join('');
      const result = parseRuleFile('f.yaml', text);
      for (const d of result.diagnostics) {
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.col).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
