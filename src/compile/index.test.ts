import { describe, expect, it } from 'vitest';
import type { AnswerValue, AttributeType } from '../model/index.js';
import type { Actions, ClassifyAction, MatchMode, Rule, RuleFile, StageRules } from '../rules/types.js';
import { IMAGE_LABEL_ROW, ONTOLOGY, VIDEO_LABEL_ROW } from '../labels/test-support.js';
import { compileRuleFile } from './index.js';
import { inlineSource } from './test-support.js';
import type { EvaluationContext } from './types.js';

const FILE = 'rules/test.yaml';
let nextLine = 10;
/** An expression on its own line (so failures can be told apart by line), starting at column 15. */
const expr = (text: string) => inlineSource(text, { file: FILE, line: nextLine++, col: 15 });
const loc = () => ({ file: FILE, line: nextLine++, col: 5 });

type RuleSpec = { name: string; when?: string; priority?: number | string; route?: string; classify?: ClassifyAction[] };

function actionsOf(spec: Omit<RuleSpec, 'name' | 'when'>): Actions {
  const actions: Actions = { classify: spec.classify ?? [] };
  if (typeof spec.priority === 'number') actions.priority = { kind: 'literal', value: spec.priority, loc: loc() };
  if (typeof spec.priority === 'string') actions.priority = { kind: 'expr', expr: expr(spec.priority) };
  if (spec.route) actions.route = { pathway: spec.route, loc: loc() };
  return actions;
}

function stageOf(rules: RuleSpec[], options: { match?: MatchMode; default?: Omit<RuleSpec, 'name' | 'when'> } = {}): StageRules {
  const stage: StageRules = {
    stage: 'pre-label',
    loc: loc(),
    match: options.match ?? 'first',
    rules: rules.map((spec): Rule => ({ name: spec.name, loc: loc(), ...(spec.when ? { when: expr(spec.when) } : {}), actions: actionsOf(spec) })),
  };
  if (options.default) stage.default = { ...actionsOf(options.default), loc: loc() };
  return stage;
}

function fileOf(...stages: StageRules[]): RuleFile {
  return { path: FILE, sha256: '0'.repeat(64), version: 1, params: [{ name: 'city', type: 'string', default: 'london', loc: loc() }], stages };
}

const literal = (classification: string, answer: AnswerValue): ClassifyAction => ({ classification, loc: loc(), kind: 'literal', answer });
const computed = (classification: string, answerType: AttributeType, text: string): ClassifyAction => ({ classification, loc: loc(), kind: 'expr', answerType, expr: expr(text) });

const context: EvaluationContext = { params: { city: 'london' }, now: new Date('2026-05-01T12:00:00Z'), ontology: ONTOLOGY };
const london = { data_title: 'London-Bridge.jpg', task: { uuid: 't1', status: 'NEW' } };
const paris = { data_title: 'paris.jpg', task: { uuid: 't2', status: 'NEW' } };

function handlerOf(file: RuleFile) {
  // A generous timeout: a busy host must not turn decisions into guard/timeout failures.
  const { handlers, diagnostics } = compileRuleFile(file, { limits: { timeoutMs: 10_000 } });
  expect(diagnostics).toEqual([]);
  return handlers[0]!;
}

describe('compileRuleFile: the london handler (match: first)', () => {
  const handler = handlerOf(
    fileOf(stageOf([{ name: 'london-first', when: '$contains($lowercase(data_title), $params.city)', priority: 1, route: 'annotate' }], { default: { priority: 0, route: 'annotate' } })),
  );

  it('describes the stage', () => {
    expect(handler).toMatchObject({ stage: 'pre-label', file: FILE, match: 'first', ruleNames: ['london-first'], needs: { labels: false, clientMetadata: false, fields: ['data_title'] } });
  });

  it('applies the matching rule', async () => {
    expect(await handler.evaluate(london, context)).toEqual({
      ok: true,
      decision: { matchedRules: ['london-first'], usedDefault: false, priority: { value: 1, rule: 'london-first' }, route: { pathway: 'annotate', rule: 'london-first' }, classifications: [], overridden: [] },
    });
  });

  it('falls back to the default when nothing matched', async () => {
    expect(await handler.evaluate(paris, context)).toEqual({
      ok: true,
      decision: { matchedRules: [], usedDefault: true, priority: { value: 0, rule: 'default' }, route: { pathway: 'annotate', rule: 'default' }, classifications: [], overridden: [] },
    });
  });

  it('leaves the document unchanged', async () => {
    const document = JSON.parse(JSON.stringify(london)) as Record<string, unknown>;
    await handler.evaluate(document, context);
    expect(document).toEqual(london);
  });
});

