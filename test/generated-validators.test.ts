/**
 * The committed standalone validators (src/rules/generated/, src/rule-tests/generated/) are
 * exactly what scripts/generate-validators.ts writes from the current schemas and ajv: a
 * schema edited without `npm run generate:validators`, or a hand-edited module, fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateValidatorModules, type ReadSchema } from '../scripts/generate-validators.js';

const readCommitted = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const readSchema: ReadSchema = (path) => JSON.parse(readCommitted(path)) as object;

describe('generated validators', () => {
  const modules = generateValidatorModules(readSchema);

  it('cover both schemas and the parameter values', () => {
    expect(modules.map((m) => m.path).sort()).toEqual([
      'src/rule-tests/generated/tests-schema-validator.ts',
      'src/rules/generated/param-value-validators.ts',
      'src/rules/generated/rules-schema-validator.ts',
    ]);
  });

  it.each(modules.map((m) => [m.path, m.text] as const))('%s is up to date', (path, text) => {
    expect(readCommitted(path) === text, `${path} is stale: run npm run generate:validators`).toBe(true);
  });

  it('would notice a schema edited without regenerating', () => {
    const edited: ReadSchema = (path) => {
      const schema = readSchema(path) as { $defs?: { route?: { minLength?: number } } };
      if (schema.$defs?.route) schema.$defs.route.minLength = 2;
      return schema;
    };
    const path = 'src/rules/generated/rules-schema-validator.ts';
    const regenerated = generateValidatorModules(edited).find((m) => m.path === path);
    expect(regenerated?.text).not.toBe(readCommitted(path));
  });
});
