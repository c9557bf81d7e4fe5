/**
 * Grammar fuzzing: seeded random expressions over the subset's constructs and random JSON
 * documents; whatever the fast path accepts must agree with jsonata 2.2.2 (value or error).
 */
import { isDeepStrictEqual } from 'node:util';
import jsonata from 'jsonata';
import { SeededRandom } from '../../util/random.js';
import { describe, expect, it } from 'vitest';
import { compileFastPath } from './index.js';

type Random = () => number;

/** The project's seeded PRNG (util/random.ts, also the demo generator's), so test data is reproducible by seed. */
function createRandom(seed: number): Random {
  const random = new SeededRandom(seed);
  return () => random.next();
}

function pick<T>(random: Random, options: readonly T[]): T {
  return options[Math.floor(random() * options.length)] as T;
}

const FIELDS = ['a', 'b', 'c', 'name', 'tags', 'items', 'n'];
const FUNCTIONS: ReadonlyArray<[string, number]> = [
  ['string', 1], ['lowercase', 1], ['uppercase', 1], ['length', 1], ['trim', 1], ['contains', 2],
  ['substring', 2], ['substringBefore', 2], ['substringAfter', 2], ['split', 2], ['join', 2],
  ['number', 1], ['abs', 1], ['floor', 1], ['round', 2], ['boolean', 1], ['not', 1], ['exists', 1],
  ['count', 1], ['sum', 1], ['max', 1], ['min', 1], ['average', 1], ['type', 1], ['append', 2],
  ['lookup', 2], ['keys', 1], ['reverse', 1], ['sqrt', 1], ['power', 2], ['count', 0], ['string', 0],
  ['replace', 3], ['replace', 2], ['replace', 4],
];
const OPERATORS = ['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', '&', 'in'];

function randomLiteral(random: Random): string {
  return pick(random, ['1', '0', '-2', '2.5', '"x"', '""', '"a"', 'true', 'false', 'null', '"1"']);
}

function randomPath(random: Random, depth: number): string {
  const steps = [pick(random, [...FIELDS, '$', '$$'])];
  const length = Math.floor(random() * 3);
  for (let i = 0; i < length; i++) steps.push(pick(random, FIELDS));
  let path = steps.join('.');
  if (random() < 0.3) path += `[${random() < 0.5 ? pick(random, ['0', '1', '-1']) : randomExpression(random, depth + 1)}]`;
  return path;
}

function randomExpression(random: Random, depth = 0): string {
  const roll = depth > 3 ? random() * 0.35 : random();
  if (roll < 0.15) return randomLiteral(random);
  if (roll < 0.35) return randomPath(random, depth);
  if (roll < 0.55) {
    return `${randomExpression(random, depth + 1)} ${pick(random, OPERATORS)} ${randomExpression(random, depth + 1)}`;
  }
  if (roll < 0.7) {
    const [name, arity] = pick(random, FUNCTIONS);
    const args = Array.from({ length: arity }, () => randomExpression(random, depth + 1));
    return `$${name}(${args.join(', ')})`;
  }
  if (roll < 0.76) return `-${randomExpression(random, depth + 1)}`;
  if (roll < 0.82) {
    return `(${randomExpression(random, depth + 1)} ? ${randomExpression(random, depth + 1)} : ${randomExpression(random, depth + 1)})`;
  }
  if (roll < 0.88) return `[${randomLiteral(random)}, ${randomPath(random, depth + 1)}]`;
  if (roll < 0.92) return `($v := ${randomExpression(random, depth + 1)}; ${randomExpression(random, depth + 1)} & $v)`;
  if (roll < 0.95) return `(${randomExpression(random, depth + 1)} ?? ${randomExpression(random, depth + 1)})`;
  if (roll < 0.97) return `${randomPath(random, depth + 1)}[[0, ${pick(random, ['1', '-1', '2.7'])}]]`;
  if (roll < 0.985) return `${randomPath(random, depth + 1)} ~> ${pick(random, ['$count()', '$join(",")', '$lowercase()', '$sum()', '$exists()'])}`;
  if (roll < 0.99) return `(${randomExpression(random, depth + 1)})[${pick(random, ['0', '-1', '$ > 0', '$'])}]`;
  return `${pick(random, FIELDS)}.${pick(random, ['$string()', '$lowercase(name)', '(a & b)', '$keys()', '$[0]'])}`;
}

