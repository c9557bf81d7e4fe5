/**
 * Rule parameters: `--param name=value` strings → typed values, with defaults, required
 * parameters and limits. Values are parsed by their declared type, then validated against
 * a small schema made from the ParamSpec (min/max, enum values), by ajv's standalone code.
 *
 * Problems in command-line input are reported at file `<command line>`, line 1, column N
 * where N is the 1-based position of the offending assignment among the `--param`
 * arguments (the 2nd `--param` → col 2). Problems with a declaration (a required
 * parameter not given, a bad default) are reported where the parameter is declared.
 */
import { diagnosticAt, type Diagnostic } from '../diagnostics/index.js';
import { booleanValue, enumValue, numberValue, stringArrayValue, stringValue } from './generated/param-value-validators.js';
import { collectSchemaErrors, type StandaloneValidator } from '../yaml/standalone-validator.js';
import { describeChoices } from '../diagnostics/suggest.js';
import type { ParamSpec } from './types.js';

export const COMMAND_LINE_FILE = '<command line>';

export interface ResolvedParams {
  values: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

/**
 * Resolves parameter values from declarations and `name=value` assignments; pure.
 * `values` holds every parameter that has a valid value (given or default); a parameter
 * in error is left out. Reports every problem, not just the first.
 */
export function resolveParams(specs: readonly ParamSpec[], assignments: readonly string[]): ResolvedParams {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const given = new Map<string, { value: unknown; col: number }>();
  const diagnostics: Diagnostic[] = [];
  assignments.forEach((assignment, index) => {
    const parsed = parseAssignment(assignment, index + 1, byName, given);
    if ('diagnostic' in parsed) diagnostics.push(parsed.diagnostic);
    else given.set(parsed.name, { value: parsed.value, col: index + 1 });
  });
  const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const spec of specs) {
    const assigned = given.get(spec.name);
    const fromCommandLine = assigned !== undefined;
    const value = assigned ? assigned.value : spec.default;
    if (value === undefined) {
      if (!fromCommandLine && !hasFailedAssignment(spec.name, assignments)) diagnostics.push(missingParam(spec));
      continue;
    }
    const problems = checkParamValue(spec, value);
    if (problems.length === 0) {
      values[spec.name] = value;
      continue;
    }
    const loc = assigned ? { file: COMMAND_LINE_FILE, line: 1, col: assigned.col } : spec.loc;
    const what = fromCommandLine ? `--param ${spec.name}` : `the default of parameter "${spec.name}"`;
    diagnostics.push(diagnosticAt(loc, 'error', 'param/invalid-value', `${what} ${problems.join('; ')}`, { hint: describeSpec(spec) }));
  }
  return { values: { ...values }, diagnostics };
}

type Parsed = { name: string; value: unknown } | { diagnostic: Diagnostic };

function parseAssignment(assignment: string, col: number, byName: Map<string, ParamSpec>, given: Map<string, unknown>): Parsed {
  const at = { file: COMMAND_LINE_FILE, line: 1, col };
  const eq = assignment.indexOf('=');
  const name = eq < 0 ? assignment.trim() : assignment.slice(0, eq).trim();
  if (eq < 0 || name === '') {
    return { diagnostic: diagnosticAt(at, 'error', 'param/bad-assignment', `--param "${assignment}" is not name=value`, { hint: 'Write --param name=value, e.g. --param threshold=0.8' }) };
  }
  const spec = byName.get(name);
  if (!spec) {
    const hint =
      byName.size === 0
        ? 'The rule file declares no parameters: declare it under `params:` at the top of the file, or drop the --param'
        : describeChoices(name, [...byName.keys()], 'Declared parameters');
    return { diagnostic: diagnosticAt(at, 'error', 'param/unknown', `unknown parameter "${name}"`, { hint }) };
  }
  if (given.has(name)) {
    return { diagnostic: diagnosticAt(at, 'error', 'param/duplicate', `--param ${name} is given more than once`, { hint: 'Give each parameter once; string-array values are comma-separated: --param langs=en,es' }) };
  }
  const parsed = parseParamText(spec, assignment.slice(eq + 1));
  if ('error' in parsed) {
    return { diagnostic: diagnosticAt(at, 'error', 'param/invalid-value', `--param ${name}: ${parsed.error}`, { hint: describeSpec(spec) }) };
  }
  return { name, value: parsed.value };
}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/** Parses one command-line value by the parameter's declared type; pure. */
export function parseParamText(spec: ParamSpec, text: string): { value: unknown } | { error: string } {
  switch (spec.type) {
    case 'number': {
      const trimmed = text.trim();
      const value = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(value)) return { error: `"${text}" is not a number` };
      return { value };
    }
    case 'boolean': {
      const word = text.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return { value: true };
      if (FALSE_WORDS.has(word)) return { value: false };
      return { error: `"${text}" is not a boolean (use true/false, yes/no or 1/0)` };
    }
    case 'string-array':
      return { value: text.split(',').map((s) => s.trim()).filter((s) => s !== '') };
    case 'enum':
      return { value: text.trim() };
    case 'string':
    case 'text':
      return { value: text };
  }
}

