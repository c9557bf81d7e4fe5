/**
 * The one Diagnostic type used end to end: rule loading, schema checks, JSONata
 * compilation, project checks, runtime rule failures and bad CLI input.
 * Lines and columns are 1-based. Codes are stable and grouped by source
 * (`yaml/…`, `schema/…`, `jsonata/S0201`, `rule/…`, `param/…`, `store/…`, `encord/…`).
 */
export type Severity = 'error' | 'warning' | 'info';

export interface RelatedLocation {
  file: string;
  line: number;
  col: number;
  message: string;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  /** How to fix it, when we can say. */
  hint?: string;
  related?: RelatedLocation[];
}

/** A place in a file, 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

/** Builds a diagnostic at a location; pure. */
export function diagnosticAt(
  location: SourceLocation,
  severity: Severity,
  code: string,
  message: string,
  extra: { hint?: string; related?: RelatedLocation[] } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity, message, ...location };
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.related !== undefined && extra.related.length > 0) d.related = extra.related;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts by file, then position, then code, so output is stable run to run. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code),
  );
}
