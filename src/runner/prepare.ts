/**
 * Rule files → PreparedStages for one project: check them against the project (stages,
 * pathways, classifications), compile, resolve params, resolve each stage. Everything that can
 * be wrong is reported as located diagnostics before a single task is touched.
 */
import { diagnosticAt, hasErrors, UNKNOWN_STAGE, type Diagnostic, type SourceLocation } from '../diagnostics/index.js';
import {
  buildTaskDocument,
  checkRulesAgainstProject,
  compileRuleFile,
  resolveParams,
  type RuleFile,
  type StageHandler,
  type StageRules,
} from '../compile/index.js';
import { agentStages, findAgentStage, type Project, type Stage } from '../model/index.js';
import type { PreparedStage } from './types.js';

export interface PrepareOptions {
  params?: string[];
  stages?: string[];
  failAfter?: number;
}

export interface PreparedRules {
  stages: PreparedStage[];
  diagnostics: Diagnostic[];
}

/** Prepares every stage of every file. Pure apart from nothing: no I/O, no clock. */
export function prepareStages(files: readonly RuleFile[], project: Project, options: PrepareOptions = {}): PreparedRules {
  const diagnostics: Diagnostic[] = [];
  const stages: PreparedStage[] = [];
  for (const file of files) {
    const checked = checkRulesAgainstProject(file, project);
    const compiled = compileRuleFile(file);
    const params = resolveParams(file.params, options.params ?? []);
    diagnostics.push(...checked, ...compiled.diagnostics, ...params.diagnostics);
    if (hasErrors(checked) || hasErrors(compiled.diagnostics) || hasErrors(params.diagnostics)) continue;
    for (const handler of compiled.handlers) {
      const rules = file.stages.find((s) => s.stage === handler.stage);
      const stage = rules && findAgentStage(project, rules.stage);
      if (!rules || !stage) {
        diagnostics.push(unknownStage(rules?.loc ?? { file: file.path, line: 1, col: 1 }, handler.stage, project));
        continue;
      }
      stages.push(buildPreparedStage(file, rules, handler, stage, params.values, options.failAfter));
    }
  }
  diagnostics.push(...checkDuplicateStages(stages));
  const selected = selectStages(stages, options.stages, diagnostics);
  return { stages: selected, diagnostics };
}

export interface RefittedStages {
  stages: PreparedStage[];
  /** Stages whose rules no longer fit the project, as they were prepared. */
  skipped: PreparedStage[];
  /** Why each stage was skipped (errors only), located in its rule file. */
  diagnostics: Diagnostic[];
}

/**
 * Stages prepared against one version of a project, fitted to another (watch mode: the workflow
 * or ontology changed between passes). A stage whose rules still fit is re-resolved, so it
 * routes along the pathways as they are now; one that no longer fits (its stage, a pathway, a
 * classification or option gone) is skipped, with the diagnostics saying why. Compiled handlers
 * are kept: compiling does not depend on the project. Pure.
 */
export function refitStages(prepared: readonly PreparedStage[], project: Project): RefittedStages {
  const result: RefittedStages = { stages: [], skipped: [], diagnostics: [] };
  for (const p of prepared) {
    const errors = checkRulesAgainstProject({ ...p.ruleFile, stages: [p.rules] }, project).filter((d) => d.severity === 'error');
    const stage = findAgentStage(project, p.rules.stage);
    if (errors.length === 0 && stage) {
      result.stages.push({ ...p, stage });
      continue;
    }
    result.skipped.push(p);
    result.diagnostics.push(...(errors.length > 0 ? errors : [unknownStage(p.rules.loc, p.rules.stage, project)]));
  }
  return result;
}

/**
 * One stage ready for planTaskRecord, from rules already checked and compiled: where each rule
 * is written (for plan-time failures), `on_error` with any `failAfter` override. Pure.
 */
export function buildPreparedStage(
  file: RuleFile,
  rules: StageRules,
  handler: StageHandler,
  stage: Stage,
  params: Readonly<Record<string, unknown>>,
  failAfter: number | undefined,
): PreparedStage {
  const ruleLocations = new Map<string, SourceLocation>(rules.rules.map((r) => [r.name, r.loc]));
  if (rules.default) ruleLocations.set('default', rules.default.loc);
  if (rules.onError) ruleLocations.set('on_error', rules.onError.loc);
  const prepared: PreparedStage = { stage, handler, rules, ruleFile: file, params, ruleLocations, buildDocument: buildTaskDocument };
  if (rules.onError) {
    prepared.onError = { pathway: rules.onError.pathway, afterAttempts: failAfter ?? rules.onError.afterAttempts };
  }
  return prepared;
}

/** Two files for one stage would fight over its tasks (rules/ reports repeats within a file). */
function checkDuplicateStages(stages: readonly PreparedStage[]): Diagnostic[] {
  const first = new Map<string, PreparedStage>();
  const diagnostics: Diagnostic[] = [];
  for (const prepared of stages) {
    const earlier = first.get(prepared.stage.uuid);
    if (earlier && earlier.ruleFile.path === prepared.ruleFile.path) continue;
    if (!earlier) {
      first.set(prepared.stage.uuid, prepared);
      continue;
    }
    const { file, line, col } = earlier.rules.loc;
    diagnostics.push(
      diagnosticAt(prepared.rules.loc, 'error', 'rule/duplicate-stage', `stage "${prepared.stage.title}" already has rules`, {
        hint: 'merge the two sets of rules into one stage entry',
        related: [{ file, line, col, message: 'first rules for this stage' }],
      }),
    );
  }
  return diagnostics;
}

function selectStages(stages: PreparedStage[], wanted: string[] | undefined, diagnostics: Diagnostic[]): PreparedStage[] {
  if (!wanted || wanted.length === 0) return stages;
  for (const ref of wanted) {
    if (stages.some((p) => p.stage.uuid === ref || p.stage.title === ref)) continue;
    const known = stages.map((p) => JSON.stringify(p.stage.title)).join(', ');
    diagnostics.push(
      diagnosticAt({ file: '<command line>', line: 1, col: 1 }, 'error', UNKNOWN_STAGE, `--stage ${JSON.stringify(ref)} has no rules`, {
        hint: `stages with rules: ${known || 'none'}`,
      }),
    );
  }
  return stages.filter((p) => wanted.includes(p.stage.uuid) || wanted.includes(p.stage.title));
}

function unknownStage(loc: SourceLocation, ref: string, project: Project): Diagnostic {
  const names = agentStages(project).map((s) => JSON.stringify(s.title)).join(', ');
  return diagnosticAt(loc, 'error', UNKNOWN_STAGE, `project has no agent stage ${JSON.stringify(ref)}`, {
    hint: `agent stages: ${names || 'none'}`,
  });
}

