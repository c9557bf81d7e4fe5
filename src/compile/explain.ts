/**
 * Why a stage's rules did or did not match one task: each rule's `when`, the value of each
 * top-level clause, and the fields each clause read, with missing fields called out (a
 * missing field makes JSONata return undefined, which silently fails a comparison).
 * Pure: compiles with compileExpression, evaluates with evaluateExpression, like a run.
 */
import type { SourceLocation } from '../diagnostics/index.js';
import type { ExpressionSource, ParamSpec, Rule, StageRules } from '../rules/types.js';
import type { AstNode } from './ast.js';
import { splitClauses, type Clause, type ClauseOperator } from './clauses.js';
import { isTruthy } from './evaluate-stage.js';
import { compileExpression, evaluateExpression, type CompiledExpression } from './expression.js';
import type { EvaluationContext, TaskDocument } from './types.js';

/** A field (or `$params.x`, or a helper call) an expression reads, and what it found. */
export interface FieldRead {
  /** As written: `data_title`, `task.status`, `$params.city`, `$answer("Weather")`. */
  path: string;
  value: unknown;
  /** True when the value is undefined: JSONata treats that as "no value". */
  missing: boolean;
  /** For a missing path: the first part that is not there (`client_metadata` of `client_metadata.city`). */
  missingAt?: string;
}

export interface ExpressionFailure {
  code: string;
  message: string;
}

export interface ClauseTrace {
  index: number;
  text: string;
  loc: SourceLocation;
  /** False when JSONata would not evaluate it: an earlier clause already decided the chain. */
  reached: boolean;
  /** The clause's own value and what `and`/`or` make of it; absent when it failed. */
  value?: unknown;
  truthy?: boolean;
  error?: ExpressionFailure;
  reads: FieldRead[];
}

export interface WhenTrace {
  text: string;
  loc: SourceLocation;
  operator: ClauseOperator | null;
  value?: unknown;
  truthy: boolean;
  error?: ExpressionFailure;
  /** One clause (the whole expression) when it is not a top-level and/or chain. */
  clauses: ClauseTrace[];
}

export interface RuleTrace {
  rule: string;
  loc: SourceLocation;
  /** Absent: the rule has no `when` and always matches. */
  when?: WhenTrace;
  matched: boolean;
  /** False when the stage never evaluates it: `match: first` and an earlier rule matched. */
  reached: boolean;
}

export interface StageTrace {
  stage: string;
  match: StageRules['match'];
  rules: RuleTrace[];
  /** True when no rule matched and the stage has a default. */
  usedDefault: boolean;
}

/**
 * Traces every rule of a stage against one document, in file order. Rules after the first
 * match under `match: first` are traced too but marked not reached. Never throws for the
 * rules' fault: expression errors are part of the trace.
 */
export async function explainStage(
  stage: StageRules,
  params: readonly ParamSpec[],
  document: TaskDocument,
  context: EvaluationContext,
): Promise<StageTrace> {
  const rules: RuleTrace[] = [];
  let decided = false;
  for (const rule of stage.rules) {
    const trace = await explainRule(rule, params, document, context);
    trace.reached = !decided;
    rules.push(trace);
    if (trace.matched && stage.match === 'first') decided = true;
    // A failing `when` ends the stage's evaluation: the task fails, later rules never run.
    if (trace.when?.error) decided = true;
  }
  const anyMatched = rules.some((r) => r.reached && r.matched);
  const failed = rules.some((r) => r.reached && r.when?.error);
  return { stage: stage.stage, match: stage.match, rules, usedDefault: !anyMatched && !failed && stage.default !== undefined };
}

/** Traces one rule's `when`: the whole value, then each top-level clause. */
export async function explainRule(
  rule: Rule,
  params: readonly ParamSpec[],
  document: TaskDocument,
  context: EvaluationContext,
): Promise<RuleTrace> {
  if (!rule.when) return { rule: rule.name, loc: rule.loc, matched: true, reached: true };
  const when = await explainWhen(rule.when, params, document, context, `when of rule "${rule.name}"`);
  return { rule: rule.name, loc: rule.loc, when, matched: when.truthy && !when.error, reached: true };
}

