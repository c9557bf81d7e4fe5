import { describe, expect, it } from 'vitest';
import type { Project } from '../../src/model/index.js';
import { parseRuleFile } from '../../src/rules/parse.js';
import { project } from './fixtures.js';
import { prepareStages, refitStages } from '../../src/runner/prepare.js';

const RULES = `version: 1
stages:
  pre-label:
    rules:
      - name: sunny
        classify:
          Weather: { radio: Sunny }
        route: annotate
`;

describe('refitStages', () => {
  const file = parseRuleFile('r.yaml', RULES).file!;
  const prepared = prepareStages([file], project);

  it('re-resolves stages that still fit, so they route along the pathways as they are now', () => {
    expect(prepared.diagnostics).toEqual([]);
    const changed: Project = structuredClone(project);
    changed.workflow.stages[0]!.pathways[0]!.uuid = 'pw-annotate-2';
    const fitted = refitStages(prepared.stages, changed);
    expect(fitted).toMatchObject({ skipped: [], diagnostics: [] });
    expect(fitted.stages[0]!.stage.pathways[0]!.uuid).toBe('pw-annotate-2');
    // The compiled handler is kept.
    expect(fitted.stages[0]!.handler).toBe(prepared.stages[0]!.handler);
  });

  it('skips a stage the changed ontology no longer fits, located where the rule names it', () => {
    const changed: Project = structuredClone(project);
    changed.ontology.classifications[0]!.attributes[0]!.options = changed.ontology.classifications[0]!.attributes[0]!.options!.filter((o) => o.label !== 'Sunny');
    const fitted = refitStages(prepared.stages, changed);
    expect(fitted.stages).toEqual([]);
    expect(fitted.skipped).toEqual(prepared.stages);
    expect(fitted.diagnostics.map((d) => [d.code, d.line])).toEqual([['rule/unknown-option', 7]]);
  });

  it('skips a stage that is gone or no longer an agent stage', () => {
    const changed: Project = structuredClone(project);
    changed.workflow.stages[0]!.title = 'pre-label-v2';
    expect(refitStages(prepared.stages, changed).diagnostics.map((d) => d.code)).toEqual(['rule/unknown-stage']);
    changed.workflow.stages[0]!.title = 'pre-label';
    changed.workflow.stages[0]!.stageType = 'ANNOTATION';
    expect(refitStages(prepared.stages, changed).diagnostics.map((d) => d.code)).toEqual(['rule/not-agent-stage']);
  });
});
