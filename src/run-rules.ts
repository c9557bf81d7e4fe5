/**
 * `runRules`, the library's way to run rule files by path (and what `apply` runs): rules/
 * reads and validates the files, runner/ runs them. The runner reads no files itself; it is
 * handed a loader, which watch mode calls again before every pass.
 */
import type { Backend } from './backends/backend.js';
import { loadRuleFiles } from './rules/index.js';
import { runRuleFiles } from './runner/run.js';
import type { RunCallbacks, RunOptions, RunSummary } from './runner/types.js';

/**
 * Loads `options.rules` (files or folders, relative to `options.cwd`) and runs them on the
 * backend's project. Resolves with the summary: invalid rules and failed tasks are in it,
 * never thrown. Rejects with BackendError when the project cannot be read at all.
 */
export function runRules(options: RunOptions, backend: Backend, callbacks: RunCallbacks = {}): Promise<RunSummary> {
  const { rules, cwd, ...settings } = options;
  return runRuleFiles(() => loadRuleFiles(rules, cwd !== undefined ? { cwd } : {}), settings, backend, callbacks);
}
