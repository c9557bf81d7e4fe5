/**
 * ajv errors → located diagnostics: each error's `instancePath` is looked up in the YAML
 * document, and ajv's wording is replaced by one that names the field and the fix.
 * A missing field points at the mapping that lacks it; an unknown field at its key.
 */
import type { ErrorObject } from 'ajv';
import { isMap, type Node } from 'yaml';
import { diagnosticAt, type Diagnostic, type SourceLocation } from '../diagnostics/index.js';
import { findNodeAtPath, findPair, splitPointer } from './node-path.js';
import { suggestClosest } from '../diagnostics/suggest.js';
import { nodeLocation, type YamlSource } from './yaml-source.js';

type SchemaNode = Record<string, unknown>;

/**
 * Errors that a semantic check reports with a better message and a fix: the schema keeps
 * them so editors flag them as you type, the CLI reports them once (see checks.ts).
 */
const OWNED_BY_CHECKS: { path: RegExp; keywords: string[] }[] = [
  { path: /^\/version$/, keywords: ['const'] },
  { path: /\/priority$/, keywords: ['minimum', 'maximum'] },
];

/** Maps ajv's errors to diagnostics; pure. Order follows the document. */
export function mapSchemaErrors(source: YamlSource, errors: readonly ErrorObject[]): Diagnostic[] {
  // Each lookup walks the document, so a file with thousands of faults maps only the first ones.
  return selectReportable(errors)
    .slice(0, MAX_MAPPED_ERRORS)
    .map((error) => schemaDiagnostic(source, error, errors));
}

/** More schema errors than anyone reads; parse.ts caps what it prints below this. */
const MAX_MAPPED_ERRORS = 500;

/**
 * Drops ajv's bookkeeping errors so each fault is reported once: `if` summaries, the
 * branch errors behind a failed union `type`, "at least one of" branches, and the inner
 * errors of `propertyNames` (reported with the name they are about).
 */
function selectReportable(errors: readonly ErrorObject[]): ErrorObject[] {
  const unionTypePaths = new Set(errors.filter(isUnionTypeError).map((e) => e.instancePath));
  const atLeastOne = errors.filter(isAtLeastOneOf);
  const nameChecks = errors.filter((e) => e.keyword === 'propertyNames').map((e) => e.schemaPath + '/');
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    if (OWNED_BY_CHECKS.some((o) => o.path.test(e.instancePath) && o.keywords.includes(e.keyword))) return false;
    if (unionTypePaths.has(e.instancePath) && !isUnionTypeError(e) && e.keyword === 'type') return false;
    if (e.keyword === 'required' && atLeastOne.some((a) => isBranchOf(e, a))) return false;
    if (nameChecks.some((prefix) => e.schemaPath.startsWith(prefix))) return false;
    return true;
  });
}

function isUnionTypeError(e: ErrorObject): boolean {
  return e.keyword === 'type' && Array.isArray(e.params.type);
}

/** `anyOf: [{required: [a]}, {required: [b]}]`: the object needs at least one of a, b. */
function isAtLeastOneOf(e: ErrorObject): boolean {
  return e.keyword === 'anyOf' && requiredAlternatives(e) !== undefined;
}

function requiredAlternatives(e: ErrorObject): string[] | undefined {
  const branches = e.schema;
  if (!Array.isArray(branches)) return undefined;
  const names: string[] = [];
  for (const branch of branches as SchemaNode[]) {
    const required = branch.required;
    if (Object.keys(branch).length !== 1 || !Array.isArray(required) || required.length !== 1) return undefined;
    names.push(String(required[0]));
  }
  return names;
}

function isBranchOf(e: ErrorObject, anyOf: ErrorObject): boolean {
  return (
    e.instancePath === anyOf.instancePath &&
    e.schemaPath.startsWith(anyOf.schemaPath + '/') &&
    (requiredAlternatives(anyOf) ?? []).includes(String(e.params.missingProperty))
  );
}

function schemaDiagnostic(source: YamlSource, error: ErrorObject, all: readonly ErrorObject[]): Diagnostic {
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const field = fieldLabel(error.instancePath);
  const { message, hint } = describeError(error, parent, field, all);
  const code = isAtLeastOneOf(error) ? 'schema/required' : `schema/${kebab(error.keyword)}`;
  return diagnosticAt(errorLocation(source, error), 'error', code, message, hint ? { hint } : {});
}

function errorLocation(source: YamlSource, error: ErrorObject): SourceLocation {
  const segments = splitPointer(error.instancePath);
  // A repeated list item is reported at the repeat, not at the list.
  if (error.keyword === 'uniqueItems' && typeof error.params.i === 'number') segments.push(String(Math.max(error.params.i, Number(error.params.j))));
  const found = findNodeAtPath(source, segments);
  if (!found) return { file: source.file, line: 1, col: 1 };
  const keyName = stringParam(error.params.additionalProperty) ?? stringParam(error.params.propertyName);
  if (keyName !== undefined) {
    const pair = findPair(source, found.node, keyName);
    if (pair?.key) return nodeLocation(source, pair.key as Node);
  }
  if (error.keyword === 'required' || isAtLeastOneOf(error)) return mappingLocation(source, found.node, found.key);
  return nodeLocation(source, found.node);
}

