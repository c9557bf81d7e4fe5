/**
 * Builders for tests in compile/: ExpressionSources without YAML, and a small ontology.
 * Test-only: tsconfig.build.json leaves every test-support.ts out of dist/.
 */
import type { SourceLocation } from '../diagnostics/index.js';
import type { Ontology } from '../model/index.js';
import type { ExpressionSource } from '../rules/types.js';

/** An expression written on one line at `line:col` (a plain scalar): offsets map to columns. */
export function inlineSource(text: string, at: { file?: string; line?: number; col?: number } = {}): ExpressionSource {
  const loc: SourceLocation = { file: at.file ?? 'rules.yaml', line: at.line ?? 1, col: at.col ?? 1 };
  return {
    text,
    loc,
    locate: (offset) => ({ file: loc.file, line: loc.line, col: loc.col + Math.max(0, Math.min(offset, text.length)) }),
  };
}

export const EMPTY_ONTOLOGY: Ontology = { objects: [], classifications: [] };

/**
 * An expression written as a block scalar (`|`): line i of the text sits on `line + i`,
 * starting at column `col` (the block's indentation + 1).
 */
export function blockSource(text: string, at: { file?: string; line: number; col: number }): ExpressionSource {
  const file = at.file ?? 'rules.yaml';
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') lineStarts.push(i + 1);
  return {
    text,
    loc: { file, line: at.line, col: at.col },
    locate(offset) {
      const clamped = Math.max(0, Math.min(offset, text.length));
      let index = lineStarts.length - 1;
      while ((lineStarts[index] ?? 0) > clamped) index -= 1;
      return { file, line: at.line + index, col: at.col + clamped - (lineStarts[index] ?? 0) };
    },
  };
}

/** Compiles an expression that must compile; throws (test failure) with its diagnostics otherwise. */
export function mustCompile(
  compile: typeof import('./expression.js').compileExpression,
  text: string,
  params: string[] = [],
  limits?: Partial<import('./guards.js').GuardLimits>,
) {
  const result = compile(inlineSource(text), {
    params: params.map((name) => ({ name, type: 'string' as const, loc: { file: 'rules.yaml', line: 1, col: 1 } })),
    purpose: 'test',
    ...(limits ? { limits } : {}),
  });
  if (!result.expression) throw new Error(`did not compile: ${JSON.stringify(result.diagnostics)}`);
  return result.expression;
}
