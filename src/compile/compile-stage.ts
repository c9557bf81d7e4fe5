/**
 * StageRules → compiled rules: every JSONata expression of a stage compiled once, with
 * every problem reported. Pure.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { AttributeType, AnswerValue, DocumentNeeds } from '../model/index.js';
import type { Actions, ExpressionSource, ParamSpec, RouteAction, StageRules } from '../rules/types.js';
import type { SourceLocation } from '../diagnostics/index.js';
import { compileExpression, type CompiledExpression, type GuardLimits } from './expression.js';

export type CompiledPriority =
  | { kind: 'literal'; value: number }
  | { kind: 'expr'; expression: CompiledExpression };

export type CompiledClassify =
  | { classification: string; kind: 'literal'; answer: AnswerValue }
  | { classification: string; kind: 'expr'; answerType: AttributeType; expression: CompiledExpression };

export interface CompiledActions {
  priority?: CompiledPriority;
  classify: CompiledClassify[];
  route?: RouteAction;
}

export interface CompiledRule {
  /** A rule name, or `default` for the stage's default actions. */
  name: string;
  loc: SourceLocation;
  when?: CompiledExpression;
  actions: CompiledActions;
}

export interface CompiledStage {
  rules: CompiledRule[];
  default?: CompiledRule;
  /** What the stage reads, and `labels` also when an action classifies: the label row must be fetched to edit it. */
  needs: DocumentNeeds;
}

export interface CompileOptions {
  limits?: Partial<GuardLimits>;
  /** false: evaluate every expression through jsonata, never the fast path. */
  fastPath?: boolean;
}

/** Compiles every expression of a stage; `stage` is absent when any error was found. */
export function compileStageRules(
  stage: StageRules,
  params: readonly ParamSpec[],
  options: CompileOptions = {},
): { stage?: CompiledStage; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const compile = (source: ExpressionSource, purpose: string): CompiledExpression | undefined => {
    const result = compileExpression(source, {
      params,
      purpose,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.fastPath === false ? { fastPath: false } : {}),
    });
    diagnostics.push(...result.diagnostics);
    return result.expression;
  };
  const rules = stage.rules.map((rule): CompiledRule => {
    const when = rule.when ? compile(rule.when, `when of rule "${rule.name}"`) : undefined;
    return { name: rule.name, loc: rule.loc, ...(when ? { when } : {}), actions: compileActions(rule.actions, rule.name, compile) };
  });
  const fallback = stage.default
    ? { name: 'default', loc: stage.default.loc, actions: compileActions(stage.default, 'default', compile) }
    : undefined;
  if (diagnostics.length > 0) return { diagnostics };
  const all = fallback ? [...rules, fallback] : rules;
  const compiled: CompiledStage = {
    rules,
    needs: mergeNeeds(
      all.flatMap(expressionsOf).map((e) => e.needs),
      all.some((r) => r.actions.classify.length > 0),
    ),
  };
  if (fallback) compiled.default = fallback;
  return { stage: compiled, diagnostics };
}

type Compile = (source: ExpressionSource, purpose: string) => CompiledExpression | undefined;

function compileActions(actions: Actions, owner: string, compile: Compile): CompiledActions {
  const label = owner === 'default' ? 'the default' : `rule "${owner}"`;
  const compiled: CompiledActions = { classify: [] };
  const priority = actions.priority;
  if (priority?.kind === 'literal') compiled.priority = { kind: 'literal', value: priority.value };
  if (priority?.kind === 'expr') {
    const expression = compile(priority.expr, `priority of ${label}`);
    if (expression) compiled.priority = { kind: 'expr', expression };
  }
  for (const action of actions.classify) {
    if (action.kind === 'literal') {
      compiled.classify.push({ classification: action.classification, kind: 'literal', answer: action.answer });
      continue;
    }
    const expression = compile(action.expr, `classify "${action.classification}" of ${label}`);
    if (expression) {
      compiled.classify.push({ classification: action.classification, kind: 'expr', answerType: action.answerType, expression });
    }
  }
  if (actions.route) compiled.route = actions.route;
  return compiled;
}

/** Every compiled expression of a rule: its `when` and its computed actions. */
export function expressionsOf(rule: CompiledRule): CompiledExpression[] {
  const found: CompiledExpression[] = rule.when ? [rule.when] : [];
  if (rule.actions.priority?.kind === 'expr') found.push(rule.actions.priority.expression);
  for (const action of rule.actions.classify) if (action.kind === 'expr') found.push(action.expression);
  return found;
}

function mergeNeeds(needs: readonly DocumentNeeds[], writesLabels: boolean): DocumentNeeds {
  const merged: DocumentNeeds = {
    labels: writesLabels || needs.some((n) => n.labels),
    clientMetadata: needs.some((n) => n.clientMetadata),
  };
  // Any expression that may read every field makes the stage read every field.
  if (needs.every((n) => n.fields !== undefined)) merged.fields = [...new Set(needs.flatMap((n) => n.fields!))].sort();
  return merged;
}
