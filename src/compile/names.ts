/**
 * The function and variable names an expression may use. Kept in one place so the static
 * checks, the registered helpers and docs/expressions.md agree.
 */

/** jsonata 2.2.2's built-ins (`staticFrame.bind(...)` in jsonata.js), plus `$now`/`$millis`. */
export const JSONATA_BUILTINS: ReadonlySet<string> = new Set([
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter',
  'lowercase', 'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join',
  'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round', 'abs',
  'sqrt', 'power', 'random', 'boolean', 'not', 'map', 'zip', 'filter', 'single', 'reduce', 'sift', 'keys',
  'lookup', 'append', 'exists', 'spread', 'merge', 'reverse', 'each', 'error', 'assert', 'type', 'sort',
  'shuffle', 'distinct', 'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'eval',
  'toMillis', 'fromMillis', 'clone', 'now', 'millis',
]);

/**
 * Built-ins a rule may not call. `$eval` would compile text we never checked; `$random` and
 * `$shuffle` would make a dry run disagree with the real run (evaluation must be pure).
 */
export const FORBIDDEN_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['eval', 'it evaluates text that was never checked; write the expression directly'],
  ['random', 'rules must decide the same way on every run (dry run = apply)'],
  ['shuffle', 'rules must decide the same way on every run (dry run = apply)'],
]);

/** Our helpers, registered on every compiled expression (see helpers.ts). */
export const HELPER_FUNCTIONS: ReadonlySet<string> = new Set(['answer', 'objects']);

/** Variables bound for every evaluation: `$params`; `$` and `$$` are jsonata's own. */
export const BOUND_VARIABLES: ReadonlySet<string> = new Set(['params', '', '$']);

/** A name an expression may call or read without binding it itself. */
export function isKnownFunction(name: string): boolean {
  return (JSONATA_BUILTINS.has(name) && !FORBIDDEN_FUNCTIONS.has(name)) || HELPER_FUNCTIONS.has(name);
}

/** Names an expression may not rebind with `:=` (it would change what a built-in or helper means). */
export function isReservedName(name: string): boolean {
  return JSONATA_BUILTINS.has(name) || HELPER_FUNCTIONS.has(name) || BOUND_VARIABLES.has(name);
}

/**
 * Built-ins that take the context value in place of a missing first argument (`-` in jsonata's
 * signature) where that argument may be an object, with how many arguments a call needs so the
 * context is never used: `$string()`, `$keys()`, `$lookup("k")` at the top level read the whole
 * document. (The others take a string or number there: given the document they fail with T0411
 * whatever it holds.) names.test.ts derives this table from jsonata's own signatures.
 */
export const CONTEXT_ARGUMENT_ARITY: ReadonlyMap<string, number> = new Map(
  Object.entries({ string: 1, boolean: 1, not: 1, keys: 1, lookup: 2, spread: 1, sift: 2, each: 2, clone: 1 }),
);
