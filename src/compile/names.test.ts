import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CONTEXT_ARGUMENT_ARITY } from './names.js';

/** A signature's parameters: type (one symbol or a `(choice)`) and modifiers (`-`, `?`, `+`). */
function parseParams(signature: string): { type: string; context: boolean; optional: boolean }[] {
  const params: { type: string; context: boolean; optional: boolean }[] = [];
  let i = 1; // after '<'
  while (i < signature.length && signature[i] !== ':' && signature[i] !== '>') {
    let type = signature[i]!;
    if (type === '(') {
      const close = signature.indexOf(')', i);
      type = signature.slice(i + 1, close);
      i = close + 1;
    } else {
      i += 1;
    }
    if (signature[i] === '<') {
      // A subtype such as a<s> or f<s:o>: skip to its matching '>'.
      let depth = 0;
      do {
        if (signature[i] === '<') depth += 1;
        if (signature[i] === '>') depth -= 1;
        i += 1;
      } while (depth > 0);
    }
    const param = { type, context: false, optional: false };
    while ('-?+'.includes(signature[i]!)) {
      if (signature[i] === '-') param.context = true;
      if (signature[i] === '?') param.optional = true;
      i += 1;
    }
    params.push(param);
  }
  return params;
}

describe('CONTEXT_ARGUMENT_ARITY', () => {
  it("matches jsonata's signatures: the context-taking built-ins whose context may be an object", () => {
    const source = readFileSync(createRequire(import.meta.url).resolve('jsonata'), 'utf8');
    const expected: Record<string, number> = {};
    for (const [, name, signature] of source.matchAll(/bind\('(\w+)', defineFunction\([^,]*, '([^']*)'\)/g)) {
      const params = parseParams(signature!);
      const first = params[0];
      if (!first?.context || !/[xo]/.test(first.type)) continue;
      // `x` accepts any first argument, so only a call short of the required count shifts to the
      // context; a narrower type shifts whenever the first argument does not fit, so every
      // parameter must be given.
      expected[name!] = first.type === 'x' ? params.filter((p) => !p.optional).length : params.length;
    }
    expect(Object.keys(expected).length).toBeGreaterThan(5);
    expect(Object.fromEntries(CONTEXT_ARGUMENT_ARITY)).toEqual(expected);
  });
});
