/**
 * compile/: RuleFile → StageHandlers. Every JSONata expression is compiled once; each
 * handler evaluates a task document to a Decision, purely.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { RuleFile, StageRules } from '../rules/types.js';
import { compileStageRules, type CompileOptions, type CompiledStage } from './compile-stage.js';
import { evaluateStage, evaluateStageSync, isSynchronousStage } from './evaluate-stage.js';
import type { StageHandler } from './types.js';

export type { CompileOptions, CompiledStage, CompiledRule } from './compile-stage.js';
export { compileExpression, evaluateExpression, DEFAULT_GUARD_LIMITS } from './expression.js';
export type { CompiledExpression, ExpressionResult, ExpressionScope, GuardLimits } from './expression.js';
export { buildTaskDocument } from './task-document.js';
export { isTruthy, toAnswer } from './evaluate-stage.js';
export { Re2RegExp } from './regex-engine.js';
export { checkOntologyReferences, findOntologyReferences, type OntologyReference } from './ontology-references.js';
export { checkRulesAgainstProject } from './project-checks.js';
export type { StageHandler, EvaluationContext, TaskDocument, Evaluation } from './types.js';
// The runner reaches rules/ through compile only (runner → compile → rules): the rule-file types
// it carries, and the `--param` resolution it repeats for every file it (re)loads. Pure.
export type { RuleFile, StageRules } from '../rules/types.js';
export { resolveParams, type ResolvedParams } from '../rules/params.js';

/**
 * Compiles every stage of a rule file, reporting every problem in every expression.
 * Pure. `handlers` holds the stages that compiled cleanly (all of them when there are no
 * error diagnostics); a caller that applies rules should refuse a file with errors.
 */
export function compileRuleFile(
  file: RuleFile,
  options: CompileOptions = {},
): { handlers: StageHandler[]; diagnostics: Diagnostic[] } {
  const handlers: StageHandler[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const stage of file.stages) {
    const result = compileStageRules(stage, file.params, options);
    diagnostics.push(...result.diagnostics);
    if (result.stage) handlers.push(createStageHandler(file.path, stage, result.stage));
  }
  return { handlers, diagnostics };
}

function createStageHandler(file: string, rules: StageRules, compiled: CompiledStage): StageHandler {
  const handler: StageHandler = {
    stage: rules.stage,
    file,
    match: rules.match,
    ruleNames: rules.rules.map((r) => r.name),
    needs: compiled.needs,
    evaluate: (document, context) => evaluateStage(compiled, rules.match, document, context),
  };
  if (isSynchronousStage(compiled)) handler.evaluateSync = (document, context) => evaluateStageSync(compiled, rules.match, document, context);
  if (rules.onError) handler.onError = rules.onError;
  return handler;
}

