/**
 * The test-file JSON Schema (schemas/tests.schema.json), validated by ajv's standalone code
 * generated from it (scripts/generate-validators.ts), and ajv errors as located
 * diagnostics: each error points at the YAML node its `instancePath` names.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { diagnosticAt, type Diagnostic } from '../diagnostics/index.js';
import { findNodeAtPath, splitPointer } from '../yaml/node-path.js';
import { collectSchemaErrors } from '../yaml/standalone-validator.js';
import { mapSchemaErrors } from '../yaml/schema-diagnostics.js';
import { nodeLocation, type YamlSource } from '../yaml/yaml-source.js';
import { validate as validateTestsSchema } from './generated/tests-schema-validator.js';

/** Validates plain data against the test-file schema; pure. */
export function validateTestDocument(value: unknown): ErrorObject[] {
  return collectSchemaErrors(validateTestsSchema, value);
}

/**
 * One diagnostic per schema problem, at the node it concerns (rules/' mapper). Errors
 * inside a failed `oneOf`/`anyOf` are folded into that one error; the two errors the
 * rules mapper leaves to rule-file checks (`not`, a priority's range) are described here.
 */
export function resolveSchemaDiagnostics(source: YamlSource, errors: readonly ErrorObject[]): Diagnostic[] {
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const kept = errors.filter((e) => !alternatives.some((a) => e.schemaPath.startsWith(`${a.schemaPath}/`)));
  const own = kept.filter(isOwnError);
  return [...mapSchemaErrors(source, kept.filter((e) => !isOwnError(e))), ...own.map((e) => ownDiagnostic(source, e))];
}

function isOwnError(error: ErrorObject): boolean {
  return error.keyword === 'not' || (/\/priority$/.test(error.instancePath) && ['minimum', 'maximum'].includes(error.keyword));
}

function ownDiagnostic(source: YamlSource, error: ErrorObject): Diagnostic {
  const found = findNodeAtPath(source, splitPointer(error.instancePath));
  const loc = found ? nodeLocation(source, found.node) : { file: source.file, line: 1, col: 1 };
  if (error.keyword === 'not') {
    return diagnosticAt(loc, 'error', 'test/pathway-and-stays', 'an expectation gives both `pathway` and `stays: true`', {
      hint: 'A task is either routed along a pathway or stays in the stage; keep one of them.',
    });
  }
  return diagnosticAt(loc, 'error', 'test/bad-priority', `expected priority ${JSON.stringify(error.data)} is outside [0, 1]`, {
    hint: 'Priorities run from 0 (lowest) to 1 (highest).',
  });
}