function randomValue(random: Random, depth: number): unknown {
  const roll = random();
  if (depth > 2 || roll < 0.45) {
    return pick(random, [0, 1, -1.5, 2, 0.1, 0.1 + 0.2, 1e21, 'x', 'A b', '', '1', '😀é', true, false, null]);
  }
  if (roll < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  const object: Record<string, unknown> = {};
  for (const field of FIELDS) if (random() < 0.4) object[field] = randomValue(random, depth + 1);
  return object;
}

function randomDocument(random: Random): unknown {
  const document: Record<string, unknown> = {};
  for (const field of FIELDS) if (random() < 0.6) document[field] = randomValue(random, 0);
  return random() < 0.1 ? [document, randomValue(random, 1)] : document;
}

type Outcome = { ok: true; value: unknown; arrayKeys: unknown } | { ok: false; error: Record<string, unknown> };

function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
  }
  return value;
}

function succeed(value: unknown): Outcome {
  return { ok: true, value: toPlain(value), arrayKeys: Array.isArray(value) && Object.keys(value) };
}

function fail(err: unknown): Outcome {
  const { code, token, position, message } = err as Record<string, unknown>;
  return { ok: false, error: { code, token, position, message } };
}

// FUZZ_SEED / FUZZ_EXPRESSIONS widen a local run; the defaults keep the suite quick.
/** A size guard with tiny limits, given to both evaluators for half of the expressions. */
function tinySizeGuard(node: { position?: number }, _input: unknown, _env: unknown, result: unknown): void {
  const size = typeof result === 'string' ? result.length : Array.isArray(result) ? result.length : 0;
  if (size > 4) throw { code: 'guard/size', message: `size ${size}`, position: node.position };
}

const EXPRESSIONS = Number(process.env.FUZZ_EXPRESSIONS ?? 300);
const DOCUMENTS = 20;

describe('fast path agrees with jsonata on random expressions', () => {
  it(`${EXPRESSIONS} expressions × ${DOCUMENTS} documents`, async () => {
    const random = createRandom(Number(process.env.FUZZ_SEED ?? 20261129));
    let accepted = 0;
    for (let e = 0; e < EXPRESSIONS; e++) {
      const text = randomExpression(random);
      let expression: jsonata.Expression;
      try {
        expression = jsonata(text);
      } catch {
        continue;
      }
      const guarded = random() < 0.5;
      if (guarded) expression.assign(Symbol.for('jsonata.__evaluate_exit') as unknown as string, tinySizeGuard);
      const fast = compileFastPath(expression.ast(), guarded ? { evaluateExit: tinySizeGuard } : {});
      if (fast === undefined) continue;
      accepted++;
      for (let d = 0; d < DOCUMENTS; d++) {
        const document = randomDocument(random);
        const bindings = { params: randomValue(random, 1) };
        let expected: Outcome;
        try {
          expected = succeed(await expression.evaluate(document, bindings));
        } catch (err) {
          expected = fail(err);
        }
        let actual: Outcome;
        try {
          actual = succeed(fast(document, bindings));
        } catch (err) {
          actual = fail(err);
        }
        if (!isDeepStrictEqual(actual, expected)) {
          expect(actual, `${text} on ${JSON.stringify(document)}`).toStrictEqual(expected);
        }
      }
    }
    expect(accepted).toBeGreaterThan(EXPRESSIONS / 2);
  }, 120_000);
});
