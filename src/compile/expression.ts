/**
 * One JSONata expression: compiled once with static checks, evaluated many times under
 * guardrails. See docs/expressions.md for what an expression sees and the limits.
 */
import jsonata from 'jsonata';
import type { Diagnostic } from '../diagnostics/index.js';
import { diagnosticAt } from '../diagnostics/index.js';
import type { DocumentNeeds } from '../model/index.js';
import type { ExpressionSource, ParamSpec } from '../rules/types.js';
import type { AstNode } from './ast.js';
import { findTokenStart } from './ast.js';
import { analyzeExpression } from './analyze.js';
import { compileFastPathFor, type FastPathFunction } from './fast-path.js';
import type { ExpressionResult, GuardLimits } from './guards.js';
import { createSizeGuard, DEFAULT_GUARD_LIMITS, describeFailure, runSerially, setDeadline } from './guards.js';
import { createClockBindings, registerHelpers, STATE_BINDING, type EvaluationState } from './helpers.js';
import { installGuardedBuiltins } from './guarded-builtins.js';
import { Re2RegExp } from './regex-engine.js';
import type { EvaluationContext } from './types.js';

export type { ExpressionResult, GuardLimits } from './guards.js';
export { DEFAULT_GUARD_LIMITS } from './guards.js';

export interface CompiledExpression {
  source: ExpressionSource;
  /** What the expression is for, e.g. `when of rule "london-first"`; used in messages. */
  purpose: string;
  ast: AstNode;
  needs: DocumentNeeds;
  limits: Readonly<GuardLimits>;
  /** @internal the jsonata expression, or the fast-path closure when the AST is in its subset. */
  readonly engine: jsonata.Expression;
  readonly fast: FastPathFunction | undefined;
}

export interface ExpressionScope {
  params: readonly ParamSpec[];
  purpose: string;
  limits?: Partial<GuardLimits>;
  /** false: always evaluate through jsonata (to compare the two, or to rule the fast path out). */
  fastPath?: boolean;
}

/**
 * Parses and checks one expression; reports a syntax error, or every static problem.
 * Pure; never throws for the expression's fault. `expression` is absent when any error was found.
 */
export function compileExpression(
  source: ExpressionSource,
  scope: ExpressionScope,
): { expression?: CompiledExpression; diagnostics: Diagnostic[] } {
  const limits: GuardLimits = { ...DEFAULT_GUARD_LIMITS, ...scope.limits };
  let engine: jsonata.Expression;
  try {
    engine = createGuardedEngine(source.text, limits);
  } catch (error) {
    // jsonata throws plain objects with a code for syntax errors; anything else is our bug.
    if (typeof (error as { code?: unknown } | null)?.code !== 'string') throw error;
    return { diagnostics: [syntaxDiagnostic(source, scope.purpose, error)] };
  }
  const ast = engine.ast() as unknown as AstNode;
  const analysis = analyzeExpression(source.text, ast, scope.params.map((p) => p.name));
  const diagnostics = analysis.issues.map((issue) =>
    diagnosticAt(spanLocation(source, issue.start, issue.end), 'error', issue.code, `${issue.message} (in ${scope.purpose})`, {
      ...(issue.hint ? { hint: issue.hint } : {}),
    }),
  );
  if (diagnostics.length > 0) return { diagnostics };
  const fast = scope.fastPath === false ? undefined : compileFastPathFor(ast, createSizeGuard(limits));
  return {
    expression: { source, purpose: scope.purpose, ast, needs: analysis.needs, limits, engine, fast },
    diagnostics: [],
  };
}

/**
 * Evaluates against one task document. Pure (time comes from `context.now`); never throws:
 * errors and guardrail hits come back as `{ ok: false, code, message, position? }`, where
 * `position` is an offset into the expression text where known.
 */
export async function evaluateExpression(
  expression: CompiledExpression,
  document: unknown,
  context: EvaluationContext,
): Promise<ExpressionResult> {
  if (expression.fast) return evaluateFast(expression, expression.fast, document, context);
  const state: EvaluationState = { now: context.now, document, ontology: context.ontology };
  const result = await runGuardedEngine(expression.engine, expression.limits, document, { params: context.params }, state);
  return result.ok ? result : withTokenStart(expression, result);
}

/**
 * A jsonata expression with every guardrail attached: RE2 regexes, timeout, depth, size
 * checks, and the helpers. Throws jsonata's syntax error; compileExpression is the checked way in.
 */
