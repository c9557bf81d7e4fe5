/**
 * Compiled stage handlers: pure functions (task document, params) -> Decision.
 * No I/O and no clock: `now` comes in through the EvaluationContext.
 */
import type { Decision, DocumentNeeds, Ontology, RuleFailure } from '../model/index.js';
import type { MatchMode, OnError } from '../rules/types.js';

/**
 * What an expression sees for one task: the label-row metadata at the top level under
 * Encord's names (data_title, data_type, priority, client_metadata, …), the label fields
 * (data_units, classification_answers, object_answers, object_actions) when fetched, and
 * `task` (the AgentTask: uuid, status, assignee, …).
 */
export type TaskDocument = Record<string, unknown>;

export interface EvaluationContext {
  /** Validated parameter values, read as `$params.name`. */
  params: Readonly<Record<string, unknown>>;
  /** `$now()` and `$millis()` return this, fixed for the evaluation. */
  now: Date;
  /** Resolves ontology names for the label helpers (`$answer("Weather")`, …). */
  ontology: Ontology;
}

export type Evaluation = { ok: true; decision: Decision } | { ok: false; failure: RuleFailure };

export interface StageHandler {
  /** Agent stage title or uuid as written in the rule file. */
  stage: string;
  file: string;
  match: MatchMode;
  ruleNames: string[];
  /**
   * What to fetch for a task, so a backend fetches no more than needed: what the expressions
   * read, and the label row whenever an action sets a classification answer (to edit it).
   */
  needs: DocumentNeeds;
  onError?: OnError;
  /** Pure; never throws for a rule's fault (that is an `ok: false` Evaluation). */
  evaluate(document: TaskDocument, context: EvaluationContext): Promise<Evaluation>;
  /**
   * The same evaluation without promises, present when every expression of the stage runs on
   * the fast path: a runner's per-task cost at tens of thousands of tasks a second.
   */
  evaluateSync?(document: TaskDocument, context: EvaluationContext): Evaluation;
}
