/**
 * Variable references: `$` (the context), `$$` (the input document) and names bound by the caller
 * (`$params`). A name jsonata binds to a function (`$string`, `$now`, our helpers) would evaluate
 * to that function, which the fast path does not model, so such references are declined.
 */
import { decline, type AstNode } from './ast.js';
import type { EvaluationEnv, Evaluator } from './evaluator.js';
import { JSONATA_FUNCTION_NAMES } from './functions.js';

const isOwnEnumerable = Object.prototype.propertyIsEnumerable;

/** jsonata binds the caller's bindings by Object.keys: own, enumerable properties only. */
export function lookupBinding(bindings: Readonly<Record<string, unknown>>, name: string): unknown {
  return isOwnEnumerable.call(bindings, name) ? bindings[name] : undefined;
}

/** A variable's value: the innermost `:=` binding, else the caller's bindings. */
export function lookupScoped(env: EvaluationEnv, name: string): unknown {
  for (let frame = env.frame; frame !== undefined; frame = frame.parent) {
    if (frame.variables.has(name)) return frame.variables.get(name);
  }
  return lookupBinding(env.bindings, name);
}

/** Names a `:=` may not bind: the context, the root, and functions (which calls would then miss). */
export function requireBindableName(name: unknown, functionNames: ReadonlySet<string>): string {
  if (typeof name !== 'string' || name === '' || name === '$') decline('binding of $ or $$');
  if (JSONATA_FUNCTION_NAMES.has(name) || functionNames.has(name)) decline(`binding of function name $${name}`);
  return name;
}

export function compileVariable(node: AstNode, functionNames: ReadonlySet<string>, scoped: boolean): Evaluator {
  const name = node.value;
  if (typeof name !== 'string') decline('variable without a name');
  if (name === '') {
    // The context; at the top level an input array is wrapped, and `$` means the array itself.
    return (input) => {
      const wrapped = input as { outerWrapper?: unknown } | null | undefined;
      return wrapped !== null && wrapped !== undefined && wrapped.outerWrapper ? (input as unknown[])[0] : input;
    };
  }
  if (name === '$') return (_input, env) => env.root;
  if (JSONATA_FUNCTION_NAMES.has(name) || functionNames.has(name)) decline(`reference to function $${name}`);
  if (scoped) return (_input, env) => lookupScoped(env, name);
  return (_input, env) => lookupBinding(env.bindings, name);
}
