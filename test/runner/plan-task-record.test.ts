/**
 * planTaskRecord, the one path every entry point takes a task through: evaluate, plan, count the
 * failure, route along `on_error`. Real rules compiled from YAML, so the handler is what `apply` runs.
 */
import { describe, expect, it } from 'vitest';
import { compileRuleFile } from '../../src/compile/index.js';
import { parseRuleFile } from '../../src/rules/index.js';
import { planTaskRecord, type TaskPathEnv } from '../../src/runner/plan-task-record.js';
import { buildPreparedStage } from '../../src/runner/prepare.js';
import type { PreparedStage } from '../../src/runner/types.js';
import { fixedEnv, makeRecord, makeTask, preLabel, project } from './fixtures.js';

const RULES = `version: 1
stages:
  pre-label:
    rules:
      - name: london
        when: $contains(data_title, "london")
        priority: 1
        route: annotate
      - name: broken
        when: $contains(data_title, "bad") and $number("x") > 0
        priority: 0.5
      - name: lost
        when: $contains(data_title, "lost")
        route: nowhere
    on_error:
      route: errors
      after_attempts: 3
`;

function prepare(): PreparedStage {
  const parsed = parseRuleFile('rules/x.yaml', RULES);
  if (!parsed.file) throw new Error(JSON.stringify(parsed.diagnostics));
  const [handler] = compileRuleFile(parsed.file).handlers;
  const rules = parsed.file.stages[0]!;
  return buildPreparedStage(parsed.file, rules, handler!, preLabel, {}, undefined);
}

const env = (priorFailures?: number): TaskPathEnv => ({ project, now: fixedEnv.now, randomBytes: fixedEnv.randomBytes, ...(priorFailures === undefined ? {} : { priorFailures }) });

describe('planTaskRecord', () => {
  const prepared = prepare();

  it('evaluates and plans a task the rules handle, counting no attempt', async () => {
    const result = await planTaskRecord(prepared, makeRecord(makeTask(1, 'london-1.jpg'), 0), env());
    expect(result.evaluation).toMatchObject({ ok: true, decision: { matchedRules: ['london'] } });
    expect(result.plan.changes).toEqual([
      { kind: 'set-priority', before: 0, after: 1, rule: 'london' },
      { kind: 'route', pathway: preLabel.pathways[0], rule: 'london' },
    ]);
    expect(result.plan.failure).toBeUndefined();
    expect(result.attempts).toBeUndefined();
  });

  it('counts a failure of the rules as one more attempt and keeps the task in place before after_attempts', async () => {
    const first = await planTaskRecord(prepared, makeRecord(makeTask(2, 'bad-2.jpg'), 0), env());
    expect(first.evaluation.ok).toBe(false);
    expect(first.attempts).toBe(1);
    expect(first.plan.failure).toMatchObject({ rule: 'broken', file: 'rules/x.yaml' });
    expect(first.plan.changes).toEqual([]);
    const second = await planTaskRecord(prepared, makeRecord(makeTask(2, 'bad-2.jpg'), 0), env(1));
    expect(second.attempts).toBe(2);
    expect(second.plan.changes).toEqual([]);
  });

  it('routes along on_error on the after_attempts-th failure, keeping the failure on the plan', async () => {
    const third = await planTaskRecord(prepared, makeRecord(makeTask(2, 'bad-2.jpg'), 0), env(2));
    expect(third.attempts).toBe(3);
    expect(third.plan.changes).toEqual([{ kind: 'route', pathway: preLabel.pathways[1], rule: 'on_error' }]);
    expect(third.plan.failure).toMatchObject({ rule: 'broken' });
  });

  it('counts a failure found while planning (a route to no pathway) like one found while evaluating', async () => {
    const result = await planTaskRecord(prepared, makeRecord(makeTask(3, 'lost-3.jpg'), 0), env(5));
    expect(result.evaluation.ok).toBe(true);
    expect(result.attempts).toBe(6);
    expect(result.plan.failure).toMatchObject({ rule: 'lost', code: 'rule/unknown-pathway', file: 'rules/x.yaml', line: 12 });
    expect(result.plan.changes).toEqual([{ kind: 'route', pathway: preLabel.pathways[1], rule: 'on_error' }]);
  });
});
