/**
 * A validated rule file. Only rules/ builds these (from YAML that passed the schema and
 * the semantic checks), so raw YAML can never reach compile/. Every part keeps its place
 * in the file so later stages can report errors where the user wrote the thing.
 */
import type { SourceLocation } from '../diagnostics/index.js';
import type { AnswerValue, AttributeType } from '../model/index.js';

export type { ExpressionSource } from '../yaml/expression-source.js';
import type { ExpressionSource } from '../yaml/expression-source.js';

export type PriorityAction =
  | { kind: 'literal'; value: number; loc: SourceLocation }
  | { kind: 'expr'; expr: ExpressionSource };

export type ClassifyAction =
  | { classification: string; loc: SourceLocation; kind: 'literal'; answer: AnswerValue }
  | { classification: string; loc: SourceLocation; kind: 'expr'; answerType: AttributeType; expr: ExpressionSource };

export interface RouteAction {
  /** Pathway name or uuid, as written. */
  pathway: string;
  loc: SourceLocation;
}

export interface Actions {
  priority?: PriorityAction;
  classify: ClassifyAction[];
  route?: RouteAction;
}

export interface Rule {
  name: string;
  loc: SourceLocation;
  description?: string;
  /** Absent: the rule always matches. */
  when?: ExpressionSource;
  actions: Actions;
}

export interface OnError {
  pathway: string;
  /** Route to `pathway` once a task has failed this many times (across runs). */
  afterAttempts: number;
  loc: SourceLocation;
}

export type MatchMode = 'first' | 'all';

export interface StageRules {
  /** Agent stage title or uuid, as written. */
  stage: string;
  loc: SourceLocation;
  match: MatchMode;
  rules: Rule[];
  /** Actions when no rule matches; absent: the task stays where it is. */
  default?: Actions & { loc: SourceLocation };
  onError?: OnError;
}

export type ParamType = 'string' | 'text' | 'number' | 'enum' | 'boolean' | 'string-array';

export interface ParamSpec {
  name: string;
  type: ParamType;
  description?: string;
  default?: unknown;
  /** number only */
  min?: number;
  max?: number;
  /** enum only */
  values?: string[];
  loc: SourceLocation;
}

export interface RuleFile {
  path: string;
  /** sha256 of the file's bytes, for the audit log. */
  sha256: string;
  version: 1;
  project?: string;
  params: ParamSpec[];
  stages: StageRules[];
}
