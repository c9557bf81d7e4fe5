/**
 * Reads the rule files a run names (files, or folders searched for *.yaml / *.yml, skipping
 * rule tests *.test.yaml) and parses each with rules/. Every problem is a located diagnostic.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { diagnosticAt, type Diagnostic } from '../diagnostics/index.js';
import { parseRuleFile } from '../rules/parse.js';
import type { RuleFile } from '../rules/types.js';

export interface LoadedRuleFiles {
  files: RuleFile[];
  diagnostics: Diagnostic[];
}

/**
 * Loads in a stable order (paths as given; folder contents sorted). Relative paths are read
 * from `cwd` and reported as written, so diagnostics name the file the way the user did.
 */
export async function fetchRuleFiles(paths: readonly string[], cwd = process.cwd()): Promise<LoadedRuleFiles> {
  const files: RuleFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of await expandPaths(paths, cwd, diagnostics)) {
    const bytes = await readFile(resolve(cwd, path)).catch((error: unknown) => error as Error);
    if (bytes instanceof Error) {
      diagnostics.push(unreadable(path, bytes.message));
      continue;
    }
    const parsed = parseRuleFile(path, bytes);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.file) files.push(parsed.file);
  }
  if (files.length === 0 && diagnostics.length === 0) {
    diagnostics.push(diagnosticAt({ file: paths[0] ?? '<command line>', line: 1, col: 1 }, 'error', 'rule/no-files', 'no rule files found', {
      hint: 'name .yaml rule files, or folders holding them',
    }));
  }
  return { files, diagnostics };
}

async function expandPaths(paths: readonly string[], cwd: string, diagnostics: Diagnostic[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(resolve(cwd, path)).catch((error: unknown) => error as Error);
    if (info instanceof Error) {
      diagnostics.push(unreadable(path, info.message));
    } else if (info.isDirectory()) {
      const names = (await readdir(resolve(cwd, path))).filter(isRuleFileName).sort();
      out.push(...names.map((n) => join(path, n)));
    } else {
      out.push(path);
    }
  }
  return out;
}

function isRuleFileName(name: string): boolean {
  return /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name);
}

function unreadable(path: string, message: string): Diagnostic {
  return diagnosticAt({ file: path, line: 1, col: 1 }, 'error', 'rule/unreadable', `cannot read ${path}: ${message}`);
}
