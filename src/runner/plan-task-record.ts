/**
 * The one path a task takes through its stage's rules: evaluate, plan, count the failure,
 * route along `on_error`. `apply` (a batch at a time), `test`, `explain`, and any later entry
 * point (an editor agent, a queue worker) call `planTaskRecord`, so none can drift from what a
 * run does.
 */
import type { EvaluationContext, Evaluation } from '../compile/types.js';
import type { Project, RuleFailure, TaskPlan, TaskRecord } from '../model/index.js';
import { planFailedTask, planOnErrorRoute, planTask, type PlanEnv } from './plan.js';
import type { PreparedStage } from './types.js';

/** What a task's path needs besides the stage and the record: the project, a clock, randomness, its failures so far. */
export interface TaskPathEnv {
  /** The project the stage belongs to (its ontology resolves classification names). */
  project: Project;
  /** What `$now()` returns, and the time a new classification instance is stamped with. */
  now: Date;
  /** For the hash of a new classification instance. */
  randomBytes(n: number): Uint8Array;
  /**
   * Times the stage's rules already failed for this task (an attempt store's count). Default 0:
   * this evaluation is the first attempt.
   */
  priorFailures?: number;
}

/** A task's path through its stage: what the rules returned and what a run would change. */
export interface PlannedTask {
  /** The rules' decision, or why they failed. */
  evaluation: Evaluation;
  /**
   * The changes to write, against the task as it is. A failure (from evaluating, or from
   * planning, such as a route to a pathway the stage lacks) is on `plan.failure`; once a task
   * has failed `on_error.after_attempts` times its plan routes along `on_error`.
   */
  plan: TaskPlan;
  /** For a task whose rules failed: failures so far, this one included. */
  attempts?: number;
}

/**
 * Takes one task's record through its prepared stage. Pure apart from the evaluation itself
 * (no I/O; the clock and randomness are `env`'s). Never rejects for a rule's fault: that is
 * `plan.failure`. Runs synchronously inside when the stage's handler can.
 */
export async function planTaskRecord(prepared: PreparedStage, record: TaskRecord, env: TaskPathEnv): Promise<PlannedTask> {
  const context: EvaluationContext = { params: prepared.params, now: env.now, ontology: env.project.ontology };
  const document = prepared.buildDocument(record);
  const { handler } = prepared;
  const evaluation = handler.evaluateSync ? handler.evaluateSync(document, context) : await handler.evaluate(document, context);
  return planEvaluatedTask(prepared, record, evaluation, env);
}

function planEvaluatedTask(prepared: PreparedStage, record: TaskRecord, evaluation: Evaluation, env: TaskPathEnv): PlannedTask {
  const planEnv: PlanEnv = { now: env.now, randomBytes: env.randomBytes, ruleLocations: prepared.ruleLocations };
  const plan = evaluation.ok
    ? planTask(evaluation.decision, record, env.project, prepared.stage, prepared.handler, planEnv)
    : planFailedTask(record, prepared.stage, evaluation.failure);
  if (!plan.failure || !isRuleFailure(plan.failure)) return { evaluation, plan };
  const attempts = (env.priorFailures ?? 0) + 1;
  const onError = prepared.onError;
  const routed = onError && attempts >= onError.afterAttempts ? planOnErrorRoute(plan, prepared.stage, onError.pathway) : plan;
  return { evaluation, plan: routed, attempts };
}

/** A failure of the rules, as against the backend's (a fetch or write): only these count as attempts. */
export function isRuleFailure(failure: RuleFailure): boolean {
  return !failure.code.startsWith('backend/');
}
