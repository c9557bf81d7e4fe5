/** Builds ExpressionSource values: a JSONata text plus how to find any of its characters in the file. */
import { isScalar, type Node } from 'yaml';
import type { SourceLocation } from '../diagnostics/index.js';
import { mapScalarOffsets } from './scalar-offsets.js';
import { nodeLocation, offsetLocation, type YamlSource } from './yaml-source.js';

/** A JSONata expression with its place in the file. */
export interface ExpressionSource {
  text: string;
  /** The whole scalar in the file. */
  loc: SourceLocation;
  /**
   * Maps an offset into `text` to its place in the file, through quoting, escapes and
   * block scalars (`|`, `>`). Falls back to the scalar's start when it cannot be exact.
   */
  locate(offset: number): SourceLocation;
}

/**
 * The expression written in `node` (a string scalar, or `true`/`false` for `when`); pure.
 * `locate(offset)` clamps the offset into the text, and falls back to the scalar's start
 * when the scalar's style cannot be mapped exactly.
 */
export function createExpressionSource(source: YamlSource, node: Node, text: string): ExpressionSource {
  const loc = nodeLocation(source, node);
  const offsets = isScalar(node) ? mapScalarOffsets(source.text, node) : undefined;
  const start: SourceLocation = { file: loc.file, line: loc.line, col: loc.col };
  return {
    text,
    loc,
    locate(offset: number): SourceLocation {
      if (!offsets || !Number.isFinite(offset)) return start;
      const index = Math.min(Math.max(0, Math.trunc(offset)), offsets.length - 1);
      const at = offsets[index];
      return at === undefined ? start : offsetLocation(source, at);
    },
  };
}
