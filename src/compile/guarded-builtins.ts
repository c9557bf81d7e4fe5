/**
 * Guarded replacements for the jsonata built-ins that do unbounded work without passing
 * through jsonata's evaluator, where the timeout is checked. Measured on jsonata 2.2.2:
 * `$sort` without a comparator slices on every merge step (3,000 numbers: ~300 ms; 99,999:
 * out of memory after minutes), `$distinct` is quadratic, and `$pad`, `$join`, `$string`
 * and `$replace` can build strings of hundreds of MB before the size hook sees them.
 * Each replacement gives the original's results, or refuses with guard/size.
 */
import jsonata from 'jsonata';
import type { GuardLimits, GuardSignal } from './guards.js';

interface JsonataFunction {
  _jsonata_function: true;
  implementation: (...args: unknown[]) => unknown;
  signature: unknown;
}

interface Focus {
  createSequence(): unknown[];
}

const GUARDED = ['sort', 'distinct', 'pad', 'join', 'string', 'replace'] as const;
type GuardedName = (typeof GUARDED)[number];

/** The originals, to keep their signatures and delegate to them. jsonata only hands them out by evaluation. */
const ORIGINALS = (await jsonata(`[${GUARDED.map((name) => `$${name}`).join(', ')}]`).evaluate({})) as JsonataFunction[];
const original = (name: GuardedName): JsonataFunction => ORIGINALS[GUARDED.indexOf(name)]!;

/**
 * Binds the guarded built-ins into a compiled expression's environment. Each keeps the
 * original's parameter names and arity: jsonata reads both (`$map` passes as many
 * arguments as the function declares; partial application parses its source).
 */
export function installGuardedBuiltins(engine: jsonata.Expression, limits: GuardLimits): void {
  const pad = function pad(this: Focus, str: unknown, width: unknown, char: unknown) {
    if (typeof width === 'number' && Math.abs(width) > limits.maxStringLength) throw tooLong(Math.abs(width), limits);
    return original('pad').implementation.call(this, str, width, char);
  };
  const join = function join(this: Focus, strs: unknown, separator: unknown) {
    if (Array.isArray(strs)) {
      const length = strs.reduce((sum: number, s) => sum + (typeof s === 'string' ? s.length : 0), 0);
      const total = length + Math.max(strs.length - 1, 0) * (typeof separator === 'string' ? separator.length : 0);
      if (total > limits.maxStringLength) throw tooLong(total, limits);
    }
    return original('join').implementation.call(this, strs, separator);
  };
  const string = function string(this: Focus, arg: unknown, prettify: unknown = false) {
    const atLeast = minimumJsonLength(arg, limits.maxStringLength);
    if (atLeast > limits.maxStringLength) throw tooLong(atLeast, limits);
    return original('string').implementation.call(this, arg, prettify);
  };
  const replace = async function replace(this: Focus, str: unknown, pattern: unknown, replacement: unknown, limit: unknown) {
    const bound = await replacementBound(str, pattern, replacement, limit);
    if (bound > limits.maxStringLength) throw tooLong(bound, limits);
    return original('replace').implementation.call(this, str, pattern, replacement, limit);
  };
  const replacements: Record<GuardedName, (...args: never[]) => unknown> = { sort, distinct, pad, join, string, replace };
  for (const name of GUARDED) {
    engine.assign(name, { ...original(name), implementation: replacements[name] });
  }
}

function tooLong(length: number, limits: GuardLimits): GuardSignal {
  return { code: 'guard/size', message: `a string of ${length} characters exceeds the limit of ${limits.maxStringLength}` };
}

/**
 * jsonata's merge sort (same split, same comparisons in the same order, so the same result
 * even for an inconsistent comparator) without the slice per merge step.
 */
