/**
 * Reading `local import` inputs: JSON label rows, a YAML/JSON workflow and ontology. Every
 * problem becomes a located diagnostic; the store is opened only when all inputs are good.
 */
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { diagnosticAt, type Diagnostic } from '../../diagnostics/index.js';
import { resolveImportProject, type ImportProblem, type ImportResult } from '../../backends/sqlite/import.js';

interface ParsedFile {
  value?: unknown;
  diagnostics: Diagnostic[];
}

/** Reads and parses a YAML or JSON file (JSON is YAML); read and syntax errors are located. */
export function readDataFile(path: string, shownAs: string): ParsedFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return { diagnostics: [diagnosticAt({ file: shownAs, line: 1, col: 1 }, 'error', 'store/cannot-read', `cannot read ${shownAs}: ${why}`)] };
  }
  // JSON.parse first: label-row exports are large and YAML parsing is many times slower.
  const json = parseJson(text, shownAs, path.toLowerCase().endsWith('.json'));
  if (json) return json;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (document.errors.length > 0) {
    return {
      diagnostics: document.errors.map((e) => {
        const at = lineCounter.linePos(e.pos[0]);
        return diagnosticAt({ file: shownAs, line: at.line, col: at.col }, 'error', 'store/bad-input', `${shownAs} is not valid JSON or YAML: ${e.message.split('\n')[0]}`);
      }),
    };
  }
  return { value: document.toJS({ maxAliasCount: 100 }) as unknown, diagnostics: [] };
}

/** JSON.parse with a located error for .json files; undefined to fall back to YAML. */
function parseJson(text: string, shownAs: string, isJsonFile: boolean): ParsedFile | undefined {
  try {
    return { value: JSON.parse(text) as unknown, diagnostics: [] };
  } catch (error) {
    if (!isJsonFile) return undefined;
    const message = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const col = (before[before.length - 1]?.length ?? 0) + 1;
    return { diagnostics: [diagnosticAt({ file: shownAs, line, col }, 'error', 'store/bad-input', `${shownAs} is not valid JSON: ${message}`)] };
  }
}

export interface ImportFiles {
  labelRows: string;
  workflow?: string;
  ontology?: string;
  title?: string;
}

/** Reads, parses and checks the import inputs; diagnostics name the file and JSON path. */
export function readImportProject(files: ImportFiles, cwd: string): { result?: ImportResult & { ok: true }; diagnostics: Diagnostic[] } {
  const shown = (path: string): string => relative(cwd, path) || path;
  const names = { labelRows: shown(files.labelRows), workflow: files.workflow ? shown(files.workflow) : '(--workflow)', ontology: files.ontology ? shown(files.ontology) : '(--ontology)' };
  const labelRows = readDataFile(files.labelRows, names.labelRows);
  const workflow = files.workflow === undefined ? { diagnostics: [] } : readDataFile(files.workflow, names.workflow);
  const ontology = files.ontology === undefined ? { diagnostics: [] } : readDataFile(files.ontology, names.ontology);
  const diagnostics = [...labelRows.diagnostics, ...workflow.diagnostics, ...ontology.diagnostics];
  if (diagnostics.length > 0) return { diagnostics };
  const result = resolveImportProject({
    labelRows: labelRows.value,
    workflow: workflow.value,
    ontology: ontology.value,
    title: files.title ?? basename(files.labelRows).replace(/\.[^.]*$/, ''),
  });
  if (result.ok) return { result, diagnostics: [] };
  const toDiagnostic = (p: ImportProblem): Diagnostic =>
    diagnosticAt({ file: names[p.input], line: 1, col: 1 }, 'error', 'store/bad-input', p.path ? `${p.path}: ${p.message}` : p.message);
  return { diagnostics: result.problems.map(toDiagnostic) };
}
