/**
 * Static checks over one expression's AST (unknown functions, variables and params, forbidden
 * built-ins, regexes RE2 cannot run) and what the expression reads (DocumentNeeds). Pure.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { DocumentNeeds } from '../model/index.js';
import { LABEL_FIELDS } from '../model/index.js';
import type { AstNode, Visit } from './ast.js';
import { spanOfNode, walkAst } from './ast.js';
import {
  BOUND_VARIABLES,
  CONTEXT_ARGUMENT_ARITY,
  FORBIDDEN_FUNCTIONS,
  HELPER_FUNCTIONS,
  isKnownFunction,
  isReservedName,
  JSONATA_BUILTINS,
} from './names.js';
import { Re2RegExp, UnsupportedRegexError } from './regex-engine.js';

/** A problem found in the AST, at offsets into the expression text. */
export interface ExpressionIssue {
  code: string;
  message: string;
  start: number;
  end: number;
  hint?: string;
}

export interface ExpressionAnalysis {
  issues: ExpressionIssue[];
  needs: DocumentNeeds;
}

const LABEL_FIELD_NAMES: ReadonlySet<string> = new Set(LABEL_FIELDS);

/** Checks the tree and works out what it reads; never throws. */
export function analyzeExpression(text: string, ast: AstNode, paramNames: readonly string[]): ExpressionAnalysis {
  const visits = walkAst(ast);
  const bound = collectBoundNames(visits);
  const issues: ExpressionIssue[] = [];
  for (const visit of visits) {
    issues.push(
      ...checkVariable(text, visit, bound),
      ...checkBinding(text, visit.node),
      ...checkParam(text, visit, paramNames),
      ...checkRegex(text, visit.node),
    );
  }
  return { issues, needs: analyzeNeeds(visits) };
}

/** Names the expression binds itself: `$x := …`, lambda parameters, `@$x` and `#$i`. */
function collectBoundNames(visits: readonly Visit[]): Set<string> {
  const bound = new Set<string>();
  for (const { node } of visits) {
    if (node.type === 'bind' && isVariable(node.lhs)) bound.add(String(node.lhs.value));
    if (node.type === 'lambda') for (const arg of node.arguments ?? []) bound.add(String(arg.value));
    if (typeof node.focus === 'string') bound.add(node.focus);
    if (typeof node.index === 'string') bound.add(node.index);
  }
  return bound;
}

function checkVariable(text: string, { node, parent }: Visit, bound: ReadonlySet<string>): ExpressionIssue[] {
  if (node.type !== 'variable') return [];
  const name = String(node.value);
  if (isBindingTarget(node, parent)) return [];
  const span = spanOfNode(text, node);
  const forbidden = FORBIDDEN_FUNCTIONS.get(name);
  if (forbidden !== undefined && !bound.has(name)) {
    return [{ code: 'rule/forbidden-function', message: `$${name} is not available in rules: ${forbidden}`, ...span }];
  }
  if (bound.has(name) || BOUND_VARIABLES.has(name) || isKnownFunction(name)) return [];
  const called = isCalled(node, parent);
  const candidates = called ? [...JSONATA_BUILTINS, ...HELPER_FUNCTIONS, ...bound] : [...bound, 'params'];
  const hint = suggest(name, candidates.filter((c) => !FORBIDDEN_FUNCTIONS.has(c)), (s) => `did you mean $${s}?`);
  return [
    {
      code: called ? 'rule/unknown-function' : 'rule/unknown-variable',
      message: called ? `unknown function $${name}` : `unknown variable $${name}`,
      ...span,
      ...(hint ? { hint } : {}),
    },
  ];
}

function checkBinding(text: string, node: AstNode): ExpressionIssue[] {
  const targets: AstNode[] = [];
  if (node.type === 'bind' && isVariable(node.lhs)) targets.push(node.lhs);
  if (node.type === 'lambda') targets.push(...(node.arguments ?? []));
  return targets
    .filter((target) => isReservedName(String(target.value)))
    .map((target) => ({
      code: 'rule/reserved-name',
      message: `$${String(target.value)} is a built-in name and cannot be rebound`,
      hint: 'choose another variable name',
      ...spanOfNode(text, target),
    }));
}

/** `$params.name` must name a declared param. */
function checkParam(text: string, { node }: Visit, paramNames: readonly string[]): ExpressionIssue[] {
  if (node.type !== 'path' || !node.steps || node.steps.length < 2) return [];
  const [head, next] = node.steps as [AstNode, AstNode];
  if (!isVariable(head) || head.value !== 'params' || next.type !== 'name') return [];
  const name = String(next.value);
  if (paramNames.includes(name)) return [];
  const hint =
    suggest(name, paramNames, (s) => `did you mean $params.${s}?`) ??
    (paramNames.length === 0 ? 'declare it under `params:` at the top of the file' : `declared params: ${paramNames.join(', ')}`);
  return [{ code: 'rule/unknown-param', message: `unknown param "${name}"`, hint, ...spanOfNode(text, next) }];
}

