/**
 * The structural nodes: unary minus and array constructors, conditionals, blocks (the scopes of
 * `:=`) and bindings, each as jsonata 2.2.2 evaluates them. `child` compiles a sub-expression.
 */
import { containsNodeType, decline, isAstNode, requireNode, requireNodeList, type AstNode } from './ast.js';
import type { Evaluator } from './evaluator.js';
import { evaluateNegation } from './operators.js';
import { castBoolean } from './values.js';
import { requireBindableName } from './variable.js';

export type CompileChild = (node: unknown) => Evaluator;

export function compileUnary(node: AstNode, child: CompileChild): Evaluator {
  if (node.value === '-') {
    const operand = child(node.expression);
    const position = node.position;
    return (input, env) => evaluateNegation(operand(input, env), position);
  }
  if (node.value !== '[' || node.expression !== undefined) decline('unsupported unary operator');
  const items = requireNodeList(node.expressions);
  if (items.filter(mayThrow).length > 1) decline('array items that may throw');
  // jsonata evaluates the items in parallel; with at most one item able to throw the order is moot.
  const compiled = items.map((item) => ({
    evaluate: child(item),
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
}

export function compileCondition(node: AstNode, child: CompileChild): Evaluator {
  const condition = child(node.condition);
  const then = child(node.then);
  const otherwise = node.else === undefined ? undefined : child(node.else);
  return (input, env) => {
    if (castBoolean(condition(input, env))) return then(input, env);
    return otherwise === undefined ? undefined : otherwise(input, env);
  };
}

export function compileBlock(node: AstNode, child: CompileChild): Evaluator {
  const expressions = requireNodeList(node.expressions).map((expr) => child(expr));
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
}

export function compileBind(node: AstNode, child: CompileChild, functionNames: ReadonlySet<string>): Evaluator {
  const target = requireNode(node.lhs);
  if (target.type !== 'variable' || target.predicate !== undefined) decline('binding to a non-variable');
  const name = requireBindableName(target.value, functionNames);
  const value = child(node.rhs);
  return (input, env) => {
    const result = value(input, env);
    // Outside any block jsonata binds in the evaluation's own frame: make that frame here.
    env.frame ??= { variables: new Map(), parent: undefined };
    env.frame.variables.set(name, result);
    return result;
  };
}

/** The values of an array constructor made only of literals, or undefined. */
export function literalList(node: unknown): readonly unknown[] | undefined {
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

