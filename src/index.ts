/** The library API: load, compile and run rules from code. */
export * from './diagnostics/index.js';
export * from './model/index.js';
export type { Backend, TaskCommit, CommitBatch, TaskCommitOutcome, TaskPage, TaskFilter } from './backends/backend.js';
export { BackendError } from './backends/backend.js';
export type { RuleFile } from './rules/types.js';
export type { StageHandler, EvaluationContext, TaskDocument, Evaluation } from './compile/types.js';
