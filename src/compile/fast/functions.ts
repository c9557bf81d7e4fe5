/**
 * The built-in functions the fast path implements, each with its jsonata signature (arguments are
 * validated exactly as jsonata validates them) and an implementation with jsonata 2.2.2's results.
 * Anything not listed here (regex forms, higher-order functions, our own helpers) is declined.
 */
import { FastPathContractError, JsonataError } from './errors.js';
import { createArgumentValidator, type ArgumentValidator } from './signature.js';
import { appendValues, castBoolean, castString, createSequence, isFunctionValue, isNumeric, lookupField } from './values.js';

export interface BuiltinFunction {
  validate: ArgumentValidator;
  /** Receives validated arguments; pure and bounded by the size of its arguments. */
  implementation: Implementation;
  /** Whether the result may be a jsonata sequence (which the caller then unwraps). */
  returnsSequence: boolean;
  /** Calls with more arguments are declined (a picture string the fast path does not parse). */
  maxArguments: number;
}

// Arguments are validated against the signature before the call, so their types are known here.
type Args = readonly any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
type Implementation = (args: Args) => unknown;

function codePoints(text: string): string[] {
  return Array.from(text);
}

function substring(str: string | undefined, start: number, length?: number): string | undefined {
  if (str === undefined) return undefined;
  const chars = codePoints(str);
  const from = chars.length + start < 0 ? 0 : start;
  if (length === undefined) return chars.slice(from).join('');
  if (length <= 0) return '';
  const end = from >= 0 ? from + length : chars.length + from + length;
  return chars.slice(from, end).join('');
}

function substringBefore(str: string | undefined, chars: string): string | undefined {
  if (str === undefined) return undefined;
  const at = str.indexOf(chars);
  return at > -1 ? str.slice(0, at) : str;
}

function substringAfter(str: string | undefined, chars: string): string | undefined {
  if (str === undefined) return undefined;
  const at = str.indexOf(chars);
  // `chars.length` on a missing second argument throws a TypeError here exactly as in jsonata.
  return at > -1 ? str.slice(at + chars.length) : str;
}

function trim(str: string | undefined): string | undefined {
  if (str === undefined) return undefined;
  let result = str.replace(/[ \t\n\r]+/g, ' ');
  if (result.startsWith(' ')) result = result.slice(1);
  if (result.endsWith(' ')) result = result.slice(0, -1);
  return result;
}

function requireStringMatcher(token: unknown): string {
  if (typeof token === 'string') return token;
  // jsonata calls a non-string as a matcher: a missing one fails with this TypeError there.
  if (token === undefined) throw new TypeError("Cannot read properties of undefined (reading 'apply')");
  // Our documents are JSON: a function here breaks the FastExpression contract.
  throw new FastPathContractError('function-valued argument to a string function');
}

function contains(str: string | undefined, token: unknown): boolean | undefined {
  if (str === undefined || token === undefined) return undefined;
  return str.includes(requireStringMatcher(token));
}

function split(str: string | undefined, separator: unknown, limit?: number): string[] | undefined {
  if (str === undefined) return undefined;
  if ((limit as number) < 0) throw new JsonataError('D3020', { value: limit, index: 3 });
  if (limit !== undefined && !(limit > 0)) return [];
  return str.split(requireStringMatcher(separator), limit);
}

/** $replace with a string pattern (regex patterns are declined at compile time). */
function replace(str: string | undefined, pattern: unknown, replacement: unknown, limit?: number): string | undefined {
  if (str === undefined) return undefined;
  if (pattern === '') throw new JsonataError('D3010', { value: pattern, index: 2 });
  if ((limit as number) < 0) throw new JsonataError('D3011', { value: limit, index: 4 });
  if (limit !== undefined && !(limit > 0)) return str;
  const token = requireStringMatcher(pattern);
  let result = '';
  let position = 0;
  let count = 0;
  let index = str.indexOf(token, position);
  while (index !== -1 && (limit === undefined || count < limit)) {
    if (isFunctionValue(replacement)) throw new FastPathContractError('function-valued replacement');
    // A missing replacement is concatenated as "undefined", exactly as jsonata does.
    result += str.substring(position, index) + String(replacement);
    position = index + token.length;
    count++;
    index = str.indexOf(token, position);
  }
  return result + str.substring(position);
}

