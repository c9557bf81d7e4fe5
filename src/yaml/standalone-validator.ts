/**
 * How the CLI calls ajv's standalone validators (the generated/ folders, written by
 * scripts/generate-validators.ts): the same functions `ajv.compile` would return, compiled
 * ahead of time, so start-up neither imports ajv nor compiles a schema.
 */
import type { ErrorObject } from 'ajv';

/** A generated validator: says whether `data` is valid and leaves ajv's errors on itself. */
export interface StandaloneValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** Every schema error for `data` in ajv's order, empty when it is valid; pure. */
export function collectSchemaErrors(validate: StandaloneValidator, data: unknown): ErrorObject[] {
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
