/**
 * JSONata's own test suite (shared/jsonata-suite beside the repo) run through our guarded evaluation,
 * to show the wrappers (RE2 regexes, limits, size checks, helpers, serial queue) do not
 * change JSONata's results. Cases without bindings go through compileExpression +
 * evaluateExpression; cases with bindings through the same guarded engine with those
 * bindings added (rules cannot declare arbitrary variables).
 */
import { existsSync } from 'node:fs';
import { JSONATA_SUITE_DIR } from '../jsonata-suite-dir.js';
import { loadSuiteCases } from '../jsonata-suite-cases.js';
import { describe, expect, it } from 'vitest';
import { compileExpression, createGuardedEngine, evaluateExpression, runGuardedEngine } from '../../src/compile/expression.js';
import type { ExpressionResult, GuardLimits } from '../../src/compile/guards.js';
import { DEFAULT_GUARD_LIMITS } from '../../src/compile/guards.js';
import { EMPTY_ONTOLOGY, inlineSource } from '../../src/compile/test-support.js';

const SUITE = JSONATA_SUITE_DIR;

interface SuiteCase {
  id: string;
  group: string;
  expr: string;
  data: unknown;
  bindings: Record<string, unknown>;
  timelimit?: number;
  depth?: number;
  result?: unknown;
  undefinedResult?: boolean;
  code?: string;
  error?: { code: string; message?: string };
  unordered?: boolean;
}

/** Groups not run, and why. */
const EXCLUDED_GROUPS: Record<string, string> = {
  'function-eval': '$eval is refused at compile time (rule/forbidden-function); checked below',
  'function-shuffle': '$shuffle is refused at compile time (non-deterministic); checked below',
};

/**
 * Single cases whose outcome differs by design, with the reason. The test fails if any other
 * case differs, or if one of these stops differing (so the list stays true).
 */
const EXPECTED_DIFFERENCES: Record<string, string> = {};

/** Generous: the suite checks results, not our limits (its own timelimit/depth cases set theirs). */
const GENEROUS: GuardLimits = { timeoutMs: 60_000, maxDepth: 10_000, maxSequenceLength: 10_000_000, maxStringLength: 100_000_000 };

function loadCases(): SuiteCase[] {
  return loadSuiteCases(SUITE).map((c) => ({ ...(c.raw as Partial<SuiteCase>), id: c.id, group: c.group, expr: c.expr, data: c.data, bindings: c.bindings }));
}

/** How many cases took each path, so the table cannot quietly shrink. */
const paths = { compiled: 0, staticallyRefused: 0, withBindings: 0 };

async function runCase(c: SuiteCase): Promise<ExpressionResult> {
  // A case's timelimit only matters where it expects the runaway error; elsewhere it would
  // make results depend on how busy the host is.
  const expectsError = c.code !== undefined || c.error !== undefined;
  const limits: GuardLimits = {
    ...GENEROUS,
    ...(c.timelimit && expectsError ? { timeoutMs: c.timelimit } : {}),
    ...(c.depth ? { maxDepth: c.depth } : {}),
  };
  const now = new Date();
  if (Object.keys(c.bindings).length === 0) {
    const compiled = compileExpression(inlineSource(c.expr), { params: [], purpose: c.id, limits, fastPath: false });
    if (compiled.expression) paths.compiled += 1;
    if (compiled.expression) return evaluateExpression(compiled.expression, c.data, { params: {}, now, ontology: EMPTY_ONTOLOGY });
    const syntax = compiled.diagnostics.find((d) => d.code.startsWith('jsonata/'));
    if (syntax) return { ok: false, code: syntax.code, message: syntax.message };
    // A static check refused it (e.g. a call to an undefined function): the suite expects a
    // runtime error there, so evaluate it to compare JSONata's behaviour under our guards.
    paths.staticallyRefused += 1;
  } else {
    paths.withBindings += 1;
  }
  let engine;
  try {
    engine = createGuardedEngine(c.expr, limits);
  } catch (error) {
    return { ok: false, code: `jsonata/${(error as { code: string }).code}`, message: String(error) };
  }
  return runGuardedEngine(engine, limits, c.data, c.bindings, { now, document: c.data, ontology: EMPTY_ONTOLOGY });
}

/** Our code for the suite's expected code. U1001 is the suite's own runaway guard (time or depth). */
function expectedCodes(code: string): string[] {
  if (code === 'U1001') return ['guard/depth', 'guard/timeout'];
  if (code === 'D1011') return ['guard/depth'];
  if (code === 'D1012') return ['guard/timeout'];
  return [`jsonata/${code}`];
}

/** JSON with object keys sorted: the suite compares deeply, not by key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function comparable(value: unknown, unordered: boolean | undefined): string {
  if (value === undefined) return 'undefined';
  if (!unordered || !Array.isArray(value)) return canonical(value);
  return JSON.stringify(value.map((v) => canonical(v)).sort());
}

function describeOutcome(c: SuiteCase, result: ExpressionResult): string | undefined {
  const error = c.code !== undefined ? { code: c.code } : c.error;
  if (error !== undefined) {
    const messageFits = error.message === undefined || (!result.ok && result.message === error.message);
    if (!result.ok && expectedCodes(error.code).includes(result.code) && messageFits) return undefined;
    return `expected error ${JSON.stringify(error)}, got ${JSON.stringify(result).slice(0, 200)}`;
  }
  if (!result.ok) return `expected a result, got ${result.code}: ${result.message}`;
  if (c.undefinedResult) return result.value === undefined ? undefined : `expected undefined, got ${JSON.stringify(result.value)}`;
  const [actual, expected] = [comparable(result.value, c.unordered), comparable(c.result, c.unordered)];
  return actual === expected ? undefined : `expected ${expected}, got ${actual}`.slice(0, 300);
}

const cases = existsSync(SUITE) ? loadCases() : [];

describe.skipIf(cases.length === 0)('the JSONata test suite under our guardrails', () => {
  it('has the suite', () => {
    expect(cases.length).toBeGreaterThan(900);
  });

  it('gives JSONata\'s results for every case not excluded', async () => {
    const differences: Record<string, string> = {};
    for (const c of cases) {
      if (EXCLUDED_GROUPS[c.group]) continue;
      const started = performance.now();
      const difference = describeOutcome(c, await runCase(c));
      if (process.env.SUITE_TIMES && performance.now() - started > 100) process.stderr.write(`SLOW ${c.id} ${Math.round(performance.now() - started)}\n`);
      if (difference !== undefined) differences[c.id] = difference;
    }
    expect(paths.compiled).toBeGreaterThan(1000);
    expect(paths.withBindings).toBeGreaterThanOrEqual(5);
    const unexpected = Object.fromEntries(Object.entries(differences).filter(([id]) => !(id in EXPECTED_DIFFERENCES)));
    expect(unexpected).toEqual({});
    expect(Object.keys(EXPECTED_DIFFERENCES).filter((id) => !(id in differences))).toEqual([]);
  }, 300_000);

  it('refuses every case of the excluded groups at compile time', () => {
    const refused = cases
      .filter((c) => EXCLUDED_GROUPS[c.group])
      .map((c) => compileExpression(inlineSource(c.expr), { params: [], purpose: c.id }).diagnostics.map((d) => d.code));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((codes) => codes.includes('rule/forbidden-function') || codes.some((code) => code.startsWith('jsonata/')))).toBe(true);
  });
});

export { DEFAULT_GUARD_LIMITS };
