/**
 * AST node → synchronous closure, one case per supported node type, each mirroring jsonata
 * 2.2.2's evaluate(): the node's own work, then its `[…]` predicates, then the unwrapping of
 * empty and singleton sequences. Unsupported nodes throw Declined (see ast.ts).
 */
import { NODE_KEYS, containsNodeType, decline, filterExpressions, isAstNode, requireNode, requireNodeList, type AstNode } from './ast.js';
import { attributeToOperator } from './errors.js';
import type { EvaluateExitHook, Evaluator, Filter } from './evaluator.js';
import { compileFunctionCall } from './function-call.js';
import { BUILTIN_FUNCTIONS } from './functions.js';
import {
  evaluateArithmetic,
  evaluateComparison,
  evaluateConcat,
  evaluateEquality,
  evaluateIncludes,
  evaluateNegation,
  type ArithmeticOperator,
  type ComparisonOperator,
} from './operators.js';
import { compileFilter, compilePath } from './path.js';
import { castBoolean, castCondition, unwrapSequence } from './values.js';
import { compileVariable, requireBindableName } from './variable.js';

/** Deeper expressions are declined: jsonata's stack guardrail counts evaluation depth. */
export const MAX_DEPTH = 48;

export interface CompileOptions {
  /** Names bound to functions in the jsonata environment (helpers): referencing them is declined. */
  functionNames: ReadonlySet<string>;
  evaluateExit?: EvaluateExitHook;
  /** The expression binds variables (`:=`): lookups then search the block frames first. */
  scoped: boolean;
}

export function createNodeCompiler(options: CompileOptions): (node: unknown, depth: number) => Evaluator {
  const compileNode = (raw: unknown, depth: number): Evaluator => {
    if (depth > MAX_DEPTH) decline('expression too deep');
    if (!isAstNode(raw)) decline('not an AST node');
    const keys = NODE_KEYS[raw.type];
    if (keys === undefined) decline(`unsupported node type ${raw.type}`);
    const node = requireNode(raw, keys);
    const core = compileCore(node, depth);
    const filters = filterExpressions(node.predicate).map((expr) => compileFilter(expr, depth, paths));
    return finishNode(node, core, filters, options.evaluateExit);
  };
  const paths = { compileNode, evaluateExit: options.evaluateExit };

  const compileCore = (node: AstNode, depth: number): Evaluator => {
    switch (node.type) {
      case 'string':
      case 'number':
      case 'value': {
        const value = node.value;
        return () => value;
      }
      case 'variable':
        return compileVariable(node, options.functionNames, options.scoped);
      case 'path':
        // The parser puts a path's filters on its last step; a path-level predicate is unexpected.
        if (node.predicate !== undefined) decline('predicate on a path');
        return compilePath(node, depth, paths);
      case 'binary': {
        const lhs = compileNode(node.lhs, depth + 1);
        // `x in ["a", "b"]`: the list never escapes the operator, so build it once. With an exit
        // hook jsonata would show the hook each item, so the list is evaluated as usual then.
        const list = node.value === 'in' && options.evaluateExit === undefined ? literalList(node.rhs) : undefined;
        const rhs = list === undefined ? compileNode(node.rhs, depth + 1) : () => list;
        return compileBinary(node, lhs, rhs);
      }
      case 'unary':
        return compileUnary(node, depth);
      case 'condition':
        return compileCondition(node, depth);
      case 'block':
        return compileBlock(node, depth);
      case 'bind':
        return compileBind(node, depth);
      case 'function':
        return compileFunctionCall(node, options.functionNames, (arg) => compileNode(arg, depth + 1));
      case 'apply': {
        // `lhs ~> $f(args)`: a call with lhs as the first argument; the call node itself is not
        // evaluated as a node (no exit hook, no predicate), as in jsonata.
        const call = requireNode(node.rhs, NODE_KEYS.function);
        if (call.type !== 'function' || call.predicate !== undefined) decline('~> into something other than a call');
        const lhs = compileNode(node.lhs, depth + 1);
        return compileFunctionCall(call, options.functionNames, (arg) => compileNode(arg, depth + 1), lhs);
      }
      default:
        return decline(`unsupported node type ${node.type}`);
    }
  };

  const compileUnary = (node: AstNode, depth: number): Evaluator => {
    if (node.value === '-') {
      const operand = compileNode(node.expression, depth + 1);
      const position = node.position;
      return (input, env) => evaluateNegation(operand(input, env), position);
    }
    if (node.value !== '[' || node.expression !== undefined) decline('unsupported unary operator');
    const items = requireNodeList(node.expressions);
    if (items.filter(mayThrow).length > 1) decline('array items that may throw');
    // jsonata evaluates the items in parallel; with at most one item able to throw the order is moot.
    const compiled = items.map((item) => ({
      evaluate: compileNode(item, depth + 1),
      nested: isAstNode(item) && item.value === '[',
    }));
    return (input, env) => {
      const result: unknown[] = [];
      for (const item of compiled) {
        const value = item.evaluate(input, env);
        if (value === undefined) continue;
        // jsonata appends (concat: arrays spread one level); in place on our own fresh array.
        if (item.nested || !Array.isArray(value)) result.push(value);
        else for (const element of value) result.push(element);
      }
      return result;
    };
  };

  const compileBlock = (node: AstNode, depth: number): Evaluator => {
    const expressions = requireNodeList(node.expressions).map((expr) => compileNode(expr, depth + 1));
    const evaluateAll: Evaluator = (input, env) => {
      let result: unknown;
      for (const expression of expressions) result = expression(input, env);
      return result;
    };
    if (!containsNodeType(node, 'bind')) return evaluateAll;
    // A block is a scope for `:=`, as jsonata's evaluateBlock creates a frame.
    return (input, env) => {
      const enclosing = env.frame;
      env.frame = { variables: new Map(), parent: enclosing };
      try {
        return evaluateAll(input, env);
      } finally {
        env.frame = enclosing;
      }
    };
  };

  const compileBind = (node: AstNode, depth: number): Evaluator => {
    const target = requireNode(node.lhs);
    if (target.type !== 'variable' || target.predicate !== undefined) decline('binding to a non-variable');
    const name = requireBindableName(target.value, options.functionNames);
    const value = compileNode(node.rhs, depth + 1);
    return (input, env) => {
      const result = value(input, env);
      // Outside any block jsonata binds in the evaluation's own frame: make that frame here.
      env.frame ??= { variables: new Map(), parent: undefined };
      env.frame.variables.set(name, result);
      return result;
    };
  };

  const compileCondition = (node: AstNode, depth: number): Evaluator => {
    const condition = compileNode(node.condition, depth + 1);
    const then = compileNode(node.then, depth + 1);
    const otherwise = node.else === undefined ? undefined : compileNode(node.else, depth + 1);
    return (input, env) => {
      if (castBoolean(condition(input, env))) return then(input, env);
      return otherwise === undefined ? undefined : otherwise(input, env);
    };
  };

  return compileNode;
}

