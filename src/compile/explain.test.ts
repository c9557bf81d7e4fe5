import { describe, expect, it } from 'vitest';
import jsonata from 'jsonata';
import type { Rule, StageRules } from '../rules/types.js';
import type { AstNode } from './ast.js';
import { collectReadPaths, explainRule, explainStage, resolveFieldRead } from './explain.js';
import { EMPTY_ONTOLOGY, inlineSource } from './test-support.js';

const context = { params: { city: 'london' }, now: new Date('2026-01-05T12:00:00Z'), ontology: EMPTY_ONTOLOGY };
const params = [{ name: 'city', type: 'string' as const, loc: { file: 'r.yaml', line: 2, col: 3 } }];

function rule(name: string, when?: string, line = 5): Rule {
  const r: Rule = { name, loc: { file: 'r.yaml', line, col: 9 }, actions: { classify: [] } };
  if (when !== undefined) r.when = inlineSource(when, { file: 'r.yaml', line: line + 1, col: 15 });
  return r;
}

function reads(text: string): string[] {
  return collectReadPaths(text, jsonata(text).ast() as unknown as AstNode).map((r) =>
    r.kind === 'field' ? r.names.join('.') : r.kind === 'param' ? `$params.${r.name}` : r.text,
  );
}

describe('collectReadPaths', () => {
  it('finds top-level fields, params and helper calls, not what predicates and lambdas read', () => {
    expect(reads('$contains($lowercase(data_title), $params.city) and task.status = "NEW"')).toEqual([
      'data_title',
      '$params.city',
      'task.status',
    ]);
    expect(reads('$count(data_units.*.labels.objects[name = "Car"]) > 2')).toEqual(['data_units']);
    expect(reads('client_metadata[camera = "x"].city')).toEqual(['client_metadata']);
    expect(reads('$answer("Weather") = "Rainy" or $count($objects("Car")) > 0')).toEqual([
      '$answer("Weather")',
      '$objects("Car")',
    ]);
    expect(reads('$filter(tags, function($t) { $t.score > 1 })')).toEqual(['tags']);
    expect(reads('$.a.b and $$.c')).toEqual(['a.b', 'c']);
    expect(reads('priority > 0.5 ? {"p": width} : [height]')).toEqual(['priority', 'width', 'height']);
  });
});

describe('resolveFieldRead', () => {
  it('follows paths through lists and reports where a path goes missing', () => {
    const doc = { task: { status: 'NEW' }, units: [{ w: 1 }, { w: 2 }, {}], meta: null };
    expect(resolveFieldRead(doc, ['task', 'status'])).toEqual({ path: 'task.status', value: 'NEW', missing: false });
    expect(resolveFieldRead(doc, ['units', 'w'])).toMatchObject({ value: [1, 2], missing: false });
    expect(resolveFieldRead(doc, ['client_metadata', 'city'])).toEqual({
      path: 'client_metadata.city',
      value: undefined,
      missing: true,
      missingAt: 'client_metadata',
    });
    expect(resolveFieldRead(doc, ['meta'])).toMatchObject({ value: null, missing: false });
    expect(resolveFieldRead(doc, ['task', 'constructor'])).toMatchObject({ missing: true, missingAt: 'task.constructor' });
  });
});

