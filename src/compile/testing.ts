/**
 * Builders for tests in compile/: ExpressionSources without YAML, and a small ontology.
 * Not exported from the package.
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
