/**
 * The audit log: one JSON line per change the backend confirmed, appended to a file
 * (default `.encord-rules/audit.jsonl`). Lines are built purely; only the sink writes.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TaskCommitOutcome } from '../backends/backend.js';
import type { AnswerValue, Change, TaskPlan } from '../model/index.js';

export interface AuditEntry {
  time: string;
  runId: string;
  project: string;
  /** The rule file, and the sha256 of the bytes that were run. */
  file: string;
  sha256: string;
  stage: { uuid: string; title: string };
  rule: string;
  taskUuid: string;
  dataHash: string;
  dataTitle: string;
  change: 'set-priority' | 'set-answer' | 'route';
  /** set-answer only. */
  classification?: string;
  before: number | AnswerValue | string | null;
  /** For a route: the pathway name (uuid in `pathwayUuid`). */
  after: number | AnswerValue | string;
  pathwayUuid?: string;
}

export interface AuditSink {
  /** Appends entries; called once per committed batch. */
  writeEntries(entries: readonly AuditEntry[]): void;
  close(): void;
}

export interface AuditContext {
  time: string;
  runId: string;
  project: string;
  file: string;
  sha256: string;
  stage: { uuid: string; title: string };
}

/** The entries for the changes `outcome` confirms were written. Pure. */
export function planAuditEntries(context: AuditContext, plan: TaskPlan, outcome: TaskCommitOutcome): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const change of plan.changes) {
    if (!isConfirmed(change, outcome)) continue;
    const base = { ...context, rule: change.rule, taskUuid: plan.taskUuid, dataHash: plan.dataHash, dataTitle: plan.dataTitle };
    if (change.kind === 'set-priority') {
      entries.push({ ...base, change: change.kind, before: change.before, after: change.after });
    } else if (change.kind === 'set-answer') {
      entries.push({ ...base, change: change.kind, classification: change.classification, before: change.before, after: change.after });
    } else {
      const after = change.pathway.name;
      entries.push({ ...base, change: change.kind, before: context.stage.title, after, pathwayUuid: change.pathway.uuid });
    }
  }
  return entries;
}

function isConfirmed(change: Change, outcome: TaskCommitOutcome): boolean {
  if (change.kind === 'set-priority') return outcome.prioritySet;
  if (change.kind === 'set-answer') return outcome.labelsSaved;
  return outcome.moved;
}

/** Appends to a JSONL file, one write per batch so a crash leaves whole lines. */
export function openAuditLog(path: string): AuditSink {
  mkdirSync(dirname(path), { recursive: true });
  return {
    writeEntries: (entries) => {
      if (entries.length === 0) return;
      let text = '';
      for (const entry of entries) text += JSON.stringify(entry) + '\n';
      appendFileSync(path, text);
    },
    close: () => undefined,
  };
}