describe('explainRule', () => {
  const doc = { data_title: 'London_bridge.jpg', task: { status: 'REOPENED' } };

  it('gives each clause its value, place and reads, and marks a missing field', async () => {
    const trace = await explainRule(
      rule('london-new', '$contains($lowercase(data_title), $params.city) and task.status = "NEW" and client_metadata.city = "x"'),
      params,
      doc,
      context,
    );
    expect(trace.matched).toBe(false);
    expect(trace.when?.operator).toBe('and');
    const [first, second, third] = trace.when!.clauses;
    expect(first).toMatchObject({ truthy: true, reached: true, loc: { line: 6, col: 15 } });
    expect(first!.reads).toEqual([
      { path: 'data_title', value: 'London_bridge.jpg', missing: false },
      { path: '$params.city', value: 'london', missing: false },
    ]);
    expect(second).toMatchObject({ truthy: false, value: false, reached: true, loc: { line: 6, col: 67 } });
    expect(second!.reads).toEqual([{ path: 'task.status', value: 'REOPENED', missing: false }]);
    // JSONata never evaluates the third clause: the second already failed the `and`.
    expect(third).toMatchObject({ reached: false, truthy: false });
    expect(third!.reads).toEqual([
      { path: 'client_metadata.city', value: undefined, missing: true, missingAt: 'client_metadata' },
    ]);
  });

  it('reports an evaluation error on the clause and the whole', async () => {
    const trace = await explainRule(rule('bad', 'priority > 0.2 or data_title'), params, { priority: null }, context);
    expect(trace.matched).toBe(false);
    expect(trace.when?.error?.code).toBe('jsonata/T2010');
    expect(trace.when?.clauses[0]?.error?.code).toBe('jsonata/T2010');
    expect(trace.when?.clauses[1]?.reached).toBe(false);
  });

  it('traces nested chains clause by clause, with short-circuit at the inner level', async () => {
    const when = 'task.status = "REOPENED" and ($contains($lowercase(data_title), $params.city) or (priority > 0.4 and client_metadata.x))';
    const trace = await explainRule(rule('nested', when), params, { ...doc, priority: null }, context);
    expect(trace.matched).toBe(true);
    const [status, group] = trace.when!.clauses;
    expect(status).toMatchObject({ reached: true, truthy: true });
    expect(group).toMatchObject({ reached: true, truthy: true, reads: [], loc: { line: 6, col: 15 + when.indexOf('(') } });
    expect(group!.chain!.operator).toBe('or');
    const [contains, inner] = group!.chain!.clauses;
    expect(contains).toMatchObject({ index: 0, reached: true, truthy: true, loc: { col: 15 + when.indexOf('$contains') } });
    expect(contains!.reads.map((r) => r.path)).toEqual(['data_title', '$params.city']);
    // The `or` is decided by its first clause, so JSONata never evaluates the inner `and`
    // (whose `null > 0.4` would throw on its own), nor anything in it.
    expect(inner).toMatchObject({ reached: false, error: { code: 'jsonata/T2010' }, reads: [] });
    expect(inner!.chain!.clauses.map((c) => [c.text, c.reached])).toEqual([
      ['priority > 0.4', false],
      ['client_metadata.x', false],
    ]);
  });

  it('reaches an inner clause only when its chain is reached and not yet decided', async () => {
    const when = 'data_title = "x" or (task.status = "NEW" and data_title)';
    const reopened = await explainRule(rule('r', when), params, doc, context);
    const [, group] = reopened.when!.clauses;
    expect(group).toMatchObject({ reached: true, truthy: false });
    expect(group!.chain!.clauses.map((c) => [c.truthy, c.reached])).toEqual([
      [false, true],
      [true, false],
    ]);
    const decidedEarly = await explainRule(rule('r', when), params, { ...doc, data_title: 'x' }, context);
    expect(decidedEarly.when!.clauses[1]!.chain!.clauses.map((c) => c.reached)).toEqual([false, false]);
  });

  it('says a rule without `when` always matches', async () => {
    const trace = await explainRule(rule('always'), params, doc, context);
    expect(trace.matched).toBe(true);
    expect(trace.when).toBeUndefined();
  });
});

describe('explainStage', () => {
  const stage = (match: 'first' | 'all'): StageRules => ({
    stage: 'pre-label',
    loc: { file: 'r.yaml', line: 3, col: 3 },
    match,
    rules: [rule('a', 'data_title = "x"', 5), rule('b', 'true', 8), rule('c', 'true', 11)],
    default: { classify: [], loc: { file: 'r.yaml', line: 14, col: 5 } },
  });

  it('marks rules after the first match as not reached under match: first', async () => {
    const trace = await explainStage(stage('first'), params, { data_title: 'y' }, context);
    expect(trace.rules.map((r) => [r.rule, r.matched, r.reached])).toEqual([
      ['a', false, true],
      ['b', true, true],
      ['c', true, false],
    ]);
    expect(trace.usedDefault).toBe(false);
  });

  it('reaches every rule under match: all, and uses the default when none matched', async () => {
    const all = await explainStage(stage('all'), params, { data_title: 'y' }, context);
    expect(all.rules.every((r) => r.reached)).toBe(true);
    const none = await explainStage({ ...stage('first'), rules: [rule('a', 'data_title = "x"')] }, params, {}, context);
    expect(none.usedDefault).toBe(true);
  });
});