/** Evaluates an expression and each of its top-level clauses, with what each one read. */
export async function explainWhen(
  source: ExpressionSource,
  params: readonly ParamSpec[],
  document: TaskDocument,
  context: EvaluationContext,
  purpose: string,
): Promise<WhenTrace> {
  const whole = await evaluateSource(source, params, document, context, purpose);
  const split = splitClauses(source.text);
  const clauses: ClauseTrace[] = [];
  let decided = false;
  for (const [index, clause] of split.clauses.entries()) {
    const trace = await explainClause(clauseSource(source, clause), index, params, document, context, purpose);
    trace.reached = !decided;
    clauses.push(trace);
    if (trace.error) decided = true;
    else if (split.operator === 'and' && !trace.truthy) decided = true;
    else if (split.operator === 'or' && trace.truthy) decided = true;
  }
  const trace: WhenTrace = { text: source.text, loc: source.loc, operator: split.operator, truthy: false, clauses };
  if ('error' in whole) trace.error = whole.error;
  else {
    trace.value = whole.value;
    trace.truthy = isTruthy(whole.value);
  }
  return trace;
}

async function explainClause(
  source: ExpressionSource,
  index: number,
  params: readonly ParamSpec[],
  document: TaskDocument,
  context: EvaluationContext,
  purpose: string,
): Promise<ClauseTrace> {
  const compiled = compileForExplain(source, params, purpose);
  const trace: ClauseTrace = { index, text: source.text, loc: source.locate(0), reached: true, reads: [] };
  if ('error' in compiled) return { ...trace, error: compiled.error };
  trace.reads = await resolveReads(compiled.expression, params, document, context, purpose);
  const result = await evaluateExpression(compiled.expression, document, context);
  if (!result.ok) return { ...trace, error: { code: result.code, message: result.message } };
  return { ...trace, value: result.value, truthy: isTruthy(result.value) };
}

async function evaluateSource(
  source: ExpressionSource,
  params: readonly ParamSpec[],
  document: TaskDocument,
  context: EvaluationContext,
  purpose: string,
): Promise<{ value: unknown } | { error: ExpressionFailure }> {
  const compiled = compileForExplain(source, params, purpose);
  if ('error' in compiled) return compiled;
  const result = await evaluateExpression(compiled.expression, document, context);
  return result.ok ? { value: result.value } : { error: { code: result.code, message: result.message } };
}

type CompiledForExplain = { expression: CompiledExpression } | { error: ExpressionFailure };

/**
 * Compiled clauses and calls per rule file (keyed by its params list), so tracing many
 * tasks (coverage) compiles each once. Compiling is pure, so sharing the result is safe.
 */
const compileCache = new WeakMap<readonly ParamSpec[], Map<string, CompiledForExplain>>();

function compileForExplain(source: ExpressionSource, params: readonly ParamSpec[], purpose: string): CompiledForExplain {
  const key = JSON.stringify([source.loc.file, source.loc.line, source.loc.col, source.text, purpose]);
  let cache = compileCache.get(params);
  if (!cache) compileCache.set(params, (cache = new Map()));
  const cached = cache.get(key);
  if (cached) return cached;
  const result = compileExpression(source, { params, purpose });
  const first = result.diagnostics[0];
  const compiled: CompiledForExplain = result.expression
    ? { expression: result.expression }
    : { error: { code: first?.code ?? 'jsonata/syntax', message: first?.message ?? 'does not compile' } };
  cache.set(key, compiled);
  return compiled;
}

/** A clause as an expression of its own, whose offsets still map into the rule file. */
export function clauseSource(whole: ExpressionSource, clause: Clause): ExpressionSource {
  if (clause.start === 0 && clause.end === whole.text.length) return whole;
  return { text: clause.text, loc: whole.locate(clause.start), locate: (offset) => whole.locate(clause.start + offset) };
}

/** A place an expression reads from the task document, the params or a helper. */
export type ReadPath =
  | { kind: 'field'; names: string[] }
  | { kind: 'param'; name: string }
  | { kind: 'call'; text: string };

const HELPER_CALLS = new Set(['answer', 'objects']);

/**
 * The document fields an expression reads at the top level (leading field names of each
 * path, not what predicates or lambdas read relative to their items), the `$params` it
 * reads, and its `$answer(…)`/`$objects(…)` calls with literal arguments. Pure; in source order.
 */
