/**
 * `runRules`, the library's way to run rule files by path (and what `apply` runs): rules/
 * reads and validates the files, runner/ runs them. The runner reads no files itself; it is
 * handed a loader, which watch mode calls again before every pass.
 */
import type { Backend } from './backends/backend.js';
import { compileRuleFile } from './compile/index.js';
import { hasErrors, sortDiagnostics } from './diagnostics/index.js';
import { loadRuleFiles } from './rules/index.js';
import { runRuleFiles } from './runner/run.js';
import type { RuleFileSet, RunCallbacks, RunOptions, RunSummary } from './runner/types.js';

/**
 * Loads `options.rules` (files or folders, relative to `options.cwd`) and runs them on the
 * backend's project. Resolves with the summary: invalid rules and failed tasks are in it,
 * never thrown. Rejects with BackendError when the project cannot be read at all.
 */
export function runRules(options: RunOptions, backend: Backend, callbacks: RunCallbacks = {}): Promise<RunSummary> {
  const { rules, cwd, ...settings } = options;
  return runRuleFiles(() => loadForRun(rules, cwd), settings, backend, callbacks);
}

/**
 * The rule files, and when any has errors (so the run will not start) every layer's problems
 * at once, as `validate` reports them: a file with a schema error still compiles for its JSONata.
 */
async function loadForRun(rules: string[], cwd: string | undefined): Promise<RuleFileSet> {
  const loaded = await loadRuleFiles(rules, cwd !== undefined ? { cwd } : {});
  if (!hasErrors(loaded.diagnostics)) return loaded;
  const compiled = [...loaded.files, ...loaded.partials].flatMap((file) => compileRuleFile(file).diagnostics);
  return { files: loaded.files, diagnostics: sortDiagnostics([...loaded.diagnostics, ...compiled]) };
}
