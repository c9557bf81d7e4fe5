/**
 * One rule file's text → a RuleFile and every diagnostic about it, in one pass:
 * bytes → YAML (positions kept) → JSON Schema → RuleFile → semantic checks.
 */
import { hasErrors, sortDiagnostics, diagnosticAt, type Diagnostic } from '../diagnostics/index.js';
import { runRuleFileChecks } from './checks.js';
import { convertRuleFile } from './convert.js';
import { validateRuleDocument } from './rule-schema.js';
import { mapSchemaErrors } from '../yaml/schema-diagnostics.js';
import { decodeRuleSource } from '../yaml/source-text.js';
import type { RuleFile } from './types.js';
import { parseYamlSource } from '../yaml/yaml-source.js';

/** More than this many problems in one file are summarised: the first ones say what is wrong. */
export const MAX_DIAGNOSTICS_PER_FILE = 100;

export interface ParsedRuleFile {
  /** Present only when the file has no errors (warnings allowed): safe to compile and run. */
  file?: RuleFile;
  /**
   * When the file has errors but could still be converted, the parts that were valid:
   * for finding more problems (JSONata errors in `when`), never for running.
   */
  partial?: RuleFile;
  /** Every problem found, sorted by position. */
  diagnostics: Diagnostic[];
}

/**
 * Parses and checks one rule file; pure (no I/O). `path` is only used in diagnostics and
 * RuleFile.path. Bytes are checked for size and encoding; a string is taken as decoded.
 * Never throws for bad input.
 */
export function parseRuleFile(path: string, text: string | Uint8Array): ParsedRuleFile {
  const decoded = decodeRuleSource(path, text);
  if (!decoded.ok) return { diagnostics: [decoded.diagnostic] };
  try {
    const yaml = parseYamlSource(path, decoded.text);
    if (yaml.value === undefined) return { diagnostics: limitDiagnostics(path, yaml.diagnostics) };
    const schemaDiagnostics = mapSchemaErrors(yaml.source, validateRuleDocument(yaml.value));
    const converted = convertRuleFile(yaml.source, decoded.sha256);
    const checkDiagnostics = converted ? runRuleFileChecks({ source: yaml.source, file: converted }) : [];
    const diagnostics = limitDiagnostics(path, [...yaml.diagnostics, ...schemaDiagnostics, ...checkDiagnostics]);
    if (!converted) return { diagnostics };
    return hasErrors(diagnostics) ? { partial: converted, diagnostics } : { file: converted, diagnostics };
  } catch (error) {
    // Only pathological input gets here (nesting deep enough to exhaust the stack).
    if (!(error instanceof RangeError)) throw error;
    const message = 'file is nested too deeply to read';
    return { diagnostics: [diagnosticAt({ file: path, line: 1, col: 1 }, 'error', 'yaml/too-deep', message, { hint: 'Rule files need only a few levels of nesting.' })] };
  }
}

/** Sorted, without repeats, and at most MAX_DIAGNOSTICS_PER_FILE of them plus a note saying how many were left out. */
function limitDiagnostics(path: string, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = sortDiagnostics(diagnostics).filter((d) => {
    const key = `${d.line}:${d.col}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length <= MAX_DIAGNOSTICS_PER_FILE) return unique;
  const kept = unique.slice(0, MAX_DIAGNOSTICS_PER_FILE);
  const note = `${unique.length - kept.length} more problems in this file are not shown`;
  return [...kept, diagnosticAt({ file: path, line: 1, col: 1 }, 'error', 'yaml/too-many-errors', note, { hint: 'Fix the problems above and run again.' })];
}
