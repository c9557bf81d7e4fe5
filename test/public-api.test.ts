/**
 * The package's public API (src/index.ts, documented in docs/library.md) is a contract: adding,
 * renaming or removing a name must be deliberate. This pins every exported name, values (as
 * the built module has them) and types (as src/index.ts lists them: every export is named,
 * never `export *`, so the list below is the whole API).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

const VALUES = [
  'AUDIT_LOG_FAILED', 'AuditLogError', 'BackendError', 'DEFAULT_BATCH_SIZE', 'DEFAULT_CONCURRENCY', 'DEFAULT_GUARD_LIMITS',
  'EncordApiError', 'EncordBackend', 'MAX_RULE_FILE_BYTES', 'NOT_AGENT_STAGE', 'SqliteBackend', 'SqliteStore',
  'UNKNOWN_PATHWAY', 'UNKNOWN_STAGE', 'agentStages', 'buildDemoProject', 'buildPreparedStage', 'buildTaskDocument',
  'checkRuleFileAgainstProject', 'compileExpression', 'compileRuleFile', 'createEmptyLabelRow', 'createEncordBackendFromEnv',
  'createMemoryAttemptStore', 'diagnosticAt', 'evaluateExpression', 'explainStage', 'findAgentStage', 'findClassification',
  'findObject', 'findOption', 'findPathway', 'findStage', 'formatCoverageText', 'formatDiagnosticsJson', 'formatDiagnosticsText',
  'formatPlanLine', 'formatResultsJson', 'formatResultsJunit', 'formatResultsText', 'formatRowDate', 'formatSummaryText',
  'generateDemoProject', 'hasErrors', 'isSameAnswer', 'loadEncordCredentials', 'loadRuleFiles', 'matchStages', 'openAttemptStore',
  'openAuditLog', 'openSqliteBackend', 'openSqliteStore', 'parseOpenSshPrivateKey', 'parseRuleFile', 'parseTestFile', 'planCommit',
  'planTaskRecord', 'prepareStages', 'readAnswer', 'readClassificationAnswer', 'readObjects', 'readRuleFile', 'readRulesSchema',
  'resolveCoverage', 'resolveParams', 'runRuleFiles', 'runRules', 'runTests', 'sortDiagnostics', 'summarizeResults', 'toPlanJson',
  'writeClassificationAnswer', 'writeProjectExport',
];

const TYPES = [
  'Actions', 'AgentTask', 'AnswerValue', 'AttemptScope', 'AttemptStore', 'AttributeType', 'AuditEntry', 'AuditSink', 'Backend',
  'BatchEvent', 'CaseResult', 'Change', 'ClassificationDecision', 'ClassifyAction', 'ClauseTrace', 'CommitBatch', 'CompileOptions',
  'CompiledExpression', 'CoverageReport', 'Decision', 'DemoOptions', 'DemoProject', 'DemoTask', 'Diagnostic', 'DocumentNeeds',
  'EncordCredentials', 'EncordHttpOptions', 'EvaluationContext', 'Evaluation', 'Expectation', 'ExpressionResult', 'ExpressionSource',
  'FieldMismatch', 'FieldRead', 'FileResult', 'GuardLimits', 'LabelRow', 'LabelRowMetadata', 'LabelWriteEnv', 'LabelWriteResult',
  'LoadOptions', 'LoadedRuleFiles', 'MatchMode', 'ObjectInstance', 'OnError', 'Ontology', 'OntologyAttribute', 'OntologyClassification',
  'OntologyObject', 'OntologyOption', 'OverriddenAction', 'ParamSpec', 'ParamType', 'ParsedRuleFile', 'Pathway', 'PlannedTask',
  'PrepareOptions', 'PreparedRules', 'PreparedStage', 'PriorityAction', 'Project', 'ProjectChangeEvent', 'ProjectSummary',
  'RelatedLocation', 'ResolvedParams', 'RouteAction', 'Rule', 'RuleFailure', 'RuleFile', 'RuleFileLoader', 'RuleFileSet', 'RuleTrace',
  'RunCallbacks', 'RunCounts', 'RunOptions', 'RunSettings', 'RunSummary', 'Severity', 'SourceLocation', 'Stage', 'StageCount',
  'StageHandler', 'StageRules', 'StageSummary', 'StageTrace', 'StageType', 'TaskCommit', 'TaskCommitOutcome', 'TaskDocument',
  'TaskEvent', 'TaskFailureReport', 'TaskFilter', 'TaskInput', 'TaskOutcome', 'TaskPage', 'TaskPathEnv', 'TaskPlan', 'TaskRecord',
  'TaskStatus', 'TaskSummary', 'TestCase', 'TestFile', 'TestRun', 'TestRunOptions', 'TestSummary', 'Workflow',
];

/** The type-only names src/index.ts exports: `type X` inside `export { … }`, and everything in `export type { … }`. */
function listTypeExports(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/^export (type )?\{([^}]*)\}/gm)) {
    for (const part of m[2]!.split(',').map((p) => p.trim()).filter(Boolean)) {
      if (m[1]) names.push(part);
      else if (part.startsWith('type ')) names.push(part.slice(5).trim());
    }
  }
  return names.sort();
}

describe('public API', () => {
  const text = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');

  it('names every export (no export *), so the lists below are the whole API', () => {
    expect(text).not.toMatch(/^export \*/m);
  });

  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([...VALUES].sort());
  });

  it('exports exactly these types', () => {
    expect(listTypeExports(text)).toEqual([...TYPES].sort());
  });
});
