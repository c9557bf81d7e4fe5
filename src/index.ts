/**
 * The library API: what a program needs to load, check, compile and run rules, take one task
 * through a stage (an editor agent, a queue worker), test rules, and talk to Encord or the
 * local store. Documented in docs/library.md; test/public-api.test.ts pins the names, so a
 * change here is a deliberate change to the package's contract. Everything else under src/ is
 * internal and may move.
 */

// Diagnostics: the one error type, its codes and its printed forms.
export {
  diagnosticAt,
  hasErrors,
  sortDiagnostics,
  formatDiagnosticsText,
  formatDiagnosticsJson,
  UNKNOWN_STAGE,
  NOT_AGENT_STAGE,
  UNKNOWN_PATHWAY,
  type Diagnostic,
  type Severity,
  type SourceLocation,
  type RelatedLocation,
} from './diagnostics/index.js';

// The model: projects, tasks, decisions and plans, and the stage and pathway lookups.
export { agentStages, findStage, findAgentStage, matchStages, findPathway } from './model/index.js';
export type {
  Project,
  Workflow,
  Stage,
  StageType,
  Pathway,
  Ontology,
  OntologyClassification,
  OntologyAttribute,
  OntologyOption,
  OntologyObject,
  AttributeType,
  AgentTask,
  TaskStatus,
  TaskRecord,
  LabelRow,
  LabelRowMetadata,
  DocumentNeeds,
  Decision,
  ClassificationDecision,
  OverriddenAction,
  AnswerValue,
  Change,
  RuleFailure,
  TaskPlan,
} from './model/index.js';

// Rule files: parse, load, check against a project; their validated types.
export {
  parseRuleFile,
  loadRuleFiles,
  readRuleFile,
  resolveParams,
  checkRuleFileAgainstProject,
  readRulesSchema,
  MAX_RULE_FILE_BYTES,
  type ParsedRuleFile,
  type LoadedRuleFiles,
  type LoadOptions,
  type ResolvedParams,
} from './rules/index.js';
export type {
  RuleFile,
  StageRules,
  Rule,
  Actions,
  PriorityAction,
  ClassifyAction,
  RouteAction,
  OnError,
  MatchMode,
  ParamSpec,
  ParamType,
  ExpressionSource,
} from './rules/types.js';

// Compiling and evaluating: stage handlers, single expressions, explanations.
export {
  compileRuleFile,
  compileExpression,
  evaluateExpression,
  buildTaskDocument,
  DEFAULT_GUARD_LIMITS,
  type CompileOptions,
  type CompiledExpression,
  type ExpressionResult,
  type GuardLimits,
  type StageHandler,
  type EvaluationContext,
  type TaskDocument,
  type Evaluation,
} from './compile/index.js';
export { explainStage, type StageTrace, type RuleTrace, type ClauseTrace, type FieldRead } from './compile/explain.js';

// Label rows: reading answers and objects, writing classification answers, Encord's format.
export { readAnswer, readObjects, findClassification, findObject, findOption, type ObjectInstance } from './labels/read.js';
export { writeClassificationAnswer, readClassificationAnswer, isSameAnswer, type LabelWriteEnv, type LabelWriteResult } from './labels/write.js';
export { formatRowDate, createEmptyLabelRow } from './labels/label-row.js';

// One task through its stage, the path every entry point shares.
export { prepareStages, buildPreparedStage, type PreparedRules, type PrepareOptions } from './runner/prepare.js';
export { planTaskRecord, type TaskPathEnv, type PlannedTask } from './runner/plan-task-record.js';
export { planCommit } from './runner/plan.js';

// Runs: apply rule files to a project's stages, and how a run reports.
export { runRules } from './run-rules.js';
export { runRuleFiles } from './runner/run.js';
export { formatPlanLine, formatSummaryText, toPlanJson } from './runner/format.js';
export type { AuditEntry } from './runner/audit-log.js';
export {
  DEFAULT_BATCH_SIZE,
  DEFAULT_CONCURRENCY,
  type RunOptions,
  type RunSettings,
  type RuleFileSet,
  type RuleFileLoader,
  type RunCallbacks,
  type RunSummary,
  type RunCounts,
  type StageSummary,
  type TaskEvent,
  type TaskOutcome,
  type BatchEvent,
  type TaskFailureReport,
  type PreparedStage,
  type ProjectChangeEvent,
} from './runner/types.js';

// Backends: the interface, Encord, the local SQLite store, and a run's state outside itself.
export { BackendError, type Backend, type TaskCommit, type CommitBatch, type TaskCommitOutcome, type TaskPage, type TaskFilter } from './backends/backend.js';
export {
  EncordBackend,
  EncordApiError,
  createEncordBackendFromEnv,
  loadEncordCredentials,
  parseOpenSshPrivateKey,
  type EncordHttpOptions,
  type EncordCredentials,
} from './backends/encord/index.js';
export {
  openSqliteStore,
  openSqliteBackend,
  SqliteStore,
  SqliteBackend,
  writeProjectExport,
  type ProjectSummary,
  type StageCount,
  type TaskSummary,
  type TaskInput,
} from './backends/sqlite/index.js';
export { createMemoryAttemptStore, AuditLogError, AUDIT_LOG_FAILED, type AttemptStore, type AttemptScope, type AuditSink } from './backends/run-state.js';
export { openAttemptStore } from './backends/sqlite/attempt-store.js';
export { openAuditLog } from './backends/audit-log-file.js';

// Testing rules: run `*.test.yaml` files, report and measure coverage.
export { runTests, type TestRun, type TestRunOptions } from './rule-tests/run-tests.js';
export { parseTestFile } from './rule-tests/parse-test-file.js';
export { formatResultsText, formatResultsJson, formatResultsJunit, summarizeResults, type TestSummary } from './rule-tests/report.js';
export { resolveCoverage, formatCoverageText, type CoverageReport } from './rule-tests/coverage.js';
export type { TestFile, TestCase, Expectation, CaseResult, FileResult, FieldMismatch } from './rule-tests/types.js';

// The demo project: a seeded, deterministic Encord-shaped project for trying rules and for tests.
export {
  generateDemoProject,
  buildDemoProject,
  type DemoProject,
  type DemoTask,
  type DemoOptions,
} from './demo/index.js';
