/**
 * AST node → synchronous closure, one case per supported node type, each mirroring jsonata
 * 2.2.2's evaluate(): the node's own work, then its `[…]` predicates, then the unwrapping of
 * empty and singleton sequences. Unsupported nodes throw Declined (see ast.ts).
 */
import { NODE_KEYS, decline, filterExpressions, isAstNode, requireNode, type AstNode } from './ast.js';
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
  type ArithmeticOperator,
  type ComparisonOperator,
} from './operators.js';
import { compileFilter, compilePath } from './path.js';
import { compileBind, compileBlock, compileCondition, compileUnary, literalList } from './structure.js';
import { castCondition, unwrapSequence } from './values.js';
import { compileVariable } from './variable.js';

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
    const child = (expr: unknown) => compileNode(expr, depth + 1);
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
        const lhs = child(node.lhs);
        // `x in ["a", "b"]`: the list never escapes the operator, so build it once. With an exit
        // hook jsonata would show the hook each item, so the list is evaluated as usual then.
        const list = node.value === 'in' && options.evaluateExit === undefined ? literalList(node.rhs) : undefined;
        const rhs = list === undefined ? child(node.rhs) : () => list;
        return compileBinary(node, lhs, rhs);
      }
      case 'unary':
        return compileUnary(node, child);
      case 'condition':
        return compileCondition(node, child);
      case 'block':
        return compileBlock(node, child);
      case 'bind':
        return compileBind(node, child, options.functionNames);
      case 'function':
        return compileFunctionCall(node, options.functionNames, child);
      case 'apply': {
        // `lhs ~> $f(args)`: a call with lhs as the first argument; the call node itself is not
        // evaluated as a node (no exit hook, no predicate), as in jsonata.
        const call = requireNode(node.rhs, NODE_KEYS.function);
        if (call.type !== 'function' || call.predicate !== undefined) decline('~> into something other than a call');
        return compileFunctionCall(call, options.functionNames, child, child(node.lhs));
      }
      default:
        return decline(`unsupported node type ${node.type}`);
    }
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