const DECIMAL_NUMBER = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/;
// The alternation binds `^` to the first branch and `$` to the last, as JSONata's own pattern does.
const PREFIXED_NUMBER = /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/;

function castNumber(arg: unknown): number | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'number') return arg;
  if (typeof arg === 'string' && DECIMAL_NUMBER.test(arg) && !Number.isNaN(parseFloat(arg)) && isFinite(Number(arg))) {
    return parseFloat(arg);
  }
  if (typeof arg === 'string' && PREFIXED_NUMBER.test(arg)) return Number(arg);
  if (arg === true) return 1;
  if (arg === false) return 0;
  throw new JsonataError('D3030', { value: arg, index: 1 });
}

function shiftDecimal(value: number, places: number): number {
  const [mantissa, exponent] = value.toString().split('e');
  return Number(`${mantissa}e${exponent ? Number(exponent) + places : places}`);
}

/** Round half to even; `precision` shifts through the decimal string to avoid binary error. */
function round(arg: number | undefined, precision?: number): number | undefined {
  if (arg === undefined) return undefined;
  const shifted = precision ? shiftDecimal(arg, precision) : arg;
  let result = Math.round(shifted);
  if (Math.abs(result - shifted) === 0.5 && Math.abs(result % 2) === 1) result -= 1;
  if (precision) result = shiftDecimal(result, -precision);
  return Object.is(result, -0) ? 0 : result;
}

function numeric(operation: (value: number) => number): Implementation {
  return (args) => (args[0] === undefined ? undefined : operation(args[0]));
}

function aggregate(operation: (values: number[]) => number): Implementation {
  return (args) => (args[0] === undefined || args[0].length === 0 ? undefined : operation(args[0]));
}

function total(values: number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}

/** $keys: an object's keys; over an array, the union of its items' keys in first-seen order. */
function keysOf(value: unknown): unknown[] {
  const result = createSequence();
  if (Array.isArray(value)) {
    const merged: Record<string, true> = Object.create(null);
    for (const item of value) for (const key of keysOf(item) as string[]) merged[key] = true;
    return keysOf(merged);
  }
  if (value !== null && typeof value === 'object' && !isFunctionValue(value)) {
    for (const key of Object.keys(value)) result.push(key);
  }
  return result;
}

function reverse(values: unknown[] | undefined): unknown[] | undefined {
  if (values === undefined || values.length <= 1) return values;
  const result = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i++) result[values.length - i - 1] = values[i];
  return result;
}

function sqrt(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value < 0) throw new JsonataError('D3060', { value, index: 1 });
  return Math.sqrt(value);
}

function power(base: number | undefined, exp: number): number | undefined {
  if (base === undefined) return undefined;
  const result = Math.pow(base, exp);
  if (!Number.isFinite(result)) throw new JsonataError('D3061', { value: base, exp, index: 1 });
  return result;
}

// JSONata's ISO 8601 shape check for $toMillis without a picture; Date.parse does the rest.
const ISO_8601 = /^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$/;

function toMillis(timestamp: string | undefined): number | undefined {
  if (timestamp === undefined) return undefined;
  if (!ISO_8601.test(timestamp)) throw new JsonataError('D3110', { value: timestamp });
  return Date.parse(timestamp);
}

function typeName(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 'null';
  if (isNumeric(value)) return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  return isFunctionValue(value) ? 'function' : 'object';
}