export function collectReadPaths(text: string, ast: AstNode): ReadPath[] {
  const found = new Map<string, ReadPath>();
  const add = (key: string, read: ReadPath): void => {
    if (!found.has(key)) found.set(key, read);
  };
  const visit = (node: AstNode | undefined): void => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'lambda') return;
    if (node.type === 'path' && Array.isArray(node.steps)) return visitPath(node.steps);
    if (node.type === 'function' && isHelperCall(node)) {
      const call = callText(text, node);
      if (call) add(`call:${call}`, { kind: 'call', text: call });
      return;
    }
    for (const child of childNodes(node)) visit(child);
  };
  const visitPath = (steps: AstNode[]): void => {
    const first = steps[0];
    if (first?.type === 'variable' && first.value === 'params') {
      const name = steps[1]?.type === 'name' ? String(steps[1].value) : undefined;
      if (name !== undefined) add(`param:${name}`, { kind: 'param', name });
      return;
    }
    // `$.a` and `$$.a` read from the document like `a` does at the top level.
    const start = first?.type === 'variable' && (first.value === '' || first.value === '$') ? 1 : 0;
    const names: string[] = [];
    for (const step of steps.slice(start)) {
      if (step.type !== 'name') break;
      names.push(String(step.value));
      if (step.stages || step.predicate || step.group) break;
    }
    if (names.length > 0) add(`field:${names.join('\u0000')}`, { kind: 'field', names });
    // A first step that is not a name (a call, a block) is evaluated in the top-level context.
    else if (first) visit(first);
  };
  visit(ast);
  return [...found.values()];
}

function isHelperCall(node: AstNode): boolean {
  const procedure = node.procedure;
  const args = node.arguments ?? [];
  return (
    procedure?.type === 'variable' &&
    HELPER_CALLS.has(String(procedure.value)) &&
    args.every((a) => a.type === 'string')
  );
}

/** `$answer("Weather")` as written, from the `$` of the name to the closing parenthesis. */
function callText(text: string, node: AstNode): string | undefined {
  const name = `$${String(node.procedure?.value)}`;
  const end = node.position ?? 0;
  const start = text.lastIndexOf(name, end);
  if (start < 0) return undefined;
  const close = text.indexOf(')', start);
  return close < 0 ? undefined : text.slice(start, close + 1);
}

function childNodes(node: AstNode): AstNode[] {
  const children: AstNode[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object' && typeof (value as AstNode).type === 'string') children.push(value as AstNode);
  };
  for (const [key, value] of Object.entries(node)) {
    if (key === 'position' || key === 'type' || key === 'value' || key === 'procedure') continue;
    collect(value);
  }
  // Object constructors keep their pairs as [key, value] arrays under `lhs`.
  return children;
}

/** What each read found in this document; `$params` from the context, calls evaluated. */
export async function resolveReads(
  expression: CompiledExpression,
  params: readonly ParamSpec[],
  document: TaskDocument,
  context: EvaluationContext,
  purpose: string,
): Promise<FieldRead[]> {
  const reads: FieldRead[] = [];
  for (const path of collectReadPaths(expression.source.text, expression.ast)) {
    if (path.kind === 'field') reads.push(resolveFieldRead(document, path.names));
    else if (path.kind === 'param') {
      const value = Object.hasOwn(context.params, path.name) ? context.params[path.name] : undefined;
      reads.push({ path: `$params.${path.name}`, value, missing: value === undefined });
    } else {
      const call = compileForExplain(inlineSource(path.text, expression.source.loc), params, purpose);
      const result = 'error' in call ? undefined : await evaluateExpression(call.expression, document, context);
      const value = result?.ok ? result.value : undefined;
      reads.push({ path: path.text, value, missing: value === undefined });
    }
  }
  return reads;
}

/**
 * Follows field names through the document as a JSONata path does: through lists (item by
 * item, flattened) and own properties only. Pure.
 */
export function resolveFieldRead(document: unknown, names: readonly string[]): FieldRead {
  const path = names.join('.');
  let current: unknown = document;
  for (const [i, name] of names.entries()) {
    current = stepInto(current, name);
    if (current === undefined) return { path, value: undefined, missing: true, missingAt: names.slice(0, i + 1).join('.') };
  }
  return { path, value: current, missing: false };
}

function stepInto(value: unknown, name: string): unknown {
  if (Array.isArray(value)) {
    const items = value.flatMap((item) => {
      const next = stepInto(item, name);
      return next === undefined ? [] : Array.isArray(next) ? next : [next];
    });
    if (items.length === 0) return undefined;
    return items.length === 1 ? items[0] : items;
  }
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, name)) return (value as Record<string, unknown>)[name];
  return undefined;
}

function inlineSource(text: string, loc: SourceLocation): ExpressionSource {
  return { text, loc, locate: () => loc };
}
