/**
 * Path expressions (`a.b.c`, `$params.x`, `items[price > 3].name`) and `[…]` filters, following
 * jsonata's evaluatePath / evaluateStep / evaluateFilter: each step maps over the context
 * sequence, singleton results unwrap, arrays flatten one level, and a data array reached by the
 * last step is returned as is. A specialised loop handles the common case (field names over
 * objects, no arrays on the way) and defers to the general algorithm as soon as it meets an array.
 */
import { decline, filterExpressions, isAstNode, requireNode, requireNodeList, type AstNode } from './ast.js';
import type { EvaluateExitHook, EvaluationEnv, Evaluator, Filter } from './evaluator.js';
import {
  castBoolean,
  createSequence,
  isArrayOfNumbers,
  isFunctionValue,
  isNumeric,
  isSequence,
  sequenceOf,
  unwrapSequence,
  type Sequence,
} from './values.js';

export interface PathCompiler {
  compileNode: (node: unknown, depth: number) => Evaluator;
  evaluateExit?: EvaluateExitHook;
}

interface Step {
  node: AstNode;
  evaluate: Evaluator;
  filters: Filter[];
  /** The field name when the step is a bare name without filters. */
  field?: string;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Compiles a filter stage; a number literal selects by index, anything else is a predicate. */
export function compileFilter(expr: unknown, depth: number, { compileNode }: PathCompiler): Filter {
  if (isAstNode(expr) && expr.type === 'number') {
    const node = requireNode(expr);
    if (node.predicate !== undefined || typeof node.value !== 'number') decline('indexed index');
    return selectIndex(Math.floor(node.value));
  }
  const predicate = compileNode(expr, depth + 1);
  return (value, env) => filterByPredicate(predicate, value, env);
}

function selectIndex(index: number): Filter {
  return (value) => {
    const items = Array.isArray(value) ? value : sequenceOf(value);
    const item: unknown = items[index < 0 ? items.length + index : index];
    if (Array.isArray(item)) return item;
    const results = createSequence();
    if (item !== undefined) results.push(item);
    return results;
  };
}

function filterByPredicate(predicate: Evaluator, value: unknown, env: EvaluationEnv): Sequence {
  const items = Array.isArray(value) ? value : sequenceOf(value);
  const results = createSequence();
  for (let index = 0; index < items.length; index++) {
    const item: unknown = items[index];
    let res = predicate(item, env);
    if (isNumeric(res)) res = [res];
    if (isArrayOfNumbers(res)) {
      for (const position of res as number[]) {
        let at = Math.floor(position);
        if (at < 0) at = items.length + at;
        if (at === index) results.push(item);
      }
    } else if (castBoolean(res)) {
      results.push(item);
    }
  }
  return results;
}

function compileStep(raw: unknown, depth: number, paths: PathCompiler): Step {
  if (!isAstNode(raw)) decline('step is not an AST node');
  const { stages, ...node } = raw;
  const filters = filterExpressions(stages).map((expr) => compileFilter(expr, depth, paths));
  if (node.type !== 'name') return { node, evaluate: paths.compileNode(node, depth + 1), filters };
  requireNode(node);
  const field = node.value;
  if (typeof field !== 'string' || node.predicate !== undefined) decline('unusual name step');
  const hook = paths.evaluateExit;
  const evaluate: Evaluator = hook
    ? (input) => unwrapSequence(hookedLookup(hook, raw, input, field))
    : (input) => unwrapLookup(input, field);
  return filters.length === 0 ? { node: raw, evaluate, filters, field } : { node: raw, evaluate, filters };
}

function hookedLookup(hook: EvaluateExitHook, node: AstNode, input: unknown, field: string): unknown {
  const found = Array.isArray(input) ? lookupArrayField(input, field) : lookupObjectField(input, field);
  hook(node, input, undefined, found);
  return found;
}

function unwrapLookup(input: unknown, field: string): unknown {
  if (!Array.isArray(input)) return lookupObjectField(input, field);
  const found = lookupArrayField(input, field);
  return found.length === 0 ? undefined : found.length === 1 ? found[0] : found;
}

function lookupObjectField(input: unknown, field: string): unknown {
  if (input === null || typeof input !== 'object' || !hasOwn.call(input, field) || isFunctionValue(input)) {
    return undefined;
  }
  return (input as Record<string, unknown>)[field];
}

function lookupArrayField(input: unknown[], field: string): Sequence {
  const result = createSequence();
  for (const item of input) {
    const found = Array.isArray(item) ? lookupArrayField(item, field) : lookupObjectField(item, field);
    if (found === undefined) continue;
    if (Array.isArray(found)) for (const value of found) result.push(value);
    else result.push(found);
  }
  return result;
}

function evaluateStep(step: Step, inputs: unknown[], env: EvaluationEnv, lastStep: boolean): unknown[] {
  const results = createSequence();
  for (const item of inputs) {
    let res = step.evaluate(item, env);
    for (const filter of step.filters) res = filter(res, env);
    if (res !== undefined) results.push(res);
  }
  const only = results[0];
  if (lastStep && results.length === 1 && Array.isArray(only) && !isSequence(only)) return only;
  const flattened = createSequence();
  for (const res of results) {
    if (!Array.isArray(res) || (res as { cons?: boolean }).cons) flattened.push(res);
    else for (const value of res) flattened.push(value);
  }
  return flattened;
}

function evaluateSteps(steps: Step[], absolute: boolean, input: unknown, env: EvaluationEnv): unknown[] {
  let inputs: unknown[] = Array.isArray(input) && !absolute ? input : sequenceOf(input);
  let results: unknown[] = inputs;
  for (let i = 0; i < steps.length; i++) {
    results = evaluateStep(steps[i] as Step, inputs, env, i === steps.length - 1);
    if (results.length === 0) break;
    inputs = results;
  }
  return results;
}

/**
 * The common case without arrays: walks own fields directly. Returns `deferred` when it meets an
 * array, where the general algorithm's mapping and flattening apply.
 */
function walkFields(start: unknown, fields: readonly string[], from: number): unknown {
  let value = start;
  for (let i = from; i < fields.length; i++) {
    if (value === null || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) return DEFERRED;
    value = lookupObjectField(value, fields[i] as string);
    if (value === undefined) return undefined;
  }
  return value;
}

/** walkFields with the exit hook called on each step's result, as jsonata's evaluateStep does. */
function walkFieldsHooked(hook: EvaluateExitHook, steps: readonly Step[], start: unknown, from: number): unknown {
  let value = start;
  for (let i = from; i < steps.length; i++) {
    if (Array.isArray(value)) return DEFERRED;
    const step = steps[i] as Step;
    const input = value;
    value = lookupObjectField(input, step.field as string);
    hook(step.node, input, undefined, value);
    if (value === undefined) return undefined;
  }
  return value;
}

const DEFERRED = Symbol('deferred');

/** Compiles a `path` node (its own `predicate`, if any, is applied by the caller). */
export function compilePath(node: AstNode, depth: number, paths: PathCompiler): Evaluator {
  const rawSteps = requireNodeList(node.steps);
  if (rawSteps.length === 0) decline('empty path');
  const steps = rawSteps.map((step) => compileStep(step, depth, paths));
  const absolute = (rawSteps[0] as AstNode).type === 'variable';
  const general: Evaluator = (input, env) => evaluateSteps(steps, absolute, input, env);
  const tail = steps.slice(1).map((step) => step.field);
  if (tail.some((field) => field === undefined)) return general;
  const fields = steps.map((step) => step.field ?? '');
  const hook = paths.evaluateExit;
  const walk = hook
    ? (start: unknown, from: number) => walkFieldsHooked(hook, steps, start, from)
    : (start: unknown, from: number) => walkFields(start, fields, from);
  const first = steps[0] as Step;
  if (first.field !== undefined) {
    return (input, env) => {
      if (Array.isArray(input)) return general(input, env);
      const value = walk(input, 0);
      return value === DEFERRED ? general(input, env) : value;
    };
  }
  if (!absolute || first.filters.length > 0) return general;
  return (input, env) => {
    const start = first.evaluate(input, env);
    if (start === undefined) return undefined;
    const value = walk(start, 1);
    return value === DEFERRED ? general(input, env) : value;
  };
}
