/**
 * One stage's rules against one task document → a Decision (or the failure of one rule).
 * Pure: returns what should happen, does nothing.
 */
import type { AnswerValue, AttributeType, Decision, RuleFailure } from '../model/index.js';
import type { MatchMode } from '../rules/types.js';
import { expressionsOf, type CompiledActions, type CompiledRule, type CompiledStage } from './compile-stage.js';
import { evaluateExpression, evaluateFastExpression, type CompiledExpression } from './expression.js';
import type { ExpressionResult } from './guards.js';
import type { Evaluation, EvaluationContext, TaskDocument } from './types.js';

/** The values a matched rule's actions produce, before the match mode merges them. */
interface ActionValues {
  priority?: number;
  classifications: { classification: string; answer: AnswerValue }[];
  route?: string;
}

type Step<T> = { ok: true; value: T } | { ok: false; failure: RuleFailure };

/**
 * The stage's logic, written once: it yields each expression it needs evaluated and is sent
 * back the result. evaluateStage drives it asynchronously (any expression may need jsonata);
 * evaluateStageSync drives it with the fast path alone, with no promise per expression.
 */
type Steps<T> = Generator<CompiledExpression, T, ExpressionResult>;

/**
 * `first`: the first matching rule decides. `all`: every matching rule contributes in file
 * order; per target (priority, route, each classification) the first wins and the later
 * ones are recorded in `overridden`. `default` applies only when no rule matched.
 */
export async function evaluateStage(
  stage: CompiledStage,
  match: MatchMode,
  document: TaskDocument,
  context: EvaluationContext,
): Promise<Evaluation> {
  const steps = stageSteps(stage, match);
  let next = steps.next();
  while (!next.done) next = steps.next(await evaluateExpression(next.value, document, context));
  return next.value;
}

/** Whether evaluateStageSync can run this stage: every expression is on the fast path. */
export function isSynchronousStage(stage: CompiledStage): boolean {
  return stage.rules.every((rule) => expressionsOf(rule).every((e) => e.fast !== undefined)) &&
    (!stage.default || expressionsOf(stage.default).every((e) => e.fast !== undefined));
}

/** evaluateStage for a stage where isSynchronousStage holds; the same results, no promises. */
export function evaluateStageSync(stage: CompiledStage, match: MatchMode, document: TaskDocument, context: EvaluationContext): Evaluation {
  const steps = stageSteps(stage, match);
  let next = steps.next();
  while (!next.done) next = steps.next(evaluateFastExpression(next.value, document, context));
  return next.value;
}

function* stageSteps(stage: CompiledStage, match: MatchMode): Steps<Evaluation> {
  const decision: Decision = { matchedRules: [], usedDefault: false, classifications: [], overridden: [] };
  for (const rule of stage.rules) {
    const matched = yield* whenSteps(rule);
    if (!matched.ok) return matched;
    if (!matched.value) continue;
    const values = yield* actionSteps(rule);
    if (!values.ok) return values;
    decision.matchedRules.push(rule.name);
    mergeActions(decision, rule.name, values.value);
    if (match === 'first') break;
  }
  if (decision.matchedRules.length === 0 && stage.default) {
    const values = yield* actionSteps(stage.default);
    if (!values.ok) return values;
    decision.usedDefault = true;
    mergeActions(decision, 'default', values.value);
  }
  return { ok: true, decision };
}

function* whenSteps(rule: CompiledRule): Steps<Step<boolean>> {
  if (!rule.when) return { ok: true, value: true };
  const result = yield* expressionStep(rule, rule.when);
  return result.ok ? { ok: true, value: isTruthy(result.value) } : result;
}