export function createGuardedEngine(text: string, limits: GuardLimits): jsonata.Expression {
  const engine = jsonata(text, {
    RegexEngine: Re2RegExp as unknown as RegExpConstructor,
    timeout: limits.timeoutMs,
    stack: limits.maxDepth,
  } as jsonata.JsonataOptions);
  registerHelpers(engine);
  installGuardedBuiltins(engine, limits);
  engine.assign(Symbol.for('jsonata.__evaluate_exit') as unknown as string, createSizeGuard(limits));
  return engine;
}

/** Evaluates an engine from createGuardedEngine, one evaluation at a time; never throws. */
export function runGuardedEngine(
  engine: jsonata.Expression,
  limits: GuardLimits,
  document: unknown,
  bindings: Record<string, unknown>,
  state: EvaluationState,
): Promise<ExpressionResult> {
  return runSerially(async () => {
    setDeadline(Date.now() + limits.timeoutMs);
    try {
      const value = await engine.evaluate(document, { ...bindings, [STATE_BINDING]: state });
      return { ok: true as const, value: normaliseResult(value) };
    } catch (error) {
      return describeFailure(error, limits);
    } finally {
      setDeadline(Infinity);
    }
  });
}

/** evaluateExpression for an expression on the fast path (`expression.fast` set), synchronously. */
export function evaluateFastExpression(expression: CompiledExpression, document: unknown, context: EvaluationContext): ExpressionResult {
  if (!expression.fast) throw new Error(`internal: ${expression.purpose} is not on the fast path`);
  return evaluateFast(expression, expression.fast, document, context);
}

function evaluateFast(
  expression: CompiledExpression,
  fast: FastPathFunction,
  document: unknown,
  context: EvaluationContext,
): ExpressionResult {
  try {
    return { ok: true, value: normaliseResult(fast(document, fastBindingsFor(context))) };
  } catch (error) {
    return withTokenStart(expression, describeFailure(error, expression.limits));
  }
}

/**
 * The fast path's bindings depend only on the context, which a runner reuses for a whole
 * batch; building them once per context keeps closures out of the per-task cost.
 */
const fastBindings = new WeakMap<EvaluationContext, Record<string, unknown>>();
function fastBindingsFor(context: EvaluationContext): Record<string, unknown> {
  let bindings = fastBindings.get(context);
  if (!bindings) {
    const { now, millis } = createClockBindings(context.now);
    bindings = { params: context.params, now, millis };
    fastBindings.set(context, bindings);
  }
  return bindings;
}

/** jsonata marks sequences with extra array properties; callers get plain arrays. */
function normaliseResult(value: unknown): unknown {
  return Array.isArray(value) && (value as { sequence?: boolean }).sequence ? Array.from(value) : value;
}

/** Runtime positions are token ends too; move them to the token start like syntax errors. */
function withTokenStart<T extends { position?: number }>(expression: CompiledExpression, failure: T): T {
  if (failure.position === undefined) return failure;
  const text = expression.source.text;
  const end = Math.min(failure.position, text.length);
  const start = findStartBefore(text, end);
  return { ...failure, position: start };
}

/** The start of the identifier, number or operator run that ends at `end`. */
function findStartBefore(text: string, end: number): number {
  let start = end;
  while (start > 0 && /[\w$]/.test(text[start - 1] ?? '')) start -= 1;
  return start === end ? Math.max(end - 1, 0) : start;
}

function syntaxDiagnostic(source: ExpressionSource, purpose: string, error: unknown): Diagnostic {
  const { code, position, token, message } = (error ?? {}) as {
    code?: string;
    position?: number;
    token?: unknown;
    message?: string;
  };
  const end = Math.min(typeof position === 'number' ? position : 0, source.text.length);
  const tokenText = token === undefined || token === '(end)' ? '' : String(token);
  const start = tokenText === '' ? Math.max(Math.min(end, source.text.length) - (token === '(end)' ? 0 : 1), 0) : findTokenStart(source.text, tokenText, end);
  return diagnosticAt(
    spanLocation(source, start, Math.max(end, start)),
    'error',
    typeof code === 'string' ? `jsonata/${code}` : 'jsonata/syntax',
    `${message ?? 'syntax error'} (in ${purpose})`,
  );
}

function spanLocation(source: ExpressionSource, start: number, end: number) {
  const from = source.locate(start);
  const to = source.locate(end);
  return to.line === from.line && to.col === from.col ? from : { ...from, endLine: to.line, endCol: to.col };
}