/** A mapping is reported at its key when it has one (`pre-label:`), else at its first line. */
function mappingLocation(source: YamlSource, node: Node, key: Node | undefined): SourceLocation {
  if (key && isMap(node) && node.flow !== true) return nodeLocation(source, key);
  return nodeLocation(source, node);
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

interface Described {
  message: string;
  hint?: string;
}

function describeError(error: ErrorObject, parent: SchemaNode, field: string, all: readonly ErrorObject[]): Described {
  const description = typeof parent.description === 'string' ? parent.description : undefined;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const alternatives = requiredAlternatives(error);
      if (alternatives) return { message: `${field} needs at least one of: ${alternatives.join(', ')}`, hint: description };
      return { message: `${field} is missing the required field "${String(p.missingProperty)}"`, hint: description };
    }
    case 'anyOf': {
      const alternatives = requiredAlternatives(error);
      if (alternatives) return { message: `${field} needs at least one of: ${alternatives.join(', ')}`, hint: description };
      return { message: `${field} does not match any allowed form`, hint: description };
    }
    case 'additionalProperties':
      return unknownField(String(p.additionalProperty), field, parent);
    case 'propertyNames':
      return invalidName(error, field, all);
    case 'type':
      return { message: `${field} must be ${typeList(p.type)}`, hint: description };
    case 'enum':
      return enumMismatch(error.data, p.allowedValues, field);
    case 'const':
      return { message: `${field} must be ${JSON.stringify(p.allowedValue)}`, hint: description };
    case 'minLength':
      return { message: `${field} must not be empty`, hint: description };
    case 'minProperties':
      return { message: `${field} must not be empty`, hint: description };
    case 'maxProperties':
      return { message: `${field} must have at most ${String(p.limit)} field${p.limit === 1 ? '' : 's'}`, hint: description };
    case 'minItems':
      return { message: `${field} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`, hint: description };
    case 'uniqueItems':
      return { message: `${field} repeats an item (items ${String(p.j)} and ${String(p.i)} are equal)`, hint: description };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { message: `${field} ${error.message ?? 'is out of range'}`, hint: description };
    default:
      return { message: `${field} ${error.message ?? 'is not valid'}`, hint: description };
  }
}

function unknownField(name: string, field: string, parent: SchemaNode): Described {
  const properties = parent.properties as SchemaNode | undefined;
  const allowed = properties ? Object.keys(properties) : [];
  const closest = suggestClosest(name, allowed);
  const where = field === 'the file' ? 'at the top level' : `in ${field}`;
  if (name === 'expr' && allowed.includes('radio')) {
    const hint = `Name the answer kind, then the expression: \`{text: {expr: "…"}}\` (or radio, checklist, numeric).`;
    return { message: `unknown field "expr" ${where}: an answer needs its kind`, hint };
  }
  const parts = [closest ? `Did you mean "${closest}"?` : undefined, allowed.length ? `Allowed: ${allowed.join(', ')}.` : undefined];
  const hint = parts.filter(Boolean).join(' ');
  return hint ? { message: `unknown field "${name}" ${where}`, hint } : { message: `unknown field "${name}" ${where}` };
}

function invalidName(error: ErrorObject, field: string, all: readonly ErrorObject[]): Described {
  const inner = all.find((e) => e.schemaPath.startsWith(error.schemaPath + '/') && e.instancePath === error.instancePath);
  const name = String(error.params.propertyName);
  const schema = (error.schema ?? {}) as SchemaNode;
  const why = inner?.keyword === 'minLength' ? 'must not be empty' : inner?.message ?? 'is not valid';
  const hint = typeof schema.description === 'string' ? schema.description : undefined;
  const message = `name "${name}" in ${field} ${why}`;
  return hint ? { message, hint } : { message };
}

function enumMismatch(value: unknown, allowedValues: unknown, field: string): Described {
  const allowed = Array.isArray(allowedValues) ? allowedValues.map(String) : [];
  const closest = typeof value === 'string' ? suggestClosest(value, allowed) : undefined;
  const hint = `${closest ? `Did you mean "${closest}"? ` : ''}Allowed: ${allowed.join(', ')}.`;
  return { message: `${field} must be one of: ${allowed.join(', ')} (got ${JSON.stringify(value)})`, hint };
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'empty',
};

function typeList(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)];
  const words = types.map((t) => TYPE_WORDS[t] ?? t);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : (words[0] ?? 'valid');
}

/** `/stages/pre-label/rules/0/priority` → `"priority"`; `/stages/a/rules/0` → `item 0 of "rules"`. */
function fieldLabel(instancePath: string): string {
  const segments = splitPointer(instancePath);
  if (segments.length === 0) return 'the file';
  const last = segments[segments.length - 1] ?? '';
  if (/^\d+$/.test(last)) return `item ${last} of "${segments[segments.length - 2] ?? ''}"`;
  return `"${last}"`;
}

function kebab(keyword: string): string {
  if (keyword === 'additionalProperties') return 'additional-property';
  return keyword.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}