function* actionSteps(rule: CompiledRule): Steps<Step<ActionValues>> {
  const actions: CompiledActions = rule.actions;
  const values: ActionValues = { classifications: [] };
  if (actions.priority?.kind === 'literal') values.priority = actions.priority.value;
  if (actions.priority?.kind === 'expr') {
    const result = yield* expressionStep(rule, actions.priority.expression);
    if (!result.ok) return result;
    const priority = result.value;
    if (typeof priority !== 'number' || !Number.isFinite(priority) || priority < 0 || priority > 1) {
      return fail(rule, actions.priority.expression, 'rule/bad-priority', `priority must be a number from 0 to 1, got ${describe(priority)}`);
    }
    values.priority = priority;
  }
  for (const action of actions.classify) {
    if (action.kind === 'literal') {
      values.classifications.push({ classification: action.classification, answer: action.answer });
      continue;
    }
    const result = yield* expressionStep(rule, action.expression);
    if (!result.ok) return result;
    const answer = toAnswer(action.answerType, result.value);
    if (!answer) {
      const expected = EXPECTED[action.answerType];
      return fail(rule, action.expression, 'rule/bad-answer', `${action.answerType} answer for "${action.classification}" must be ${expected}, got ${describe(result.value)}`);
    }
    values.classifications.push({ classification: action.classification, answer });
  }
  if (actions.route) values.route = actions.route.pathway;
  return { ok: true, value: values };
}

function* expressionStep(rule: CompiledRule, expression: CompiledExpression): Steps<Step<unknown>> {
  const result = yield expression;
  if (result.ok) return { ok: true, value: result.value };
  return fail(rule, expression, result.code, result.message, result.position);
}

function fail(rule: CompiledRule, expression: CompiledExpression, code: string, message: string, position?: number): { ok: false; failure: RuleFailure } {
  const at = position === undefined ? expression.source.loc : expression.source.locate(position);
  return { ok: false, failure: { rule: rule.name, file: at.file, line: at.line, col: at.col, code, message: `${message} (in ${expression.purpose})` } };
}

function mergeActions(decision: Decision, rule: string, values: ActionValues): void {
  if (values.priority !== undefined) {
    if (decision.priority) decision.overridden.push({ action: 'priority', rule, keptFrom: decision.priority.rule });
    else decision.priority = { value: values.priority, rule };
  }
  for (const { classification, answer } of values.classifications) {
    const kept = decision.classifications.find((c) => c.classification === classification);
    if (kept) decision.overridden.push({ action: 'classify', target: classification, rule, keptFrom: kept.rule });
    else decision.classifications.push({ classification, answer, rule });
  }
  if (values.route !== undefined) {
    if (decision.route) decision.overridden.push({ action: 'route', rule, keptFrom: decision.route.rule });
    else decision.route = { pathway: values.route, rule };
  }
}

const EXPECTED: Record<AttributeType, string> = {
  radio: 'an option label (string)',
  checklist: 'a list of option labels (strings)',
  text: 'a string',
  numeric: 'a finite number',
};

/** A computed answer checked against the classification's type; undefined when it does not fit. */
export function toAnswer(type: AttributeType, value: unknown): AnswerValue | undefined {
  switch (type) {
    case 'radio':
      return typeof value === 'string' ? { type, option: value } : undefined;
    case 'checklist': {
      // A JSONata sequence of one collapses to its item, so a lone label is a list of one.
      const options = typeof value === 'string' ? [value] : value;
      return Array.isArray(options) && options.every((o) => typeof o === 'string') ? { type, options: [...options] } : undefined;
    }
    case 'text':
      return typeof value === 'string' ? { type, text: value } : undefined;
    case 'numeric':
      return typeof value === 'number' && Number.isFinite(value) ? { type, value } : undefined;
  }
}

/** JSONata's `$boolean`: undefined, null, 0, "", empty arrays/objects and functions are false. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length === 1 ? isTruthy(value[0]) : value.some(isTruthy);
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return !Number.isNaN(value) && value !== 0;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'function') return false;
  if (typeof value === 'object') {
    const marker = value as { _jsonata_lambda?: boolean; _jsonata_function?: boolean };
    if (marker._jsonata_lambda || marker._jsonata_function) return false;
    return Object.keys(value).length > 0;
  }
  return false;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
