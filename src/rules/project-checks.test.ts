import { describe, expect, it } from 'vitest';
import type { OntologyAttribute, Project } from '../model/index.js';
import { parseRuleFile } from './parse.js';
import { checkRuleFileAgainstProject } from './project-checks.js';

function attribute(name: string, type: OntologyAttribute['type'], labels: string[] = []): OntologyAttribute {
  return {
    id: name,
    name,
    type,
    featureNodeHash: `attr-${name}`,
    required: false,
    options: labels.map((label) => ({ id: label, label, value: label.toLowerCase(), featureNodeHash: `opt-${label}` })),
  };
}

const PROJECT: Project = {
  projectHash: 'p-1',
  title: 'Demo',
  description: '',
  projectType: 'workflow',
  ontologyHash: 'o-1',
  ontology: {
    objects: [],
    classifications: [
      { id: '1', featureNodeHash: 'cls-weather', attributes: [attribute('Weather', 'radio', ['Sunny', 'Rainy'])] },
      { id: '2', featureNodeHash: 'cls-tags', attributes: [attribute('Scene tags', 'checklist', ['Urban', 'Night'])] },
      { id: '3', featureNodeHash: 'cls-notes', attributes: [attribute('Notes', 'text')] },
    ],
  },
  workflow: {
    stages: [
      { uuid: 'st-pre', title: 'pre-label', stageType: 'AGENT', pathways: [{ uuid: 'pw-annotate', name: 'annotate', destinationUuid: 'st-ann' }] },
      { uuid: 'st-ann', title: 'Annotate', stageType: 'ANNOTATION', pathways: [] },
    ],
  },
};

function check(yaml: string): string[] {
  const parsed = parseRuleFile('r.yaml', yaml);
  expect(parsed.diagnostics).toEqual([]);
  return checkRuleFileAgainstProject(parsed.file!, PROJECT).map((d) => `${d.code} ${d.line}:${d.col} ${d.hint ?? ''}`);
}

describe('checkRuleFileAgainstProject', () => {
  it('accepts names, uuids and feature hashes that exist', () => {
    expect(
      check(`version: 1
project: p-1
stages:
  pre-label:
    rules:
      - name: a
        when: 'x = 1'
        route: pw-annotate
        classify:
          Weather: { radio: Sunny }
          cls-tags: { checklist: [Urban, Night] }
          attr-Notes: { text: { expr: 'data_title' } }
    default: { route: annotate }
    on_error: { route: annotate }
`),
    ).toEqual([]);
  });

  it('reports an unknown stage with the agent stages', () => {
    expect(check('version: 1\nstages:\n  pre-lable:\n    default: { route: annotate }\n')).toEqual([
      'rule/unknown-stage 3:3 Did you mean "pre-label"? Agent stages: "pre-label".',
    ]);
  });

  it('reports a stage that is not an agent stage', () => {
    expect(check('version: 1\nstages:\n  Annotate:\n    default: { route: annotate }\n')).toEqual([
      'rule/not-agent-stage 3:3 Agent stages: "pre-label".',
    ]);
  });

  it('reports the same stage named twice (title and uuid)', () => {
    const found = check('version: 1\nstages:\n  pre-label:\n    default: { route: annotate }\n  st-pre:\n    default: { route: annotate }\n');
    expect(found).toEqual(['rule/duplicate-stage 5:3 Give each stage one entry (by title or by uuid, not both).']);
  });

  it('reports unknown pathways in rules, default and on_error', () => {
    const found = check(`version: 1
stages:
  pre-label:
    rules:
      - { name: a, when: 'x', route: anotate }
    default: { route: review }
    on_error: { route: done }
`);
    expect(found).toEqual([
      'rule/unknown-pathway 5:38 Did you mean "annotate"? Pathways: "annotate".',
      'rule/unknown-pathway 6:23 Pathways: "annotate".',
      'rule/unknown-pathway 7:15 Pathways: "annotate".',
    ]);
  });

  it('reports unknown classifications, wrong answer kinds and unknown options', () => {
    const found = check(`version: 1
stages:
  pre-label:
    default:
      classify:
        Wether: { radio: Sunny }
        Weather: { radio: Suny }
        Scene tags: { checklist: [Urban, Day] }
        Notes: { radio: Sunny }
`);
    expect(found).toEqual([
      'rule/unknown-classification 6:9 Did you mean "Weather"? Classifications: "Weather", "Scene tags", "Notes".',
      'rule/unknown-option 7:9 Did you mean "Sunny"? Options: "Sunny", "Rainy".',
      'rule/unknown-option 8:9 Options: "Urban", "Night".',
      'rule/answer-type-mismatch 9:9 Write `Notes: {text: <text>}`.',
    ]);
  });

  it('reports a file written for another project', () => {
    expect(check('version: 1\nproject: p-2\nstages:\n  pre-label:\n    default: { route: annotate }\n')[0]).toMatch(/^rule\/project-mismatch 1:1/);
  });
});
