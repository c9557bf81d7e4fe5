/**
 * The rule file JSON Schema (schemas/rules.schema.json). The schema file is the contract
 * editors use and what `encord-rules schema` prints; validation runs ajv's standalone code
 * generated from it (scripts/generate-validators.ts), which a test keeps in step.
 */
import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { validate as validateRulesSchema } from './generated/rules-schema-validator.js';
import { collectSchemaErrors } from '../yaml/standalone-validator.js';

/** The schema document, parsed; read once from the package's schemas/ folder. */
export const RULES_SCHEMA_URL = new URL('../../schemas/rules.schema.json', import.meta.url);

let schemaText: string | undefined;

/** The schema exactly as shipped (what `encord-rules schema` prints). */
export function readRulesSchemaText(): string {
  schemaText ??= readFileSync(RULES_SCHEMA_URL, 'utf8');
  return schemaText;
}

export function readRulesSchema(): Record<string, unknown> {
  return JSON.parse(readRulesSchemaText()) as Record<string, unknown>;
}

/** Validates plain data against the rule file schema; pure. */
export function validateRuleDocument(value: unknown): ErrorObject[] {
  return collectSchemaErrors(validateRulesSchema, value);
}
