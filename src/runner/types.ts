/**
 * The runner's library API types: what a run is asked to do, what it reports while it runs
 * (callbacks), and what it returns (RunSummary). Stable: the CLI and `--format json` print these.
 */
import type { Diagnostic, SourceLocation } from '../diagnostics/index.js';
import type { TaskCommitOutcome } from '../backends/backend.js';
import type { RuleFile, StageHandler, StageRules, TaskDocument } from '../compile/index.js';
import type { RuleFailure, Stage, TaskPlan, TaskRecord } from '../model/index.js';
import type { AttemptStore, AuditSink } from '../backends/run-state.js';

/** Rule files ready to run (loaded and validated by rules/), and every diagnostic of loading them. */
export interface RuleFileSet {
  files: RuleFile[];
  diagnostics: Diagnostic[];
}

/**
 * Supplies the rule files of a run: called at the start and, with `watch`, before every later
 * pass. The caller does the reading (runRules: rules/' loadRuleFiles), so the runner does none.
 */
export type RuleFileLoader = () => Promise<RuleFileSet>;

/** How a run goes, whatever supplies its rule files: RunOptions without the paths. */
export type RunSettings = Omit<RunOptions, 'rules' | 'cwd'>;

/** runRules' options: the rule files by path, and how the run goes. */
export interface RunOptions {
  /** Rule files or directories, loaded (and in watch mode re-loaded) by runRules. */
  rules: string[];
  /** The project; defaults to the rule files' `project`. */
  projectHash?: string;
  /** Only these stages (title or uuid); default every stage in the rule files. */
  stages?: string[];
  /** Tasks fetched, evaluated and committed together. Default DEFAULT_BATCH_SIZE. */
  batchSize?: number;
  /** At most this many tasks per stage per pass. */
  maxTasks?: number;
  /** `name=value` assignments as `--param` takes them; typed and checked against each file's params. */
  params?: string[];
  /** Relative rule paths are read from here (default: process.cwd()). */
  cwd?: string;
  /** Batches fetched ahead of the one being evaluated and committed. Default 2. */
  concurrency?: number;
  /** Evaluate and plan, write nothing (no commits, no attempts, no audit lines). */
  dryRun?: boolean;
  /**
   * Poll until `signal` aborts, sleeping `intervalMs` between passes; before each pass, re-reads
   * the project and reloads changed rule files.
   */
  watch?: boolean;
  intervalMs?: number;
  /** Overrides every stage's `on_error.after_attempts`. */
  failAfter?: number;
  /** Failure counts across runs; default: none kept (every failure is attempt 1). */
  attempts?: AttemptStore;
  /** Where applied changes are recorded; default: nowhere. */
  audit?: AuditSink;
  /** Stop taking new batches when aborted; the batch being committed finishes. */
  signal?: AbortSignal;
  /** Injected for tests; default: the clock and crypto randomness. */
  now?: () => Date;
  randomBytes?: (n: number) => Uint8Array;
}

export const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_CONCURRENCY = 2;
export const DEFAULT_INTERVAL_MS = 30_000;

/** One agent stage ready to run: resolved against the project, compiled, params resolved. */
export interface PreparedStage {
  stage: Stage;
  handler: StageHandler;
  rules: StageRules;
  ruleFile: RuleFile;
  params: Readonly<Record<string, unknown>>;
  /** Rule name (and `default`) → where it is written. */
  ruleLocations: ReadonlyMap<string, SourceLocation>;
  buildDocument(record: TaskRecord): TaskDocument;
  /** `on_error` with any `failAfter` override applied. */
  onError?: { pathway: string; afterAttempts: number };
}

export type TaskOutcome =
  /** Dry run: what would happen. */
  | 'planned'
  /** Every planned change was written (possibly none). */
  | 'applied'
  /** The rules failed for this task (it stays, or is routed by on_error). */
  | 'failed'
  /** A write failed: nothing after it was attempted for this task. */
  | 'write-failed'
  /** The task had already left the stage. */
  | 'stale';

export interface TaskEvent {
  stage: Stage;
  plan: TaskPlan;
  outcome: TaskOutcome;
  /** Failures so far, counting this one, for a failed task. */
  attempts?: number;
  commit?: TaskCommitOutcome;
}

export interface BatchEvent {
  stage: Stage;
  /** 0-based within the stage and pass. */
  index: number;
  tasks: number;
  committed: boolean;
  elapsedMs: number;
}

export interface RunCallbacks {
  onStageStart?(stage: Stage): void;
  onTask?(event: TaskEvent): void;
  onBatch?(event: BatchEvent): void;
  onStageDone?(summary: StageSummary): void;
  /** Stage-level trouble that did not stop the run: a failed listing, a rejected reload. */
  onDiagnostic?(diagnostic: Diagnostic): void;
  /** Watch mode: rule files reloaded (ok) or kept (not ok, with why). */
  onReload?(event: { ok: boolean; files: string[]; diagnostics: Diagnostic[] }): void;
  /** Watch mode: the project (workflow, ontology) changed between passes; the rules were re-checked against it. */
  onProjectChange?(event: ProjectChangeEvent): void;
  onPassDone?(summary: RunSummary): void;
}

export interface ProjectChangeEvent {
  projectHash: string;
  title: string;
  /** Stages the next passes run (titles), each resolved against the project as it is now. */
  running: string[];
  /** Stages skipped from now on because their rules no longer fit the project; empty when all fit. */
  skipped: string[];
  /** Why each stage is skipped, located where the rule files name what the project no longer has. */
  diagnostics: Diagnostic[];
}

/** Counts for one stage, or the run as a whole. */
export interface RunCounts {
  /** Tasks evaluated. */
  seen: number;
  /** Tasks with at least one change written (in a dry run: planned). */
  changed: number;
  /** Moves by pathway name. */
  moved: Record<string, number>;
  /** Evaluated without failing, and not moved. */
  leftInPlace: number;
  /** Rule failures and write failures. */
  failed: number;
  /** Had already left the stage when committed. */
  stale: number;
  /** Tasks matched per rule name (`default` for the stage default, `on_error` for failure routing). */
  rules: Record<string, number>;
}

export interface StageSummary extends RunCounts {
  stageUuid: string;
  stageTitle: string;
  file: string;
}

/** A rule failure with the task it happened to and how often that task has failed so far. */
export interface TaskFailureReport extends RuleFailure {
  stage: string;
  taskUuid: string;
  dataTitle: string;
  attempts: number;
}

export interface RunSummary extends RunCounts {
  runId: string;
  dryRun: boolean;
  /** Watch mode: passes until stopped. */
  watch: boolean;
  /** Stopped by the signal before the work was done. */
  interrupted: boolean;
  passes: number;
  elapsedMs: number;
  stages: StageSummary[];
  /** The first MAX_REPORTED_FAILURES failures (the counts cover all). */
  failures: TaskFailureReport[];
  /** Errors that stopped the run from starting (invalid rules) or a stage from finishing. */
  diagnostics: Diagnostic[];
}

export const MAX_REPORTED_FAILURES = 100;
