/**
 * JSONata errors located through the real loader: the column of the offending token in the
 * file, whatever the YAML scalar style (plain, single- and double-quoted with escapes,
 * literal and folded blocks).
 */
import { describe, expect, it } from 'vitest';
import { compileRuleFile } from '../src/compile/index.js';
import { parseRuleFile } from '../src/rules/index.js';

/** The file with `when: <scalar>` on line 6; `marker` is where the offending token is written. */
function compileWhen(scalar: string) {
  const text = ['version: 1', 'stages:', '  pre-label:', '    rules:', '      - name: r', `        when: ${scalar}`, '        priority: 1', ''].join('\n');
  const parsed = parseRuleFile('rules/positions.yaml', text);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { text, diagnostics: compileRuleFile(parsed.file!).diagnostics };
}

/** 1-based line and column of the first `token` at or after `from` in the file text. */
function positionOf(text: string, token: string, from = 0): { line: number; col: number } {
  const offset = text.indexOf(token, from);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

describe('JSONata error positions through YAML scalars', () => {
  it('plain scalar', () => {
    const { text, diagnostics } = compileWhen('data_title +* 2');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'jsonata/S0201', ...positionOf(text, '2', text.indexOf('+*')) })]);
  });

  it('single-quoted scalar with a doubled quote before the error', () => {
    const { text, diagnostics } = compileWhen(`'$contains(data_title, "it''s") and $lowercse(data_title)'`);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'rule/unknown-function', ...positionOf(text, '$lowercse') })]);
  });

  it('double-quoted scalar with escapes before the error', () => {
    const { text, diagnostics } = compileWhen(`"$contains(data_title, \\"a\\\\tb\\") and $params.nope"`);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'rule/unknown-param', ...positionOf(text, 'nope') })]);
  });

  it('literal block scalar, error on the third line', () => {
    const { text, diagnostics } = compileWhen('|\n          $contains(data_title, "x")\n            and task.status = "NEW"\n            and a = = 1');
    const eq = text.lastIndexOf('= =') + 2;
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'jsonata/S0211', ...positionOf(text, '=', eq) })]);
  });

  it('folded block scalar, error on the second line', () => {
    const { text, diagnostics } = compileWhen('>\n          $contains(data_title, "x")\n          and $nope(1)');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'rule/unknown-function', ...positionOf(text, '$nope') })]);
  });

  it('reports every problem of one expression, each at its own place', () => {
    const { text, diagnostics } = compileWhen('|\n          $lowercse(data_title) = $params.cty\n            or $eval("1")');
    expect(diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ['rule/unknown-function', ...Object.values(positionOf(text, '$lowercse'))],
      ['rule/unknown-param', ...Object.values(positionOf(text, 'cty'))],
      ['rule/forbidden-function', ...Object.values(positionOf(text, '$eval'))],
    ]);
  });

  // jsonata attributes an arithmetic error to the outermost binary operator around it (here
  // `or`, not `+`); we map whatever token jsonata names, through the escapes before it.
  it('locates a runtime failure at its token inside a quoted scalar', async () => {
    const source = ['version: 1', 'stages:', '  pre-label:', '    rules:', '      - name: r', `        when: "$contains(data_title, \\"a\\") or data_title + 1"`, '        priority: 1', ''].join('\n');
    const parsed = parseRuleFile('rules/positions.yaml', source);
    const [handler] = compileRuleFile(parsed.file!).handlers;
    const result = await handler!.evaluate({ data_title: 'b' }, { params: {}, now: new Date(0), ontology: { objects: [], classifications: [] } });
    expect(result).toEqual({ ok: false, failure: expect.objectContaining({ rule: 'r', code: 'jsonata/T2001', file: 'rules/positions.yaml', ...positionOf(source, 'or ') }) });
  });
});
