/**
 * Watch mode, between passes: re-read the project and the rule files, and decide what the next
 * pass runs. Changed rule files replace the running set only when they validate against the
 * project as it is now. When the project itself changed (a stage, pathway, classification or
 * option renamed or removed in Encord), the last good set is re-checked against it: the stages
 * that still fit keep running, re-resolved so they route along the pathways as they are now;
 * a stage that no longer fits is skipped, with located diagnostics saying why, until the
 * project or the rule files fit again.
 */
import { diagnosticAt, hasErrors, type Diagnostic } from '../diagnostics/index.js';
import type { Backend } from '../backends/backend.js';
import type { RuleFile } from '../compile/index.js';
import type { Project } from '../model/index.js';
import { prepareStages, refitStages } from './prepare.js';
import type { PreparedStage, RuleFileLoader, RunCallbacks, RunSettings } from './types.js';

export interface WatchState {
  /** The project as last read. */
  project: Project;
  /** The last rule files that validated, and their stages as prepared then (after `--stage`). */
  files: RuleFile[];
  prepared: PreparedStage[];
  /** What the next pass runs: `prepared` fitted to `project`, less the stages that no longer fit. */
  running: PreparedStage[];
}

/** The state a run starts with: rules just prepared against the project just read. */
export function startWatchState(project: Project, files: RuleFile[], prepared: PreparedStage[]): WatchState {
  return { project, files, prepared, running: prepared };
}

/**
 * Reads the project (one getProject call) and the rule files (one loader call), and returns
 * what the next pass runs; `state` itself when nothing changed. Reports through `onReload`
 * (rule files changed), `onProjectChange` (the project changed) and `onDiagnostic` (the
 * project could not be read: the pass goes on with the project as last read). Never rejects
 * for the backend or the rules; rejects only if the loader does.
 */
export async function refreshWatchState(
  state: WatchState,
  loadRules: RuleFileLoader,
  backend: Backend,
  options: RunSettings,
  callbacks: RunCallbacks,
): Promise<WatchState> {
  const project = await fetchProjectOrKeep(state, backend, callbacks);
  const projectChanged = !isSameProject(state.project, project);
  const loaded = await loadRules();
  const files = loaded.files.map((f) => f.path);
  if (hasErrors(loaded.diagnostics)) {
    callbacks.onReload?.({ ok: false, files, diagnostics: loaded.diagnostics });
  } else if (!isSameRuleFiles(state.files, loaded.files)) {
    const prepared = prepareStages(loaded.files, project, options);
    const ok = !hasErrors(prepared.diagnostics);
    callbacks.onReload?.({ ok, files, diagnostics: prepared.diagnostics });
    if (ok) return { project, files: loaded.files, prepared: prepared.stages, running: prepared.stages };
  }
  if (!projectChanged) return state;
  return fitToProject(state, project, callbacks);
}

/** The last good set against a changed project: the stages that fit it run, the others wait. */
function fitToProject(state: WatchState, project: Project, callbacks: RunCallbacks): WatchState {
  const fitted = refitStages(state.prepared, project);
  callbacks.onProjectChange?.({
    projectHash: project.projectHash,
    title: project.title,
    running: fitted.stages.map((p) => p.stage.title),
    skipped: fitted.skipped.map((p) => p.stage.title),
    diagnostics: fitted.diagnostics,
  });
  return { ...state, project, running: fitted.stages };
}

async function fetchProjectOrKeep(state: WatchState, backend: Backend, callbacks: RunCallbacks): Promise<Project> {
  try {
    return await backend.getProject(state.project.projectHash);
  } catch (error) {
    callbacks.onDiagnostic?.(projectUnreadable(state, error));
    return state.project;
  }
}

function projectUnreadable(state: WatchState, error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  const at = state.prepared[0]?.rules.loc ?? { file: state.files[0]?.path ?? '<command line>', line: 1, col: 1 };
  return diagnosticAt(at, 'warning', 'run/project-unreadable', `could not re-read project "${state.project.title}" (${typeof code === 'string' ? `${code}: ` : ''}${message})`, {
    hint: 'this pass runs with the workflow and ontology as last read; the next pass tries again',
  });
}

/** Workflow, ontology and the rest, as the backend gave them (same backend: same key order). */
function isSameProject(a: Project, b: Project): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function isSameRuleFiles(a: readonly RuleFile[], b: readonly RuleFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f.path === b[i]!.path && f.sha256 === b[i]!.sha256);
}
