import { describe, expect, it } from 'vitest';
import { ONTOLOGY } from '../labels/test-support.js';
import type { RuleFile } from '../rules/types.js';
import { checkOntologyReferences } from './ontology-references.js';
import { inlineSource } from './test-support.js';

const at = { file: 'rules.yaml', line: 1, col: 1 };
function fileWith(when: string, priority?: string): RuleFile {
  return {
    path: 'rules.yaml', sha256: '', version: 1, params: [],
    stages: [{ stage: 's', loc: at, match: 'first', rules: [{ name: 'r', loc: at, when: inlineSource(when, { line: 5, col: 15 }), actions: { classify: [], ...(priority ? { priority: { kind: 'expr' as const, expr: inlineSource(priority, { line: 6, col: 19 }) } } : {}) } }] }],
  };
}

describe('checkOntologyReferences', () => {
  it('accepts names, hashes and nested attributes that exist', () => {
    expect(checkOntologyReferences(fileWith('$answer("Weather") = "Rain" and $answer("Intensity") and $count($objects("carFeat1")) > 0 and $objects()'), ONTOLOGY)).toEqual([]);
  });

  it('reports each unknown name at its string, with a did-you-mean', () => {
    const diagnostics = checkOntologyReferences(fileWith('$answer("Wether") = "Rain" and $count($objects("Cars")) > 0', '$count($objects("Truck")) / 10'), ONTOLOGY);
    expect(diagnostics.map((d) => [d.code, d.line, d.col, d.hint])).toEqual([
      ['rule/unknown-classification', 5, 15 + 8, 'did you mean "Weather"?'],
      ['rule/unknown-object', 5, 15 + 47, 'did you mean "Car"?'],
      ['rule/unknown-object', 6, 19 + 16, 'the ontology has: Car, Person'],
    ]);
  });

  it('skips computed names and expressions that do not parse', () => {
    expect(checkOntologyReferences(fileWith('$answer(task.dataTitle) or ('), ONTOLOGY)).toEqual([]);
    expect(checkOntologyReferences(fileWith('$answer("Mood" & "x")'), ONTOLOGY)).toEqual([]);
  });
});
