/**
 * Runs JSONata's language-neutral test suite (shared/jsonata-suite beside the repo, or JSONATA_SUITE_DIR)
 * through the fast path: every case whose AST the fast path accepts must give the suite's expected
 * result or error code, and the same result as jsonata 2.2.2 itself.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { JSONATA_SUITE_DIR } from '../jsonata-suite-dir.js';
import { loadSuiteCases, type RawSuiteCase } from '../jsonata-suite-cases.js';
import { describe, expect, it } from 'vitest';
import { compileFastPath } from '../../src/compile/fast/index.js';

const SUITE_DIR = JSONATA_SUITE_DIR;

interface SuiteCase {
  id: string;
  expr: string;
  input: unknown;
  bindings: Record<string, unknown>;
  expected: { result: unknown } | { undefinedResult: true } | { code: string };
  unordered: boolean;
  guarded: boolean;
  /** The token an expected error names, when the case says. */
  token?: string;
}

function toSuiteCase({ id, expr, data, bindings, raw }: RawSuiteCase): SuiteCase {
  const error = (raw.error ?? undefined) as { code?: string; token?: string } | undefined;
  const code = (raw.code as string | undefined) ?? error?.code;
  const expected = code !== undefined
    ? { code }
    : raw.undefinedResult === true || !('result' in raw)
      ? { undefinedResult: true as const }
      : { result: raw.result };
  return {
    id,
    expr,
    input: data,
    bindings,
    expected,
    unordered: raw.unordered === true,
    guarded: raw.timelimit !== undefined || raw.depth !== undefined,
    token: (raw.token as string | undefined) ?? error?.token,
  };
}

function loadSuite(): SuiteCase[] {
  return loadSuiteCases(SUITE_DIR).map(toSuiteCase);
}

/** Plain JSON-like copy: drops the flags jsonata puts on sequence arrays. */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
  }
  return value;
}

function sortedIfUnordered(value: unknown, unordered: boolean): unknown {
  if (!unordered || !Array.isArray(value)) return value;
  return [...value].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

type Outcome = { ok: true; value: unknown } | { ok: false; code: unknown; token?: unknown; position?: unknown; message?: unknown };

function describeError(err: unknown): Outcome {
  const { code, token, position, message } = err as Record<string, unknown>;
  return { ok: false, code, token, position, message };
}

function runFast(fast: NonNullable<ReturnType<typeof compileFastPath>>, c: SuiteCase): Outcome {
  try {
    return { ok: true, value: fast(c.input, c.bindings) };
  } catch (err) {
    return describeError(err);
  }
}

async function runJsonata(c: SuiteCase): Promise<Outcome> {
  try {
    return { ok: true, value: await jsonata(c.expr).evaluate(c.input, c.bindings) };
  } catch (err) {
    return describeError(err);
  }
}

/** A size guard like the runner's, with tiny limits so that it fires on suite data. */
function tinySizeGuard(node: { position?: number }, _input: unknown, _env: unknown, result: unknown): void {
  const size = typeof result === 'string' ? result.length : Array.isArray(result) ? result.length : 0;
  if (size > 3) throw { code: 'guard/size', message: `size ${size}`, position: node.position };
}

const EXIT_HOOK = Symbol.for('jsonata.__evaluate_exit') as unknown as string;

async function runJsonataGuarded(c: SuiteCase): Promise<Outcome> {
  try {
    const expression = jsonata(c.expr);
    expression.assign(EXIT_HOOK, tinySizeGuard);
    return { ok: true, value: await expression.evaluate(c.input, c.bindings) };
  } catch (err) {
    return describeError(err);
  }
}

function compileCase(c: SuiteCase): ReturnType<typeof compileFastPath> {
  try {
    return compileFastPath(jsonata(c.expr).ast());
  } catch {
    return undefined; // a syntax error: jsonata reports it before any evaluator runs
  }
}

const suitePresent = existsSync(join(SUITE_DIR, 'groups'));
const suite = suitePresent ? loadSuite() : [];
const accepted = suite
  .filter((c) => !c.guarded)
  .map((c) => ({ c, fast: compileCase(c) }))
  .filter((entry): entry is { c: SuiteCase; fast: NonNullable<typeof entry.fast> } => entry.fast !== undefined);

describe.skipIf(!suitePresent)('fast path on the JSONata test suite', () => {
  it('accepts a substantial part of the suite', () => {
    console.info(`fast path accepts ${accepted.length} of ${suite.length} suite cases`);
    expect(accepted.length).toBeGreaterThan(250);
  });

  it.each(accepted.map((entry) => [entry.c.id, entry] as const))('%s', async (_id, { c, fast }) => {
    const outcome = runFast(fast, c);
    if ('code' in c.expected) {
      expect(outcome).toMatchObject({ ok: false, code: c.expected.code });
      if (c.token !== undefined) expect(outcome).toMatchObject({ token: c.token });
    } else if ('result' in c.expected) {
      expect(outcome.ok).toBe(true);
      const value = outcome.ok ? outcome.value : undefined;
      expect(sortedIfUnordered(toPlain(value), c.unordered)).toEqual(sortedIfUnordered(c.expected.result, c.unordered));
    } else {
      expect(outcome).toEqual({ ok: true, value: undefined });
    }
    const reference = await runJsonata(c);
    if (reference.ok && outcome.ok) expect(toPlain(outcome.value)).toStrictEqual(toPlain(reference.value));
    else expect(outcome).toEqual(reference);
  });

  it.each(accepted.map((entry) => [entry.c.id, entry] as const))('%s under an exit-hook guard', async (_id, { c }) => {
    const guarded = compileFastPath(jsonata(c.expr).ast(), { evaluateExit: tinySizeGuard });
    if (guarded === undefined) throw new Error('accepted without a hook but declined with one');
    const outcome = runFast(guarded, c);
    const reference = await runJsonataGuarded(c);
    if (reference.ok && outcome.ok) expect(toPlain(outcome.value)).toStrictEqual(toPlain(reference.value));
    else expect(outcome).toEqual(reference);
  });
});
