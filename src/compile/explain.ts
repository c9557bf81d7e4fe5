/**
 * Why a stage's rules did or did not match one task: each rule's `when`, the value of each
 * clause (nested and/or chains clause by clause too), and the fields each clause read, with missing fields called out (a
 * missing field makes JSONata return undefined, which silently fails a comparison).
 * Pure: compiles with compileExpression, evaluates with evaluateExpression, like a run.
 */
import type { SourceLocation } from '../diagnostics/index.js';
import type { ExpressionSource, ParamSpec, Rule, StageRules } from '../rules/types.js';
import { splitClauses, type Clause, type ClauseOperator } from './clauses.js';
import { isTruthy } from './evaluate-stage.js';
import { collectReadPaths, resolveFieldRead, type FieldRead } from './explain-reads.js';
import { compileExpression, evaluateExpression, type CompiledExpression } from './expression.js';
import type { EvaluationContext, TaskDocument } from './types.js';

export { collectReadPaths, resolveFieldRead, type FieldRead, type ReadPath } from './explain-reads.js';

export interface ExpressionFailure {
  code: string;
  message: string;
}

export interface ClauseTrace {
  /** Its position among the clauses of its chain, from 0. */
  index: number;
  text: string;
  loc: SourceLocation;
  /**
   * False when JSONata would not evaluate it: an earlier clause already decided its chain,
   * or the chain itself was not evaluated.
   */
  reached: boolean;
  /** The clause's own value and what `and`/`or` make of it; absent when it failed. */
  value?: unknown;
  truthy?: boolean;
  error?: ExpressionFailure;
  /** Empty for a clause that is a chain: its clauses list what they read. */
  reads: FieldRead[];
  /** Present when the clause is itself an and/or chain: its clauses, traced the same way. */
  chain?: { operator: ClauseOperator; clauses: ClauseTrace[] };
}

export interface WhenTrace {
  text: string;
  loc: SourceLocation;
  operator: ClauseOperator | null;
  value?: unknown;
  truthy: boolean;
  error?: ExpressionFailure;
  /** One clause (the whole expression) when it is not an and/or chain. */
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

/** Evaluates an expression and each of its clauses, nested ones too, with what each one read. */
export async function explainWhen(
  source: ExpressionSource,
  params: readonly ParamSpec[],
  document: TaskDocument,
  context: EvaluationContext,
  purpose: string,
): Promise<WhenTrace> {
  const whole = await evaluateSource(source, params, document, context, purpose);
  const split = splitClauses(source.text);
  const scope: TraceScope = { whole: source, params, document, context, purpose };
  const clauses = await explainClauses(scope, split.operator, split.clauses, true);
  const trace: WhenTrace = { text: source.text, loc: source.loc, operator: split.operator, truthy: false, clauses };
  if ('error' in whole) trace.error = whole.error;
  else {
    trace.value = whole.value;
    trace.truthy = isTruthy(whole.value);
  }
  return trace;
}

/** What every clause of one `when` is traced against. */
interface TraceScope {
  whole: ExpressionSource;
  params: readonly ParamSpec[];
  document: TaskDocument;
  context: EvaluationContext;
  purpose: string;
}

/**
 * Traces the clauses of one chain in order. Every clause is evaluated (so explain can show
 * what a skipped one would be), but only those JSONata would evaluate are `reached`: none
 * when the chain itself is not (`chainReached`), else up to the first clause that decides it
 * (false for `and`, true for `or`) or fails. A clause that is a chain is traced in turn.
 */
async function explainClauses(
  scope: TraceScope,
  operator: ClauseOperator | null,
  clauses: readonly Clause[],
  chainReached: boolean,
): Promise<ClauseTrace[]> {
  const traces: ClauseTrace[] = [];
  let decided = false;
  for (const [index, clause] of clauses.entries()) {
    const trace = await explainClause(scope, clause, index);
    trace.reached = chainReached && !decided;
    if (clause.chain) {
      trace.chain = { operator: clause.chain.operator, clauses: await explainClauses(scope, clause.chain.operator, clause.chain.clauses, trace.reached) };
    }
    traces.push(trace);
    if (trace.error) decided = true;
    else if (operator === 'and' && !trace.truthy) decided = true;
    else if (operator === 'or' && trace.truthy) decided = true;
  }
  return traces;
}

async function explainClause(scope: TraceScope, clause: Clause, index: number): Promise<ClauseTrace> {
  const { params, document, context, purpose } = scope;
  const source = clauseSource(scope.whole, clause);
  const compiled = compileForExplain(source, params, purpose);
  const trace: ClauseTrace = { index, text: source.text, loc: source.locate(0), reached: true, reads: [] };
  if ('error' in compiled) return { ...trace, error: compiled.error };
  // A chain's reads would repeat its clauses' reads.
  if (!clause.chain) trace.reads = await resolveReads(compiled.expression, params, document, context, purpose);
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

function inlineSource(text: string, loc: SourceLocation): ExpressionSource {
  return { text, loc, locate: () => loc };
}
