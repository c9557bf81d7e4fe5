/** The library API: load, compile and run rules from code. */
export * from './diagnostics/index.js';
export * from './model/index.js';
export type { Backend, TaskCommit, CommitBatch, TaskCommitOutcome, TaskPage, TaskFilter } from './backends/backend.js';
export { BackendError } from './backends/backend.js';
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
export {
  parseRuleFile,
  loadRuleFiles,
  readRuleFile,
  resolveParams,
  checkRuleFileAgainstProject,
  readRulesSchema,
  readRulesSchemaText,
  MAX_RULE_FILE_BYTES,
  type ParsedRuleFile,
  type LoadedRuleFiles,
  type ResolvedParams,
} from './rules/index.js';
export type { StageHandler, EvaluationContext, TaskDocument, Evaluation } from './compile/types.js';
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
} from './compile/index.js';
export { readAnswer, readObjects, findClassification, findObject, findOption, type ObjectInstance } from './labels/read.js';
export {
  EncordBackend,
  EncordApiError,
  createEncordBackendFromEnv,
  loadEncordCredentials,
  parseOpenSshPrivateKey,
  type EncordHttpOptions,
  type EncordCredentials,
} from './backends/encord/index.js';
export { runTests, type TestRun, type TestRunOptions } from './rule-tests/run-tests.js';
export { formatResultsText, formatResultsJson, formatResultsJunit, summarizeResults, type TestSummary } from './rule-tests/report.js';
export { resolveCoverage, formatCoverageText, type CoverageReport } from './rule-tests/coverage.js';
export { parseTestFile } from './rule-tests/parse-test-file.js';
export type { TestFile, TestCase, Expectation, CaseResult, FileResult, FieldMismatch } from './rule-tests/types.js';
export { splitClauses, type Clause, type ClauseSplit } from './compile/clauses.js';
export { explainStage, explainRule, type StageTrace, type RuleTrace, type ClauseTrace, type FieldRead } from './compile/explain.js';
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
export {
  generateDemoProject,
  streamDemoProject,
  streamDemoProjectInput,
  buildDemoProject,
  type DemoProject,
  type DemoTask,
  type DemoOptions,
} from './demo/index.js';
export { runRules } from './run-rules.js';
export { runRuleFiles } from './runner/run.js';
export { prepareStages, type PreparedRules, type PrepareOptions } from './runner/prepare.js';
export { planTask, planFailedTask, planOnErrorRoute, planCommit, resolveClassification, ON_ERROR_RULE, type PlanEnv } from './runner/plan.js';
export { formatChange, formatAnswer, formatPlanLine, formatFailure, formatSummaryText, toPlanJson } from './runner/format.js';
export { createMemoryAttemptStore, AuditLogError, AUDIT_LOG_FAILED, type AttemptStore, type AttemptScope, type AuditSink } from './backends/run-state.js';
export { openAttemptStore } from './backends/sqlite/attempt-store.js';
export { openAuditLog } from './backends/audit-log-file.js';
export { planAuditEntries, type AuditEntry } from './runner/audit-log.js';
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
export { writeClassificationAnswer, readClassificationAnswer, isSameAnswer, type LabelWriteEnv, type LabelWriteResult } from './labels/write.js';
export { formatRowDate, createEmptyLabelRow } from './labels/label-row.js';