describe('match semantics', () => {
  const rules: RuleSpec[] = [
    { name: 'a', when: 'true', priority: 0.9, classify: [literal('Weather', { type: 'radio', option: 'Rain' })] },
    { name: 'b', when: 'false', priority: 0.1, route: 'never' },
    { name: 'c', priority: 0.5, route: 'review', classify: [literal('Weather', { type: 'radio', option: 'Sunny' }), literal('Tags', { type: 'checklist', options: ['Night'] })] },
  ];

  it('first: only the first matching rule acts', async () => {
    const result = await handlerOf(fileOf(stageOf(rules))).evaluate(london, context);
    expect(result.ok && result.decision).toMatchObject({ matchedRules: ['a'], priority: { value: 0.9, rule: 'a' }, overridden: [] });
    expect(result.ok && result.decision.route).toBeUndefined();
  });

  it('all: the first rule per target wins, later ones are recorded as overridden', async () => {
    const result = await handlerOf(fileOf(stageOf(rules, { match: 'all', default: { priority: 0 } }))).evaluate(london, context);
    expect(result).toEqual({
      ok: true,
      decision: {
        matchedRules: ['a', 'c'],
        usedDefault: false,
        priority: { value: 0.9, rule: 'a' },
        route: { pathway: 'review', rule: 'c' },
        classifications: [
          { classification: 'Weather', answer: { type: 'radio', option: 'Rain' }, rule: 'a' },
          { classification: 'Tags', answer: { type: 'checklist', options: ['Night'] }, rule: 'c' },
        ],
        overridden: [
          { action: 'priority', rule: 'c', keptFrom: 'a' },
          { action: 'classify', target: 'Weather', rule: 'c', keptFrom: 'a' },
        ],
      },
    });
  });

  it('no rule and no default: an empty decision', async () => {
    const result = await handlerOf(fileOf(stageOf([{ name: 'never', when: 'false', priority: 1 }]))).evaluate(london, context);
    expect(result).toEqual({ ok: true, decision: { matchedRules: [], usedDefault: false, classifications: [], overridden: [] } });
  });

  it.each([
    ['nothing', 'nope', false],
    ['null', 'null', false],
    ['""', '""', false],
    ['0', '0', false],
    ['[]', '[]', false],
    ['{}', '{}', false],
    ['[false, 0]', '[false, 0]', false],
    ['a function', 'function($x){ true }', false],
    ['"x"', '"x"', true],
    ['[0, 1]', '[0, 1]', true],
    ['{"a": 1}', '{"a": 1}', true],
  ])('when giving %s is %s', async (_label, when, matches) => {
    const result = await handlerOf(fileOf(stageOf([{ name: 'r', when, priority: 1 }]))).evaluate(london, context);
    expect(result.ok && result.decision.matchedRules).toEqual(matches ? ['r'] : []);
  });
});

describe('computed actions', () => {
  const evaluateWith = async (spec: Omit<RuleSpec, 'name'>, document: unknown = london) =>
    handlerOf(fileOf(stageOf([{ name: 'computed', ...spec }]))).evaluate(document as Record<string, unknown>, context);

  it('computes a priority in [0, 1]', async () => {
    const result = await evaluateWith({ priority: '$contains(data_title, "London") ? 0.75 : 0.25' });
    expect(result.ok && result.decision.priority).toEqual({ value: 0.75, rule: 'computed' });
  });

  it.each([['1.5'], ['-0.1'], ['"high"'], ['nope']])('refuses a computed priority of %s with rule/bad-priority at the expression', async (text) => {
    const spec = { priority: text };
    const handler = handlerOf(fileOf(stageOf([{ name: 'computed', ...spec }])));
    const line = nextLine - 2; // allocation order: rule loc, priority, then the file's param loc
    const result = await handler.evaluate(london, context);
    expect(result).toMatchObject({ ok: false, failure: { rule: 'computed', code: 'rule/bad-priority', file: FILE, line, col: 15 } });
  });

  it.each<[AttributeType, string, AnswerValue]>([
    ['radio', '"Rain"', { type: 'radio', option: 'Rain' }],
    ['checklist', '["Outdoor", "Night"]', { type: 'checklist', options: ['Outdoor', 'Night'] }],
    ['checklist', '"Night"', { type: 'checklist', options: ['Night'] }],
    ['text', '"seen at " & $now()', { type: 'text', text: 'seen at 2026-05-01T12:00:00.000Z' }],
    ['numeric', '$length(data_title)', { type: 'numeric', value: 17 }],
  ])('computes a %s answer from %s', async (type, text, answer) => {
    const result = await evaluateWith({ classify: [computed('X', type, text)] });
    expect(result.ok && result.decision.classifications).toEqual([{ classification: 'X', answer, rule: 'computed' }]);
  });

  it.each<[AttributeType, string]>([
    ['radio', '1'],
    ['checklist', '[1, 2]'],
    ['text', 'nope'],
    ['numeric', '"3"'],
  ])('refuses a %s answer computed as %s with rule/bad-answer', async (type, text) => {
    const result = await evaluateWith({ classify: [computed('X', type, text)] });
    expect(result).toMatchObject({ ok: false, failure: { rule: 'computed', code: 'rule/bad-answer' } });
  });
});

