/**
 * Function calls `$name(args…)`: the built-ins of functions.ts, and `$now()`/`$millis()`, which
 * the caller may bind (to fix the time per evaluation). Arguments are evaluated left to right,
 * then validated against the signature with the call's context as jsonata does. Calls to any other
 * name (our helpers `$answer`, `$objects`, higher-order functions, …) are declined.
 */
import { decline, requireNode, requireNodeList, type AstNode } from './ast.js';
import { FastPathContractError, JsonataError, attributeToCall } from './errors.js';
import type { EvaluationEnv, Evaluator } from './evaluator.js';
import { BUILTIN_FUNCTIONS, type BuiltinFunction } from './functions.js';
import { isFunctionValue } from './values.js';
import { lookupBinding } from './variable.js';

const isOwnEnumerable = Object.prototype.propertyIsEnumerable;

function compileBuiltinCall(fn: BuiltinFunction, name: string, position: number | undefined, args: readonly Evaluator[]): Evaluator {
  return (input, env) => {
    // `in` first: it is fast, and almost always false.
    if (name in env.bindings && isOwnEnumerable.call(env.bindings, name)) {
      throw new FastPathContractError(`binding "${name}" shadows the built-in function $${name}`);
    }
    const values = evaluateArguments(args, input, env);
    try {
      return fn.implementation(fn.validate(values, input));
    } catch (err) {
      throw attributeToCall(err, position, name);
    }
  };
}

function evaluateArguments(args: readonly Evaluator[], input: unknown, env: EvaluationEnv): unknown[] {
  // Literal arrays for the usual arities: no growth, and left-to-right order as in jsonata.
  switch (args.length) {
    case 1:
      return [(args[0] as Evaluator)(input, env)];
    case 2: {
      const first = (args[0] as Evaluator)(input, env);
      return [first, (args[1] as Evaluator)(input, env)];
    }
    default: {
      const values: unknown[] = [];
      for (const arg of args) values.push(arg(input, env));
      return values;
    }
  }
}

/** `$now()` / `$millis()` without arguments: the caller's binding, else jsonata's own clock. */
function compileClockCall(name: 'now' | 'millis', position: number | undefined): Evaluator {
  return (input, env) => {
    if (isOwnEnumerable.call(env.bindings, name)) return callBoundClock(lookupBinding(env.bindings, name), input, name, position);
    const timestamp = readTimestamp(env);
    return name === 'millis' ? timestamp : new Date(timestamp).toISOString();
  };
}

function callBoundClock(bound: unknown, input: unknown, name: string, position: number | undefined): unknown {
  if (typeof bound === 'function') {
    const result: unknown = bound.call(input);
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      throw new FastPathContractError(`$${name}() is bound to an asynchronous function`);
    }
    return result;
  }
  if (isFunctionValue(bound)) throw new FastPathContractError(`$${name} is bound to a jsonata function object`);
  throw new JsonataError('T1006', { position, token: name });
}

function readTimestamp(env: EvaluationEnv): number {
  // jsonata takes the time once per evaluate() call; so do we, on first use.
  env.timestamp ??= Date.now();
  return env.timestamp;
}

/** Compiles `$name(args…)`; with `applyTo` (from `~>`), its value is the first argument. */
export function compileFunctionCall(
  node: AstNode,
  functionNames: ReadonlySet<string>,
  compileArgument: (arg: unknown) => Evaluator,
  applyTo?: Evaluator,
): Evaluator {
  const procedure = requireNode(node.procedure);
  const name = procedure.value;
  if (procedure.type !== 'variable' || typeof name !== 'string' || procedure.predicate !== undefined) {
    decline('call of a non-variable procedure');
  }
  if (functionNames.has(name)) decline(`call of helper $${name}`);
  const rawArgs = requireNodeList(node.arguments);
  if (name === 'now' || name === 'millis') {
    if (rawArgs.length > 0 || applyTo !== undefined) decline(`$${name} with arguments`);
    return compileClockCall(name, node.position);
  }
  const fn = BUILTIN_FUNCTIONS.get(name);
  if (fn === undefined) decline(`call of unsupported function $${name}`);
  const args = rawArgs.map(compileArgument);
  if (args.length + (applyTo === undefined ? 0 : 1) > fn.maxArguments) decline(`$${name} with a picture`);
  return compileBuiltinCall(fn, name, node.position, applyTo === undefined ? args : [applyTo, ...args]);
}
