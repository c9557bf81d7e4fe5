/**
 * A RegExp stand-in over re2js (a linear-time RE2 port), handed to jsonata as `RegexEngine`
 * so a rule's regex cannot backtrack catastrophically (`/(a+)+$/` on "aaaa…!").
 *
 * jsonata (2.2.2, `evaluateRegex`) uses exactly this surface: `new RegexEngine(regexLiteral)`
 * where the literal always carries the `g` flag, then `lastIndex = from; exec(str)` and reads
 * `match[0..n]`, `match.index` and the advanced `lastIndex`.
 */
import { RE2JS } from 're2js';
import { checkDeadline } from './guards.js';

/** A regex that RE2 cannot run (backreferences, lookahead, …); mapped to `guard/regex`. */
export class UnsupportedRegexError extends Error {
  readonly code = 'guard/regex';
  constructor(
    readonly source: string,
    reason: string,
  ) {
    super(`regular expression /${source}/ is not supported: ${reason}`);
  }
}

export class Re2RegExp {
  lastIndex = 0;
  readonly source: string;
  readonly flags: string;
  readonly global: boolean;
  private readonly re2: RE2JS;

  constructor(pattern: RegExp | string, flags?: string) {
    const native = typeof pattern === 'string' ? { source: pattern, flags: flags ?? '' } : pattern;
    this.source = native.source;
    this.flags = native.flags;
    this.global = native.flags.includes('g');
    this.re2 = compileRe2(native.source, native.flags);
  }

  /** RegExp.prototype.exec semantics for the `g` flag: search from lastIndex, then advance it. */
  exec(input: string): RegExpExecArray | null {
    // jsonata's $match/$replace/$split loop over matches without entering its evaluator.
    checkDeadline();
    const from = this.global ? this.lastIndex : 0;
    if (from > input.length) {
      this.lastIndex = 0;
      return null;
    }
    const matcher = this.re2.matcher(input);
    if (!matcher.find(from)) {
      if (this.global) this.lastIndex = 0;
      return null;
    }
    const groups: (string | undefined)[] = [];
    for (let i = 0; i <= matcher.groupCount(); i += 1) groups.push(matcher.group(i) ?? undefined);
    const result = Object.assign(groups, { index: matcher.start(), input }) as unknown as RegExpExecArray;
    if (this.global) this.lastIndex = matcher.end();
    return result;
  }

  test(input: string): boolean {
    return this.exec(input) !== null;
  }

  toString(): string {
    return `/${this.source}/${this.flags}`;
  }
}

/**
 * jsonata builds a new RegexEngine each time it evaluates a regex literal, so compiled
 * programs are shared by pattern. RE2JS objects are immutable (matching state lives in the
 * Matcher). Cleared when full: rule files hold few distinct patterns.
 */
const compiled = new Map<string, RE2JS>();
const MAX_CACHED = 512;

function compileRe2(source: string, flags: string): RE2JS {
  const key = `${flags}/${source}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const re2 = compileUncached(source, flags);
  if (compiled.size >= MAX_CACHED) compiled.clear();
  compiled.set(key, re2);
  return re2;
}

function compileUncached(source: string, flags: string): RE2JS {
  let re2Flags = 0;
  if (flags.includes('i')) re2Flags |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) re2Flags |= RE2JS.MULTILINE;
  if (flags.includes('s')) re2Flags |= RE2JS.DOTALL;
  try {
    return RE2JS.compile(RE2JS.translateRegExp(source), re2Flags);
  } catch (error) {
    throw new UnsupportedRegexError(source, error instanceof Error ? error.message : String(error));
  }
}