describe('failures are state, located at the expression', () => {
  it('a runtime error names the rule and the token inside the expression', async () => {
    const handler = handlerOf(fileOf(stageOf([{ name: 'ok', when: 'false', priority: 1 }, { name: 'broken', when: 'data_title + 1', priority: 1 }])));
    const whenLine = nextLine - 3; // allocation order: rule loc, when, priority loc, then the file's param loc
    const result = await handler.evaluate(london, context);
    expect(result).toEqual({ ok: false, failure: expect.objectContaining({ rule: 'broken', code: 'jsonata/T2001', file: FILE, line: whenLine, col: 15 + 11 }) });
  });

  it('a guardrail hit is a failure, not a throw', async () => {
    const file = fileOf(stageOf([{ name: 'loop', when: '($f := function($n){ $f($n + 1) }; $f(0))', priority: 1 }]));
    const { handlers } = compileRuleFile(file, { limits: { timeoutMs: 20 } });
    expect(await handlers[0]!.evaluate(london, context)).toMatchObject({ ok: false, failure: { rule: 'loop', code: 'guard/timeout' } });
  });

  it('the default\'s failure is reported as rule "default"', async () => {
    const result = await handlerOf(fileOf(stageOf([], { default: { priority: '"x"' } }))).evaluate(london, context);
    expect(result).toMatchObject({ ok: false, failure: { rule: 'default', code: 'rule/bad-priority' } });
  });

  it('an unknown classification in $answer fails the rule', async () => {
    const result = await handlerOf(fileOf(stageOf([{ name: 'mood', when: '$answer("Mood") = "happy"', priority: 1 }]))).evaluate(london, context);
    expect(result).toMatchObject({ ok: false, failure: { rule: 'mood', code: 'rule/unknown-classification' } });
  });
});

describe('compile diagnostics', () => {
  it('reports every problem in every rule and stage, each where it is written', () => {
    const first = stageOf([{ name: 'a', when: '$lowercse(data_title)', priority: '$params.cty' }]);
    const second = { ...stageOf([{ name: 'b', when: 'a +* 2', classify: [computed('Weather', 'radio', '$eval("x")')] }]), stage: 'review-prep' };
    const { handlers, diagnostics } = compileRuleFile(fileOf(first, second));
    expect(handlers).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['rule/unknown-function', 'rule/unknown-param', 'jsonata/S0201', 'rule/forbidden-function']);
    expect(diagnostics.every((d) => d.file === FILE && d.col >= 15)).toBe(true);
    expect(new Set(diagnostics.map((d) => d.line)).size).toBe(4);
  });

  it('still returns the handlers of clean stages', () => {
    const clean = stageOf([{ name: 'a', priority: 1 }]);
    const broken = { ...stageOf([{ name: 'b', when: '$nope()', priority: 1 }]), stage: 'other' };
    const { handlers, diagnostics } = compileRuleFile(fileOf(clean, broken));
    expect(handlers.map((h) => h.stage)).toEqual(['pre-label']);
    expect(diagnostics).toHaveLength(1);
  });
});

