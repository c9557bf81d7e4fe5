/**
 * One stage's rules against one task document → a Decision (or the failure of one rule).
 * Pure: returns what should happen, does nothing.
 */
import type { AnswerValue, AttributeType, Decision, RuleFailure } from '../model/index.js';
import type { MatchMode } from '../rules/types.js';
import type { CompiledActions, CompiledRule, CompiledStage } from './compile-stage.js';
import { evaluateExpression, type CompiledExpression } from './expression.js';
import type { Evaluation, EvaluationContext, TaskDocument } from './types.js';

/** The values a matched rule's actions produce, before the match mode merges them. */
interface ActionValues {
  priority?: number;
  classifications: { classification: string; answer: AnswerValue }[];
  route?: string;
}

type Step<T> = { ok: true; value: T } | { ok: false; failure: RuleFailure };

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
  const decision: Decision = { matchedRules: [], usedDefault: false, classifications: [], overridden: [] };
  for (const rule of stage.rules) {
    const matched = await evaluateWhen(rule, document, context);
    if (!matched.ok) return matched;
    if (!matched.value) continue;
    const values = await evaluateActions(rule, document, context);
    if (!values.ok) return values;
    decision.matchedRules.push(rule.name);
    mergeActions(decision, rule.name, values.value);
    if (match === 'first') break;
  }
  if (decision.matchedRules.length === 0 && stage.default) {
    const values = await evaluateActions(stage.default, document, context);
    if (!values.ok) return values;
    decision.usedDefault = true;
    mergeActions(decision, 'default', values.value);
  }
  return { ok: true, decision };
}

async function evaluateWhen(rule: CompiledRule, document: TaskDocument, context: EvaluationContext): Promise<Step<boolean>> {
  if (!rule.when) return { ok: true, value: true };
  const result = await evaluate(rule, rule.when, document, context);
  return result.ok ? { ok: true, value: isTruthy(result.value) } : result;
}

async function evaluateActions(rule: CompiledRule, document: TaskDocument, context: EvaluationContext): Promise<Step<ActionValues>> {
  const actions: CompiledActions = rule.actions;
  const values: ActionValues = { classifications: [] };
  if (actions.priority?.kind === 'literal') values.priority = actions.priority.value;
  if (actions.priority?.kind === 'expr') {
    const result = await evaluate(rule, actions.priority.expression, document, context);
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
    const result = await evaluate(rule, action.expression, document, context);
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

async function evaluate(
  rule: CompiledRule,
  expression: CompiledExpression,
  document: TaskDocument,
  context: EvaluationContext,
): Promise<Step<unknown>> {
  const result = await evaluateExpression(expression, document, context);
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
