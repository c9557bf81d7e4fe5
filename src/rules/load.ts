/**
 * Reads rule files from disk: paths may be files or directories (searched recursively
 * for *.yaml / *.yml, skipping dot-folders, node_modules, and `encord-rules test` files
 * named *.test.yaml / *.test.yml, which live beside the rules they test). A file named
 * explicitly is always read. The one I/O step of rules/; everything after reading is
 * parseRuleFile.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { diagnosticAt, type Diagnostic } from '../diagnostics/index.js';
import { parseRuleFile } from './parse.js';
import { fileTooLarge, MAX_RULE_FILE_BYTES } from '../yaml/source-text.js';
import type { RuleFile } from './types.js';

export interface LoadedRuleFiles {
  /** Files without errors, in path order: safe to compile and run. */
  files: RuleFile[];
  /** Files with errors that could still be partly converted: for finding more problems only. */
  partials: RuleFile[];
  /** Every problem in every file, file by file in path order. */
  diagnostics: Diagnostic[];
  /** Every rule file path found (as reported in diagnostics), for watching. */
  paths: string[];
}

export interface LoadOptions {
  /** Relative paths are read from here; default process.cwd(). Paths are reported as given. */
  cwd?: string;
}

const RULE_FILE_PATTERN = /\.ya?ml$/i;
/** Test files for `encord-rules test` (see docs/testing-rules.md), not rule files. */
const TEST_FILE_PATTERN = /\.test\.ya?ml$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules']);

/**
 * Finds, reads and parses rule files. Never throws for a missing or unreadable path:
 * each is a diagnostic. Directories are expanded in sorted order; a file named twice is
 * read once.
 */
export async function loadRuleFiles(paths: readonly string[], options: LoadOptions = {}): Promise<LoadedRuleFiles> {
  const cwd = options.cwd ?? process.cwd();
  const found = await Promise.all(paths.map((p) => findRuleFiles(p, cwd)));
  const diagnostics = found.flatMap((f) => f.diagnostics);
  const unique = [...new Set(found.flatMap((f) => f.files))];
  const result: LoadedRuleFiles = { files: [], partials: [], diagnostics, paths: unique };
  for (const path of unique) {
    const parsed = await readRuleFile(path, cwd);
    result.diagnostics.push(...parsed.diagnostics);
    if (parsed.file) result.files.push(parsed.file);
    if (parsed.partial) result.partials.push(parsed.partial);
  }
  return result;
}

/** Reads one rule file and parses it; a missing, oversized or unreadable file is a diagnostic. */
export async function readRuleFile(path: string, cwd = process.cwd()): Promise<ReturnType<typeof parseRuleFile>> {
  const read = await readCapped(resolveFrom(cwd, path));
  if ('error' in read) return { diagnostics: [fileDiagnostic(path, 'rule/unreadable', `cannot read file: ${read.error}`)] };
  if ('tooLarge' in read) return { diagnostics: [fileTooLarge(path, read.tooLarge)] };
  return parseRuleFile(path, read.bytes);
}

function resolveFrom(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Reads at most one byte past the cap, so an enormous file costs no more than a small one. */
async function readCapped(absolute: string): Promise<{ bytes: Uint8Array } | { tooLarge: number } | { error: string }> {
  try {
    const handle = await open(absolute, 'r');
    try {
      const buffer = Buffer.alloc(MAX_RULE_FILE_BYTES + 1);
      let total = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
        if (bytesRead === 0) break;
        total += bytesRead;
        if (total === buffer.length) {
          return { tooLarge: Math.max((await handle.stat()).size, total) };
        }
      }
      return { bytes: buffer.subarray(0, total) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { error: errorText(error) };
  }
}

async function findRuleFiles(path: string, cwd: string): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  let info;
  try {
    info = await stat(resolveFrom(cwd, path));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const message = missing ? 'no such file or directory' : `cannot read: ${errorText(error)}`;
    return { files: [], diagnostics: [fileDiagnostic(path, missing ? 'rule/file-not-found' : 'rule/unreadable', message)] };
  }
  if (!info.isDirectory()) return { files: [path], diagnostics: [] };
  const files = (await walkDirectory(resolveFrom(cwd, path))).map((absolute) => join(path, relative(resolveFrom(cwd, path), absolute)));
  if (files.length > 0) return { files: files.sort(), diagnostics: [] };
  return { files: [], diagnostics: [fileDiagnostic(path, 'rule/no-rule-files', 'directory holds no .yaml or .yml files')] };
}

/** Absolute paths of rule files under `dir`; symlinked folders are not followed (no loops). */
async function walkDirectory(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name) ? [] : walkDirectory(full);
      const ruleFile = RULE_FILE_PATTERN.test(entry.name) && !TEST_FILE_PATTERN.test(entry.name);
      return (entry.isFile() || entry.isSymbolicLink()) && ruleFile ? [full] : [];
    }),
  );
  return nested.flat();
}

function fileDiagnostic(path: string, code: string, message: string): Diagnostic {
  return diagnosticAt({ file: path, line: 1, col: 1 }, 'error', code, message, { hint: 'Check the path: give rule files (.yaml, .yml) or folders holding them.' });
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