describe('needs', () => {
  const compiled = (rules: RuleSpec[], options: Parameters<typeof stageOf>[1] = {}) => handlerOf(fileOf(stageOf(rules, options)));

  it('labels when any expression reads labels, including the default and computed answers', () => {
    expect(compiled([{ name: 'a', when: 'true', priority: 1 }]).needs).toEqual({ labels: false, clientMetadata: false, fields: [] });
    expect(compiled([{ name: 'a', when: '$answer("Weather") = "Rain"', priority: 1 }]).needs.labels).toBe(true);
    expect(compiled([{ name: 'a', priority: '$count($objects("Car")) / 10' }]).needs.labels).toBe(true);
    expect(compiled([], { default: { classify: [computed('Notes', 'text', 'client_metadata.note')] } }).needs).toEqual({ labels: true, clientMetadata: true, fields: ['client_metadata', 'note'] });
  });

  it('labels when any action classifies (the label row is edited)', () => {
    expect(compiled([{ name: 'a', priority: 1 }]).needs.labels).toBe(false);
    expect(compiled([{ name: 'a', classify: [literal('Weather', { type: 'radio', option: 'Rain' })] }]).needs.labels).toBe(true);
    expect(compiled([], { default: { classify: [literal('Notes', { type: 'text', text: 'x' })] } }).needs.labels).toBe(true);
  });
});

describe('helpers inside rules, on Encord label rows', () => {
  const handler = handlerOf(
    fileOf(
      stageOf(
        [
          { name: 'heavy-rain', when: '$answer("Weather") = "Rain" and $answer("Intensity") = "Heavy"', priority: 1, route: 'expert' },
          { name: 'busy-video', when: '$count($distinct($objects("Car").objectHash)) >= 1 and "Night" in $answer("Tags")', priority: 0.8 },
          { name: 'moving-car', when: '$count($objects("Car")[frame > 0]) >= 2', route: 'tracking' },
        ],
        { match: 'all' },
      ),
    ),
  );
  const image = { ...IMAGE_LABEL_ROW, task: { uuid: 't-image' } };
  const video = { ...VIDEO_LABEL_ROW, task: { uuid: 't-video' } };

  it('reads answers and objects of an image', async () => {
    const result = await handler.evaluate(image, context);
    expect(result.ok && result.decision.matchedRules).toEqual(['heavy-rain', 'busy-video']);
  });

  it('reads objects across video frames', async () => {
    const result = await handler.evaluate(video, context);
    expect(result.ok && result.decision.matchedRules).toEqual(['moving-car']);
    expect(result.ok && result.decision.route).toEqual({ pathway: 'tracking', rule: 'moving-car' });
  });

  it('sees the document and ontology of its own evaluation when run concurrently', async () => {
    const results = await Promise.all([handler.evaluate(image, context), handler.evaluate(video, context), handler.evaluate(image, context)]);
    expect(results.map((r) => r.ok && r.decision.matchedRules)).toEqual([['heavy-rain', 'busy-video'], ['moving-car'], ['heavy-rain', 'busy-video']]);
  });
});

describe('evaluateSync', () => {
  const documents = [
    london,
    paris,
    { data_title: 'LONDON night', priority: 0.2, task: { uuid: 't3', status: 'IN_PROGRESS' } },
    { data_title: 42, task: { uuid: 't4', status: 'NEW' } },
    { task: { uuid: 't5', status: 'NEW' } },
  ];
  const stages: [string, StageRules][] = [
    ['first match, literal actions', stageOf([{ name: 'l', when: '$contains($lowercase(data_title), $params.city)', priority: 1, route: 'annotate' }], { default: { priority: 0, route: 'annotate' } })],
    [
      'all matches, computed priority and answers, overrides',
      stageOf(
        [
          { name: 'a', when: 'task.status = "NEW"', priority: '$length(data_title) / 100', classify: [computed('Notes', 'text', 'data_title & "!"')] },
          { name: 'b', when: '$exists(priority)', priority: 'priority * 2', route: 'annotate' },
        ],
        { match: 'all', default: { route: 'annotate' } },
      ),
    ],
    // `$length` of a number is a type error (T0410); the error must come back located, both ways.
    ['a rule that fails for some tasks', stageOf([{ name: 'f', when: '$length(data_title) > 3', priority: 1 }])],
    ['a priority out of range', stageOf([{ name: 'p', priority: '$length(data_title)' }])],
  ];

  it.each(stages)('%s: the same evaluation as evaluate, without promises', async (_name, stage) => {
    const handler = handlerOf(fileOf(stage));
    expect(handler.evaluateSync).toBeTypeOf('function');
    for (const document of documents) {
      const expected = await handler.evaluate(document, context);
      expect(handler.evaluateSync!(document, context)).toEqual(expected);
    }
  });

  it('is absent when an expression needs jsonata itself', () => {
    // $answer is one of our helpers, which the fast path declines.
    const handler = handlerOf(fileOf(stageOf([{ name: 'w', when: '$answer("Weather") = "Sunny"', priority: 1 }])));
    expect(handler.evaluateSync).toBeUndefined();
  });
});
