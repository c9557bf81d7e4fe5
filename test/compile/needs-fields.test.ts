/**
 * The promise DocumentNeeds.fields makes to backends: an expression whose analysis lists its
 * field names reads nothing else at the top level, so a document cut down to those fields gives
 * the same result (value or error) as the whole document. Checked over JSONata's own test suite.
 */
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { loadSuiteCases } from '../jsonata-suite-cases.js';
import { analyzeExpression } from '../../src/compile/analyze.js';
import type { AstNode } from '../../src/compile/ast.js';

type Outcome = { value: string } | { error: unknown };

async function outcomeOf(expr: string, data: unknown, bindings: Record<string, unknown>): Promise<Outcome> {
  try {
    const value: unknown = await jsonata(expr).evaluate(data, bindings);
    return { value: JSON.stringify(value) };
  } catch (error) {
    return { error: (error as { code?: unknown }).code };
  }
}

function pick(data: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (Object.hasOwn(data, field)) picked[field] = data[field];
  return picked;
}

/** Not comparable run to run, or guarded by limits the plain evaluator does not set. */
function isComparable(raw: Record<string, unknown>, expr: string): boolean {
  return raw.timelimit === undefined && raw.depth === undefined && !/\$(random|shuffle|now|millis|eval)\b/.test(expr);
}

describe('DocumentNeeds.fields over the JSONata suite', () => {
  it('a document cut down to the listed fields evaluates the same as the whole one', async () => {
    let compared = 0;
    let cutDown = 0;
    const differences: string[] = [];
    for (const c of loadSuiteCases()) {
      if (c.data === null || typeof c.data !== 'object' || Array.isArray(c.data) || !isComparable(c.raw, c.expr)) continue;
      let ast: AstNode;
      try {
        ast = jsonata(c.expr).ast() as unknown as AstNode;
      } catch {
        continue;
      }
      const { fields } = analyzeExpression(c.expr, ast, []).needs;
      if (fields === undefined) continue;
      const data = c.data as Record<string, unknown>;
      const picked = pick(data, fields);
      compared += 1;
      if (Object.keys(picked).length < Object.keys(data).length) cutDown += 1;
      const [whole, part] = await Promise.all([outcomeOf(c.expr, data, c.bindings), outcomeOf(c.expr, picked, c.bindings)]);
      if (JSON.stringify(whole) !== JSON.stringify(part)) differences.push(`${c.id}: ${c.expr} → ${JSON.stringify(whole)} vs ${JSON.stringify(part)}`);
    }
    expect(differences).toEqual([]);
    // So the check cannot quietly shrink to nothing.
    expect(compared).toBeGreaterThan(600);
    expect(cutDown).toBeGreaterThan(300);
  }, 60_000);
});
