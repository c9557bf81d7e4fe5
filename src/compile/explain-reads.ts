/**
 * What an expression reads, for `explain`: the fields it reads at the top level of the task
 * document (from its JSONata AST), its `$params` and helper calls, and what a field path finds
 * in a document (missing parts called out). Pure.
 */
import type { AstNode } from './ast.js';

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
