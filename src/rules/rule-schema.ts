/**
 * The rule file JSON Schema (schemas/rules.schema.json), compiled once with ajv.
 * The schema file is the contract editors use; this module only loads and compiles it.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** The schema document, parsed; read once from the package's schemas/ folder. */
export const RULES_SCHEMA_URL = new URL('../../schemas/rules.schema.json', import.meta.url);

let schemaText: string | undefined;
let validator: ValidateFunction | undefined;

/** The schema exactly as shipped (what `encord-rules schema` prints). */
export function readRulesSchemaText(): string {
  schemaText ??= readFileSync(RULES_SCHEMA_URL, 'utf8');
  return schemaText;
}

export function readRulesSchema(): Record<string, unknown> {
  return JSON.parse(readRulesSchemaText()) as Record<string, unknown>;
}

/** A new ajv for draft 2020-12 with formats: every error, with the failing schema attached. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

/** Validates plain data against the rule file schema; pure apart from compiling on first use. */
export function validateRuleDocument(value: unknown): ErrorObject[] {
  validator ??= createAjv().compile(readRulesSchema());
  return validator(value) ? [] : [...(validator.errors ?? [])];
}