async function sort(this: Focus, arr: unknown, comparator: unknown): Promise<unknown> {
  if (arr === undefined) return undefined;
  const items = arr as unknown[];
  if (items.length <= 1) return items;
  // With a comparator, every comparison runs through jsonata's evaluator, so the timeout holds.
  if (comparator !== undefined) return original('sort').implementation.call(this, items, comparator);
  const numbers = items.every((v) => typeof v === 'number');
  if (!numbers && !items.every((v) => typeof v === 'string')) {
    throw { code: 'D3070', index: 1, stack: new Error().stack };
  }
  return mergeSort(items, (a, b) => (a as number) > (b as number));
}

function mergeSort(items: unknown[], swap: (a: unknown, b: unknown) => boolean): unknown[] {
  if (items.length <= 1) return items;
  const middle = Math.floor(items.length / 2);
  const left = mergeSort(items.slice(0, middle), swap);
  const right = mergeSort(items.slice(middle), swap);
  const merged: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    if (swap(left[i], right[j])) merged.push(right[j++]);
    else merged.push(left[i++]);
  }
  for (; i < left.length; i += 1) merged.push(left[i]);
  for (; j < right.length; j += 1) merged.push(right[j]);
  return merged;
}

/** jsonata's `$distinct` (deep equality, key order ignored) in linear time for JSON values. */
function distinct(this: Focus, arr: unknown): unknown {
  const array = arr;
  if (!Array.isArray(array) || array.length <= 1 || !array.every(isJsonValue)) {
    return original('distinct').implementation.call(this, array);
  }
  const results = (array as { sequence?: boolean }).sequence ? this.createSequence() : [];
  const seen = new Set<string>();
  for (const value of array) {
    const key = value !== null && typeof value === 'object' ? canonicalJson(value) : `${typeof value}:${String(value)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    results.push(value);
  }
  return results;
}

function isJsonataFunction(value: unknown): boolean {
  const marker = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown } | null;
  return typeof value === 'object' && value !== null && Boolean(marker?._jsonata_lambda || marker?._jsonata_function);
}

function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return true;
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value !== 'object' || isJsonataFunction(value)) return false;
  return Object.values(value).every(isJsonValue);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** A lower bound of JSON.stringify(value).length; stops counting once past `limit`. */
function minimumJsonLength(value: unknown, limit: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total <= limit) {
    const item = stack.pop();
    if (typeof item === 'string') total += item.length + 2;
    else if (typeof item === 'function' || isJsonataFunction(item)) total += 2;
    else if (Array.isArray(item)) {
      total += 1 + item.length;
      for (const child of item) stack.push(child);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        total += key.length + 4;
        stack.push(child);
      }
    } else total += 1;
  }
  return total;
}

/**
 * An upper bound of the length `$replace` produces: each match adds the replacement, and
 * each `$n` in it at most that match's length (which all together are at most the text).
 */
async function replacementBound(text: unknown, pattern: unknown, replacement: unknown, limit: unknown): Promise<number> {
  if (typeof text !== 'string' || typeof replacement !== 'string') return 0;
  const maxMatches = typeof limit === 'number' && limit >= 0 ? limit : Infinity;
  const matches = await countMatches(text, pattern, maxMatches);
  const references = (replacement.match(/\$/g) ?? []).length;
  return text.length + matches * replacement.length + references * text.length;
}

/** jsonata hands a regex to built-ins as an async matcher whose results chain with next(). */
async function countMatches(text: string, pattern: unknown, maxMatches: number): Promise<number> {
  let count = 0;
  if (typeof pattern === 'string') {
    if (pattern === '') return 0;
    for (let at = text.indexOf(pattern); at >= 0 && count < maxMatches; at = text.indexOf(pattern, at + pattern.length)) count += 1;
    return count;
  }
  if (typeof pattern !== 'function') return 0;
  type Match = { match: string; next(): Match | Promise<Match> } | undefined;
  let match = await (pattern as (s: string) => Promise<Match>)(text);
  while (match && count < maxMatches) {
    count += 1;
    // A zero-length match never advances; jsonata's own $replace reports that (D1004).
    match = match.match === '' ? undefined : await match.next();
  }
  return count;
}
