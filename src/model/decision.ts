/**
 * What rules decide (pure data), and the concrete changes a decision makes to one task.
 * compile/ produces Decisions; runner/ turns them into TaskPlans against what the task has now.
 */
import type { Pathway } from './project.js';
import type { LabelRow } from './task.js';

/** A classification answer as a rule states it: option labels, text or a number. */
export type AnswerValue =
  | { type: 'radio'; option: string }
  | { type: 'checklist'; options: string[] }
  | { type: 'text'; text: string }
  | { type: 'numeric'; value: number };

export interface ClassificationDecision {
  /** The classification as written in the rule: ontology name (attributes[0].name) or featureNodeHash. */
  classification: string;
  answer: AnswerValue;
  rule: string;
}

/** A value a later rule wanted to set under `match: all` but an earlier rule had set first. */
export interface OverriddenAction {
  action: 'priority' | 'classify' | 'route';
  /** For classify: the classification. */
  target?: string;
  rule: string;
  keptFrom: string;
}

/** The outcome of a stage's rules for one task; says nothing about what the task has now. */
export interface Decision {
  /** Names of the rules whose `when` held, in file order (only the first under `match: first`). */
  matchedRules: string[];
  /** True when no rule matched and the stage's `default` supplied the actions. */
  usedDefault: boolean;
  priority?: { value: number; rule: string };
  classifications: ClassificationDecision[];
  /** Pathway name or uuid as written; resolved against the project by the runner. */
  route?: { pathway: string; rule: string };
  overridden: OverriddenAction[];
}

/** `rule` is a rule name, or `default` for the stage's default actions. */
export type Change =
  | { kind: 'set-priority'; before: number | null; after: number; rule: string }
  | {
      kind: 'set-answer';
      classification: string;
      featureHash: string;
      before: AnswerValue | null;
      after: AnswerValue;
      rule: string;
    }
  | { kind: 'route'; pathway: Pathway; rule: string };

/** A rule that failed at run time for one task: state to report, not a crash. */
export interface RuleFailure {
  rule: string;
  file: string;
  line: number;
  col: number;
  /** `jsonata/T2001`, `guard/timeout`, `rule/bad-priority`, … */
  code: string;
  message: string;
}

/** What applying a stage's rules would do to one task. */
export interface TaskPlan {
  taskUuid: string;
  dataHash: string;
  dataTitle: string;
  stageUuid: string;
  matchedRules: string[];
  usedDefault: boolean;
  /** Only real changes: re-applying an action that is already in effect yields none. */
  changes: Change[];
  /** The edited label row to save, when a set-answer change exists. */
  labelRow?: LabelRow;
  failure?: RuleFailure;
}
