/**
 * Keeps schemas/rules.schema.json and the RuleFile converter in step: every object in the
 * schema maps to a converter field list, and every sample file survives
 * YAML → RuleFile → plain data unchanged (so no schema field is dropped on the way).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { RULE_FILE_FIELDS } from './convert.js';
import { parseRuleFile } from './parse.js';
import { readRulesSchema, validateRuleDocument } from './rule-schema.js';
import type { Actions, ClassifyAction, RuleFile } from './types.js';

type Schema = Record<string, unknown> & { properties?: Record<string, unknown>; $defs?: Record<string, Schema> };

const schema = readRulesSchema() as Schema;
const defs = schema.$defs ?? {};

/** Which schema object each converter field list reads. */
const SCHEMA_OBJECT_FOR: Record<keyof typeof RULE_FILE_FIELDS, Schema> = {
  file: schema,
  param: defs.param as Schema,
  stage: defs.stage as Schema,
  onError: defs.onError as Schema,
  rule: defs.rule as Schema,
  actions: defs.actions as Schema,
  answer: defs.answer as Schema,
  expr: defs.expr as Schema,
};

describe('schema ↔ RuleFile converter', () => {
  it.each(Object.keys(RULE_FILE_FIELDS) as (keyof typeof RULE_FILE_FIELDS)[])('the converter reads exactly the schema properties of %s', (kind) => {
    const properties = Object.keys(SCHEMA_OBJECT_FOR[kind].properties ?? {}).sort();
    expect([...RULE_FILE_FIELDS[kind]].sort()).toEqual(properties);
  });

  it('maps every schema object that has properties', () => {
    const withProperties = Object.entries(defs).filter(([, d]) => d.properties).map(([name]) => name).sort();
    const mapped = Object.values(SCHEMA_OBJECT_FOR).filter((s) => s !== schema);
    expect(mapped.length).toBe(withProperties.length);
    for (const name of withProperties) expect(mapped).toContain(defs[name]);
  });

  it('closes every object to unknown fields', () => {
    for (const object of Object.values(SCHEMA_OBJECT_FOR)) expect(object.additionalProperties).toBe(false);
  });

  it('describes every property for editors', () => {
    for (const object of Object.values(SCHEMA_OBJECT_FOR)) {
      for (const [name, property] of Object.entries(object.properties ?? {})) {
        const p = property as Schema;
        const described = typeof p.description === 'string' || (typeof p.$ref === 'string' && typeof defs[p.$ref.split('/').pop() ?? '']?.description === 'string');
        expect(described, name).toBe(true);
      }
    }
  });
});

const SAMPLES = ['test/rules', 'rules'].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => (dir === 'rules' ? f.endsWith('.yaml') && !f.endsWith('.test.yaml') : f.endsWith('.good.yaml')))
    .map((f) => `${dir}/${f}`),
);

function plainActions(actions: Actions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (actions.priority) out.priority = actions.priority.kind === 'literal' ? actions.priority.value : actions.priority.expr.text;
  if (actions.route) out.route = actions.route.pathway;
  if (actions.classify.length > 0) out.classify = Object.fromEntries(actions.classify.map((c) => [c.classification, plainAnswer(c)]));
  return out;
}

function plainAnswer(action: ClassifyAction): Record<string, unknown> {
  if (action.kind === 'expr') return { [action.answerType]: { expr: action.expr.text } };
  const a = action.answer;
  const value = a.type === 'radio' ? a.option : a.type === 'checklist' ? a.options : a.type === 'text' ? a.text : a.value;
  return { [a.type]: value };
}

/** A RuleFile written back as the plain data it came from, defaults filled in. */
function toPlain(file: RuleFile): Record<string, unknown> {
  const out: Record<string, unknown> = { version: file.version };
  if (file.project !== undefined) out.project = file.project;
  out.params = Object.fromEntries(
    file.params.map(({ name, loc: _loc, ...spec }) => [name, Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined))]),
  );
  out.stages = Object.fromEntries(
    file.stages.map((s) => {
      const stage: Record<string, unknown> = { match: s.match };
      stage.rules = s.rules.map((r) => ({
        name: r.name,
        ...(r.description !== undefined && { description: r.description }),
        ...(r.when && { when: r.when.text }),
        ...plainActions(r.actions),
      }));
      if (s.default) stage.default = plainActions(s.default);
      if (s.onError) stage.on_error = { route: s.onError.pathway, after_attempts: s.onError.afterAttempts };
      return [s.stage, stage];
    }),
  );
  return out;
}

/** The YAML as plain data, with the defaults the converter fills in. */
function normalised(yaml: Record<string, any>): Record<string, unknown> {
  const stages = Object.fromEntries(
    Object.entries(yaml.stages as Record<string, any>).map(([name, s]) => [
      name,
      {
        ...s,
        match: s.match ?? 'first',
        rules: (s.rules ?? []).map((r: Record<string, unknown>) => (r.when === undefined ? r : { ...r, when: String(r.when) })),
        ...(s.on_error && { on_error: { after_attempts: 3, ...s.on_error } }),
      },
    ]),
  );
  return { ...yaml, params: yaml.params ?? {}, stages };
}

describe('sample files round-trip through RuleFile', () => {
  it('has samples', () => expect(SAMPLES.length).toBeGreaterThanOrEqual(4));
  it.each(SAMPLES)('%s', (path) => {
    const text = readFileSync(path, 'utf8');
    const parsed = parseRuleFile(path, text);
    expect(parsed.diagnostics).toEqual([]);
    expect(toPlain(parsed.file!)).toEqual(normalised(parse(text)));
  });
});

describe('the schema itself', () => {
  it('accepts the seed and rejects a rule without actions', () => {
    const seed = parse(readFileSync('rules/london-priority.yaml', 'utf8'));
    expect(validateRuleDocument(seed)).toEqual([]);
    const bad = { version: 1, stages: { s: { rules: [{ name: 'x' }] } } };
    expect(validateRuleDocument(bad).map((e) => e.keyword)).toContain('anyOf');
  });
});
