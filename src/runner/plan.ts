/**
 * Decision → TaskPlan: what applying a stage's rules would change on one task, against what
 * the task has now. Pure (clock and random source come in through PlanEnv), shared by `apply`,
 * `apply --dry-run`, `test` and `explain`, so a dry run shows exactly what a run would do.
 */
import { UNKNOWN_PATHWAY, type SourceLocation } from '../diagnostics/index.js';
import type { TaskCommit } from '../backends/backend.js';
import type { StageHandler } from '../compile/types.js';
import { findClassification } from '../labels/read.js';
import { writeClassificationAnswer, isSameAnswer, type LabelWriteEnv } from '../labels/write.js';
import {
  findPathway,
  type Change,
  type Decision,
  type LabelRow,
  type Ontology,
  type OntologyClassification,
  type Project,
  type RuleFailure,
  type Stage,
  type TaskPlan,
  type TaskRecord,
} from '../model/index.js';

export interface PlanEnv extends LabelWriteEnv {
  /** Where each rule (and `default`) is written, so plan-time failures point at the rule. */
  ruleLocations?: ReadonlyMap<string, SourceLocation>;
}

/** The name the stage's `on_error` routing is reported under, in plans, summaries and the audit log. */
export const ON_ERROR_RULE = 'on_error';

/**
 * Plans one task: resolves the route against the stage's pathways (exact name or uuid),
 * keeps only real changes (a priority or answer already in effect is no change; priority 0
 * is a value like any other) and builds the edited label row. A route that names no pathway
 * of the stage, or an answer that does not fit the ontology, fails the task as data.
 */
export function planTask(
  decision: Decision,
  record: TaskRecord,
  project: Project,
  stage: Stage,
  handler: Pick<StageHandler, 'file'>,
  env: PlanEnv = defaultPlanEnv(),
): TaskPlan {
  const plan = basePlan(record, stage, decision.matchedRules, decision.usedDefault);
  const failWith = (rule: string, code: string, message: string): TaskPlan => ({
    ...plan,
    failure: locateFailure(handler.file, env, rule, code, message),
  });

  if (decision.priority && decision.priority.value !== record.metadata.priority) {
    const before = record.metadata.priority ?? null;
    plan.changes.push({ kind: 'set-priority', before, after: decision.priority.value, rule: decision.priority.rule });
  }
  if (decision.classifications.length > 0) {
    const labels = planAnswers(decision, record, project.ontology, env);
    if ('failure' in labels) return failWith(labels.failure.rule, labels.failure.code, labels.failure.message);
    plan.changes.push(...labels.changes);
    if (labels.row) plan.labelRow = labels.row;
  }
  if (decision.route) {
    const pathway = findPathway(stage, decision.route.pathway);
    if (!pathway) {
      return failWith(decision.route.rule, UNKNOWN_PATHWAY, unknownPathwayMessage(stage, decision.route.pathway));
    }
    plan.changes.push({ kind: 'route', pathway, rule: decision.route.rule });
  }
  return plan;
}

/** A task whose rules failed: no changes, the failure recorded. Pure. */
export function planFailedTask(record: TaskRecord, stage: Stage, failure: RuleFailure): TaskPlan {
  return { ...basePlan(record, stage, [], false), failure };
}

/**
 * A task that has failed `attempts` times: routed along the stage's `on_error` pathway once
 * that reaches `afterAttempts`. Keeps the failure on the plan so it is still reported.
 */
export function planOnErrorRoute(plan: TaskPlan, stage: Stage, pathwayRef: string): TaskPlan {
  const pathway = findPathway(stage, pathwayRef);
  if (!pathway) return plan;
  return { ...plan, changes: [{ kind: 'route', pathway, rule: ON_ERROR_RULE }] };
}

/** The backend write for a plan, or undefined when it changes nothing. Pure. */
export function planCommit(plan: TaskPlan): TaskCommit | undefined {
  if (plan.changes.length === 0) return undefined;
  const commit: TaskCommit = { taskUuid: plan.taskUuid, dataHash: plan.dataHash };
  for (const change of plan.changes) {
    if (change.kind === 'set-priority') commit.priority = change.after;
    else if (change.kind === 'route') commit.pathwayUuid = change.pathway.uuid;
  }
  if (plan.labelRow && plan.changes.some((c) => c.kind === 'set-answer')) commit.labelRow = plan.labelRow;
  return commit;
}

/**
 * The ontology classification a rule writes, resolved as `$answer` reads it (labels/read.ts).
 * Only root attributes can be written: a nested one depends on its parent's chosen option.
 */
export function resolveClassification(ontology: Ontology, ref: string): OntologyClassification | undefined {
  const found = findClassification(ontology, ref);
  return found && found.attribute === found.classification.attributes[0] ? found.classification : undefined;
}

type AnswerPlan =
  | { changes: Change[]; row?: LabelRow }
  | { failure: { rule: string; code: string; message: string } };

function planAnswers(decision: Decision, record: TaskRecord, ontology: Ontology, env: PlanEnv): AnswerPlan {
  let row = record.labelRow;
  const changes: Change[] = [];
  for (const wanted of decision.classifications) {
    const failure = (code: string, message: string): AnswerPlan => ({ failure: { rule: wanted.rule, code, message } });
    if (!row) return failure('rule/no-label-row', `the label row of "${record.task.dataTitle}" was not fetched`);
    const classification = resolveClassification(ontology, wanted.classification);
    if (!classification) {
      return failure('rule/unknown-classification', `the ontology has no classification "${wanted.classification}"`);
    }
    const written = writeClassificationAnswer(row, classification, wanted.answer, env);
    if (!written.ok) return failure(written.code, written.message);
    if (isSameAnswer(written.before, wanted.answer)) continue;
    row = written.row;
    changes.push({
      kind: 'set-answer',
      classification: wanted.classification,
      featureHash: classification.featureNodeHash,
      before: written.before,
      after: wanted.answer,
      rule: wanted.rule,
    });
  }
  return changes.length > 0 && row ? { changes, row } : { changes };
}

function basePlan(record: TaskRecord, stage: Stage, matchedRules: string[], usedDefault: boolean): TaskPlan {
  return {
    taskUuid: record.task.uuid,
    dataHash: record.task.dataHash,
    dataTitle: record.task.dataTitle,
    stageUuid: stage.uuid,
    matchedRules,
    usedDefault,
    changes: [],
  };
}

function locateFailure(file: string, env: PlanEnv, rule: string, code: string, message: string): RuleFailure {
  const loc = env.ruleLocations?.get(rule);
  return { rule, file: loc?.file ?? file, line: loc?.line ?? 1, col: loc?.col ?? 1, code, message };
}

function unknownPathwayMessage(stage: Stage, ref: string): string {
  const names = stage.pathways.map((p) => JSON.stringify(p.name)).join(', ');
  return `stage "${stage.title}" has no pathway ${JSON.stringify(ref)} (pathways: ${names || 'none'})`;
}

function defaultPlanEnv(): PlanEnv {
  // Only consulted when a new classification instance is created: the one impure default.
  return { now: new Date(), randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)) };
}