/**
 * The JSON Schema a parameter's value must satisfy; pure. `checkParamValue` runs the same
 * checks, generated ahead of time with the limits read from the data (see VALUE_VALIDATORS).
 */
export function paramValueSchema(spec: ParamSpec): Record<string, unknown> {
  switch (spec.type) {
    case 'number':
      return { type: 'number', ...(spec.min !== undefined && { minimum: spec.min }), ...(spec.max !== undefined && { maximum: spec.max }) };
    case 'enum':
      return { type: 'string', enum: spec.values ?? [] };
    case 'boolean':
      return { type: 'boolean' };
    case 'string-array':
      return { type: 'array', items: { type: 'string' } };
    case 'string':
    case 'text':
      return { type: 'string' };
  }
}

/**
 * `paramValueSchema` for each type, as standalone validators of `{ value, min, max, values }`
 * whose limits are `$data` references (scripts/generate-validators.ts): compiling a schema per
 * declaration would mean loading ajv at start-up. params.test.ts checks the two agree.
 */
const VALUE_VALIDATORS: Record<ParamSpec['type'], StandaloneValidator> = {
  number: numberValue,
  enum: enumValue,
  boolean: booleanValue,
  'string-array': stringArrayValue,
  string: stringValue,
  text: stringValue,
};

/** What is wrong with `value` for this parameter (empty when it is fine); pure. */
export function checkParamValue(spec: ParamSpec, value: unknown): string[] {
  const data = { value, min: spec.min, max: spec.max, values: spec.values ?? [] };
  return collectSchemaErrors(VALUE_VALIDATORS[spec.type], data).map((e) => {
    const item = e.instancePath.slice('/value/'.length);
    return `${item ? `item ${item} ` : ''}${e.message ?? 'is not valid'}`;
  });
}

function describeSpec(spec: ParamSpec): string {
  const parts = [`"${spec.name}" is ${spec.type === 'enum' ? 'an' : 'a'} ${spec.type}`];
  if (spec.min !== undefined) parts.push(`min ${spec.min}`);
  if (spec.max !== undefined) parts.push(`max ${spec.max}`);
  if (spec.values) parts.push(`one of ${spec.values.join(', ')}`);
  if (spec.type === 'string-array') parts.push('comma-separated, e.g. en,es,fr');
  return parts.join(', ');
}

function missingParam(spec: ParamSpec): Diagnostic {
  return diagnosticAt(spec.loc, 'error', 'param/missing', `parameter "${spec.name}" has no default and was not given`, {
    hint: `Pass --param ${spec.name}=<value> (${describeSpec(spec)}), or give it a default.`,
  });
}

function assignmentName(assignment: string): string {
  const eq = assignment.indexOf('=');
  return (eq < 0 ? assignment : assignment.slice(0, eq)).trim();
}

function hasFailedAssignment(name: string, assignments: readonly string[]): boolean {
  return assignments.some((a) => assignmentName(a) === name);
}