// Implementations index their arguments (no destructuring): this is the hot path of every call.
const DEFINITIONS: Readonly<Record<string, [signature: string, implementation: Implementation, maxArguments?: number]>> = {
  string: ['<x-b?:s>', (a) => castString(a[0], a[1] ?? false)],
  substring: ['<s-nn?:s>', (a) => substring(a[0], a[1], a[2])],
  substringBefore: ['<s-s:s>', (a) => substringBefore(a[0], a[1])],
  substringAfter: ['<s-s:s>', (a) => substringAfter(a[0], a[1])],
  lowercase: ['<s-:s>', (a) => (a[0] === undefined ? undefined : (a[0] as string).toLowerCase())],
  uppercase: ['<s-:s>', (a) => (a[0] === undefined ? undefined : (a[0] as string).toUpperCase())],
  length: ['<s-:n>', (a) => (a[0] === undefined ? undefined : codePoints(a[0]).length)],
  trim: ['<s-:s>', (a) => trim(a[0])],
  contains: ['<s-(sf):b>', (a) => contains(a[0], a[1])],
  replace: ['<s-(sf)(sf)n?:s>', (a) => replace(a[0], a[1], a[2], a[3])],
  split: ['<s-(sf)n?:a<s>>', (a) => split(a[0], a[1], a[2])],
  join: ['<a<s>s?:s>', (a) => (a[0] === undefined ? undefined : a[0].join(a[1] ?? ''))],
  number: ['<(nsb)-:n>', (a) => castNumber(a[0])],
  abs: ['<n-:n>', numeric(Math.abs)],
  floor: ['<n-:n>', numeric(Math.floor)],
  ceil: ['<n-:n>', numeric(Math.ceil)],
  round: ['<n-n?:n>', (a) => round(a[0], a[1])],
  boolean: ['<x-:b>', (a) => castBoolean(a[0])],
  not: ['<x-:b>', (a) => (a[0] === undefined ? undefined : !castBoolean(a[0]))],
  exists: ['<x:b>', (a) => a[0] !== undefined],
  count: ['<a:n>', (a) => (a[0] === undefined ? 0 : a[0].length)],
  sum: ['<a<n>:n>', (a) => (a[0] === undefined ? undefined : total(a[0]))],
  max: ['<a<n>:n>', aggregate((values) => Math.max(...values))],
  min: ['<a<n>:n>', aggregate((values) => Math.min(...values))],
  average: ['<a<n>:n>', aggregate((values) => total(values) / values.length)],
  type: ['<x:s>', (a) => typeName(a[0])],
  append: ['<xx:a>', (a) => appendValues(a[0], a[1])],
  lookup: ['<x-s:x>', (a) => lookupField(a[0], a[1])],
  keys: ['<x-:a<s>>', (a) => keysOf(a[0])],
  reverse: ['<a:a>', (a) => reverse(a[0])],
  sqrt: ['<n-:n>', (a) => sqrt(a[0])],
  power: ['<n-n:n>', (a) => power(a[0], a[1])],
  toMillis: ['<s-s?:n>', (a) => toMillis(a[0]), 1],
};

const RETURNS_SEQUENCE = new Set(['lookup', 'keys', 'reverse']);

/** Built-in functions by name (without `$`). */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map(
  Object.entries(DEFINITIONS).map(([name, [signature, implementation, maxArguments]]) => [
    name,
    {
      validate: createArgumentValidator(signature),
      implementation,
      returnsSequence: RETURNS_SEQUENCE.has(name),
      maxArguments: maxArguments ?? Infinity,
    },
  ]),
);

/**
 * Every name jsonata binds in its static frame or per expression: a variable reference to one of
 * these yields a function, which the fast path does not model, so such references are declined.
 */
export const JSONATA_FUNCTION_NAMES: ReadonlySet<string> = new Set([
  ...'sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad match contains replace split join formatNumber formatBase formatInteger parseInteger number floor ceil round abs sqrt power random boolean not map zip filter single reduce sift keys lookup append exists spread merge reverse each error assert type sort shuffle distinct base64encode base64decode encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl eval toMillis fromMillis clone now millis'.split(
    ' ',
  ),
]);