/** The tail of jsonata's evaluate(): predicates, the exit hook, then singleton unwrapping. */
function finishNode(node: AstNode, core: Evaluator, filters: Filter[], hook: EvaluateExitHook | undefined): Evaluator {
  const unwrap = producesSequences(node);
  if (hook !== undefined) {
    return (input, env) => {
      let result = core(input, env);
      for (const filter of filters) result = filter(result, env);
      hook(node, input, undefined, result);
      return unwrapSequence(result);
    };
  }
  if (filters.length === 0) {
    return unwrap ? (input, env) => unwrapSequence(core(input, env)) : core;
  }
  return (input, env) => {
    let result = core(input, env);
    for (const filter of filters) result = filter(result, env);
    return unwrapSequence(result);
  };
}

/**
 * Literals, operators, constructors and conditionals never yield a jsonata sequence that still
 * needs unwrapping (a conditional's branches are unwrapped already), so they skip that step.
 */
function producesSequences(node: AstNode): boolean {
  if (node.type === 'function') {
    const name = (node.procedure as AstNode).value;
    return BUILTIN_FUNCTIONS.get(name as string)?.returnsSequence ?? true;
  }
  return !['string', 'number', 'value', 'binary', 'unary', 'condition'].includes(node.type);
}

/** The values of an array constructor made only of literals, or undefined. */
function literalList(node: unknown): readonly unknown[] | undefined {
  if (!isAstNode(node) || node.type !== 'unary' || node.value !== '[' || !Array.isArray(node.expressions)) return undefined;
  if (Object.keys(node).some((key) => !['type', 'value', 'position', 'expressions'].includes(key))) return undefined;
  const values: unknown[] = [];
  for (const item of node.expressions as unknown[]) {
    if (!isAstNode(item) || !['string', 'number', 'value'].includes(item.type)) return undefined;
    if (Object.keys(item).some((key) => !['type', 'value', 'position'].includes(key))) return undefined;
    values.push(item.value);
  }
  return Object.freeze(values);
}

/** Conservative: only literals, variables and filter-free field paths are known not to throw. */
function mayThrow(node: unknown): boolean {
  if (!isAstNode(node)) return true;
  if (node.predicate !== undefined) return true;
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value':
    case 'variable':
      return false;
    case 'path':
      return !Array.isArray(node.steps) || node.steps.some((step: unknown) => !isPlainStep(step));
    default:
      return true;
  }
}

function isPlainStep(step: unknown): boolean {
  return isAstNode(step) && (step.type === 'name' || step.type === 'variable') && step.stages === undefined;
}

function compileBinary(node: AstNode, lhs: Evaluator, rhs: Evaluator): Evaluator {
  const op = node.value;
  const position = node.position;
  if (op === 'and' || op === 'or') {
    const isAnd = op === 'and';
    return (input, env) => {
      const left = lhs(input, env);
      try {
        // jsonata attributes errors from the right side's evaluation to this operator as well.
        if (isAnd) return castCondition(left) && castCondition(rhs(input, env));
        return castCondition(left) || castCondition(rhs(input, env));
      } catch (err) {
        throw attributeToOperator(err, position, op);
      }
    };
  }
  const operate = binaryOperation(op);
  return (input, env) => {
    const left = lhs(input, env);
    const right = rhs(input, env);
    try {
      return operate(left, right);
    } catch (err) {
      throw attributeToOperator(err, position, op as string);
    }
  };
}

function binaryOperation(op: unknown): (lhs: unknown, rhs: unknown) => unknown {
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return (l, r) => evaluateArithmetic(l, r, op as ArithmeticOperator);
    case '=':
      return (l, r) => evaluateEquality(l, r, false);
    case '!=':
      return (l, r) => evaluateEquality(l, r, true);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (l, r) => evaluateComparison(l, r, op as ComparisonOperator);
    case '&':
      return evaluateConcat;
    case 'in':
      return evaluateIncludes;
    default:
      return decline(`unsupported binary operator ${String(op)}`);
  }
}
