import type { Diagnostic } from './diagnostic.js';

/** `rules/x.yaml:12:31: error schema/type: message`, then an indented hint and related places. */
export function formatDiagnosticText(d: Diagnostic): string {
  const lines = [`${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}`];
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  for (const r of d.related ?? []) lines.push(`  ${r.file}:${r.line}:${r.col}: note: ${r.message}`);
  return lines.join('\n');
}

export function formatDiagnosticsText(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map(formatDiagnosticText).join('\n');
}

/** A stable JSON document for machines: `{ diagnostics: [...], errors, warnings }`. */
export function formatDiagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return JSON.stringify({ diagnostics, errors, warnings }, null, 2);
}