function checkRegex(text: string, node: AstNode): ExpressionIssue[] {
  if (node.type !== 'regex' || !(node.value instanceof RegExp)) return [];
  try {
    new Re2RegExp(node.value);
    return [];
  } catch (error) {
    if (!(error instanceof UnsupportedRegexError)) throw error;
    const end = Math.min(node.position ?? text.length, text.length);
    const start = Math.max(text.lastIndexOf(`/${node.value.source}/`, end), 0);
    return [
      {
        code: 'guard/regex',
        message: error.message,
        hint: 'rules use RE2 regular expressions: no backreferences or lookahead',
        start,
        end,
      },
    ];
  }
}

/**
 * Conservative: a read that could reach a label field or client_metadata counts. That is a
 * name step with that name anywhere, a helper call, or a read of the whole document
 * (`$`/`$$` on their own, a leading `*`/`**`, `%`, a built-in given the context in place of its
 * first argument), since those can reach every field. `fields` is every name mentioned.
 */
function analyzeNeeds(visits: readonly Visit[]): DocumentNeeds {
  const needs: DocumentNeeds = { labels: false, clientMetadata: false };
  const fields = new Set<string>();
  let wholeDocument = false;
  for (const visit of visits) {
    const { node } = visit;
    if (node.type === 'name' && !isParamStep(visit)) fields.add(String(node.value));
    if (node.type === 'name' && LABEL_FIELD_NAMES.has(String(node.value))) needs.labels = true;
    if (node.type === 'name' && node.value === 'client_metadata') needs.clientMetadata = true;
    if (node.type === 'variable' && HELPER_FUNCTIONS.has(String(node.value))) needs.labels = true;
    if (readsWholeDocument(visit) || readsContextArgument(visit)) wholeDocument = true;
  }
  if (wholeDocument) {
    needs.labels = true;
    needs.clientMetadata = true;
  } else {
    needs.fields = [...fields].sort();
  }
  return needs;
}

/** `city` in `$params.city`: a param's name, not a field of the document. */
function isParamStep({ parent, stepIndex }: Visit): boolean {
  const head = parent?.type === 'path' ? parent.steps?.[0] : undefined;
  return stepIndex !== undefined && stepIndex > 0 && isVariable(head) && head.value === 'params';
}

/**
 * `$string()`, `$lookup("x")`: a built-in called with fewer arguments than it needs is given
 * the context value, which (outside a later path step) may be the document. `a ~> $f()` passes
 * `a` as the first argument.
 */
function readsContextArgument({ node, parent, stepIndex }: Visit): boolean {
  if (node.type !== 'function' || !isVariable(node.procedure)) return false;
  const needed = CONTEXT_ARGUMENT_ARITY.get(String(node.procedure.value));
  if (needed === undefined || (stepIndex !== undefined && stepIndex > 0)) return false;
  const piped = parent?.type === 'apply' && parent.rhs === node ? 1 : 0;
  return (node.arguments?.length ?? 0) + piped < needed;
}

function readsWholeDocument({ node, parent, stepIndex }: Visit): boolean {
  if (node.type === 'parent') return true;
  if (node.type === 'wildcard' || node.type === 'descendant') return stepIndex === undefined || stepIndex === 0;
  if (node.type !== 'variable' || (node.value !== '' && node.value !== '$')) return false;
  if (isBindingTarget(node, parent)) return false;
  const next = stepIndex === 0 ? parent?.steps?.[1] : undefined;
  const hasFilters = Array.isArray(node.stages) || Array.isArray(node.predicate);
  return next?.type !== 'name' || hasFilters;
}

function isVariable(node: unknown): node is AstNode {
  return typeof node === 'object' && node !== null && (node as AstNode).type === 'variable';
}

function isBindingTarget(node: AstNode, parent: AstNode | undefined): boolean {
  if (!parent) return false;
  if (parent.type === 'bind' && parent.lhs === node) return true;
  return parent.type === 'lambda' && (parent.arguments ?? []).includes(node);
}

function isCalled(node: AstNode, parent: AstNode | undefined): boolean {
  if (!parent) return false;
  if ((parent.type === 'function' || parent.type === 'partial') && parent.procedure === node) return true;
  return parent.type === 'apply' && parent.rhs === node;
}

function suggest(name: string, candidates: readonly string[], phrase: (s: string) => string): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(name, [...candidates]);
  return distance(name, best) <= Math.max(2, Math.floor(name.length / 3)) ? phrase(best) : undefined;
}
