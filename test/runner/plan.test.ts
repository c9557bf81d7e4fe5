import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/model/index.js';
import { fixedEnv, makeRecord, makeTask, preLabel, project } from './fixtures.js';
import { findPathway } from '../../src/model/index.js';
import { planCommit, planOnErrorRoute, planTask } from '../../src/runner/plan.js';

const handler = { file: 'rules/x.yaml' };

function decide(extra: Partial<Decision>): Decision {
  return { matchedRules: ['r'], usedDefault: false, classifications: [], overridden: [], ...extra };
}

describe('planTask', () => {
  it('sets a priority only when it differs, and treats 0 as a real value', () => {
    const toZero = decide({ priority: { value: 0, rule: 'r' } });
    const changed = planTask(toZero, makeRecord(makeTask(1), 0.3), project, preLabel, handler, fixedEnv);
    expect(changed.changes).toEqual([{ kind: 'set-priority', before: 0.3, after: 0, rule: 'r' }]);
    const same = planTask(toZero, makeRecord(makeTask(1), 0), project, preLabel, handler, fixedEnv);
    expect(same.changes).toEqual([]);
    expect(planCommit(same)).toBeUndefined();
    const fromNull = planTask(toZero, makeRecord(makeTask(1), null), project, preLabel, handler, fixedEnv);
    expect(fromNull.changes).toEqual([{ kind: 'set-priority', before: null, after: 0, rule: 'r' }]);
  });

  it('resolves a route by exact name or uuid and fails on anything else, at the rule', () => {
    const byName = planTask(decide({ route: { pathway: 'annotate', rule: 'r' } }), makeRecord(makeTask(1), 0), project, preLabel, handler, fixedEnv);
    expect(byName.changes).toEqual([{ kind: 'route', pathway: preLabel.pathways[0], rule: 'r' }]);
    const byUuid = planTask(decide({ route: { pathway: 'pw-errors', rule: 'r' } }), makeRecord(makeTask(1), 0), project, preLabel, handler, fixedEnv);
    expect(planCommit(byUuid)).toEqual({ taskUuid: 'task-000001', dataHash: 'data-1', pathwayUuid: 'pw-errors' });
    const env = { ...fixedEnv, ruleLocations: new Map([['r', { file: 'rules/x.yaml', line: 7, col: 9 }]]) };
    const wrongCase = planTask(decide({ route: { pathway: 'Annotate', rule: 'r' } }), makeRecord(makeTask(1), 0), project, preLabel, handler, env);
    expect(wrongCase.changes).toEqual([]);
    expect(wrongCase.failure).toMatchObject({ rule: 'r', code: 'rule/unknown-pathway', file: 'rules/x.yaml', line: 7, col: 9 });
    expect(planCommit(wrongCase)).toBeUndefined();
  });

  it('edits the label row for a new answer and skips an answer already given', () => {
    const sunny = decide({ classifications: [{ classification: 'Weather', answer: { type: 'radio', option: 'Sunny' }, rule: 'r' }] });
    const record = makeRecord(makeTask(1), 0, true);
    const first = planTask(sunny, record, project, preLabel, handler, fixedEnv);
    expect(first.changes).toEqual([
      { kind: 'set-answer', classification: 'Weather', featureHash: 'weatherF', before: null, after: { type: 'radio', option: 'Sunny' }, rule: 'r' },
    ]);
    expect(record.labelRow!.classification_answers).toEqual({});
    expect(planCommit(first)?.labelRow).toBe(first.labelRow);
    const again = planTask(sunny, { ...record, labelRow: first.labelRow! }, project, preLabel, handler, fixedEnv);
    expect(again.changes).toEqual([]);
    expect(again.labelRow).toBeUndefined();
  });

  it('fails the task when an answer does not fit the ontology', () => {
    const bad = decide({ classifications: [{ classification: 'Weather', answer: { type: 'radio', option: 'Foggy' }, rule: 'r' }] });
    const plan = planTask(bad, makeRecord(makeTask(1), 0, true), project, preLabel, handler, fixedEnv);
    expect(plan.failure?.code).toBe('rule/unknown-option');
    const unknown = decide({ classifications: [{ classification: 'Mood', answer: { type: 'text', text: 'x' }, rule: 'r' }] });
    expect(planTask(unknown, makeRecord(makeTask(1), 0, true), project, preLabel, handler, fixedEnv).failure?.code).toBe(
      'rule/unknown-classification',
    );
  });

  it('routes a failed task along on_error, keeping the failure', () => {
    const failed = {
      ...planTask(decide({}), makeRecord(makeTask(1), 0), project, preLabel, handler, fixedEnv),
      failure: { rule: 'r', file: 'f', line: 1, col: 1, code: 'jsonata/T0410', message: 'boom' },
    };
    const routed = planOnErrorRoute(failed, preLabel, 'errors');
    expect(routed.changes).toEqual([{ kind: 'route', pathway: findPathway(preLabel, 'errors'), rule: 'on_error' }]);
    expect(routed.failure?.code).toBe('jsonata/T0410');
  });
});
