/**
 * The audit log's lines: one JSON line per change the backend confirmed. Built purely here;
 * an AuditSink (backends/run-state.ts; the file one is backends/audit-log-file.ts) writes them.
 */
import type { TaskCommitOutcome } from '../backends/backend.js';
import type { AnswerValue, Change, TaskPlan } from '../model/index.js';

/** What every line of a batch shares. */
export interface AuditContext {
  time: string;
  runId: string;
  project: string;
  /** The rule file, and the sha256 of the bytes that were run. */
  file: string;
  sha256: string;
  stage: { uuid: string; title: string };
}

/** One line of the audit log: one confirmed change. */
export interface AuditEntry extends AuditContext {
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

/** The entries for the changes `outcome` confirms were written. Pure. */
export function planAuditEntries(context: AuditContext, plan: TaskPlan, outcome: TaskCommitOutcome): AuditEntry[] {
  const text = formatAuditText(createAuditPrefix(context), plan, outcome);
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as AuditEntry);
}

/** What every line of a batch shares, serialised once per batch. */
export interface AuditPrefix {
  /** The context's JSON without its closing brace. */
  json: string;
  /** The stage title as JSON: a route's `before`. */
  stageTitle: string;
}

export function createAuditPrefix(context: AuditContext): AuditPrefix {
  return { json: JSON.stringify(context).slice(0, -1), stageTitle: JSON.stringify(context.stage.title) };
}

/** The JSON lines, newline-terminated, for the confirmed changes of one task (AuditEntry shape). */
export function formatAuditText(prefix: AuditPrefix, plan: TaskPlan, outcome: TaskCommitOutcome): string {
  const lines = new AuditLines(prefix, 'text');
  lines.add(plan, outcome);
  return lines.toText();
}

/**
 * One batch's audit lines. The hot path of a large run (two lines of ~500 bytes per task): the
 * fields every line shares are serialised once per batch and, as bytes, encoded once and
 * copied, so only each line's own fields are encoded; the sink then writes the bytes as they are.
 */
const LINE_OWN_BYTES = 320;

export class AuditLines {
  private text = '';
  private bytes: Buffer | undefined;
  private length = 0;
  private readonly prefixBytes: Buffer | undefined;

  /** `expectedLines`: sizes the byte buffer once (a line's own fields are ~250 bytes). */
  constructor(
    private readonly prefix: AuditPrefix,
    as: 'text' | 'bytes',
    expectedLines = 64,
  ) {
    if (as === 'bytes') {
      this.prefixBytes = Buffer.from(prefix.json);
      this.bytes = Buffer.allocUnsafe(Math.max(1, expectedLines) * (this.prefixBytes.length + LINE_OWN_BYTES));
    }
  }

  /** Adds a line for each change of `plan` that `outcome` confirms. */
  add(plan: TaskPlan, outcome: TaskCommitOutcome): void {
    // The task's fields, shared by its lines (a run's common plan has two changes).
    let task: string | undefined;
    for (const change of plan.changes) {
      if (!isConfirmed(change, outcome)) continue;
      task ??= `,"taskUuid":${JSON.stringify(plan.taskUuid)},"dataHash":${JSON.stringify(plan.dataHash)},"dataTitle":${JSON.stringify(plan.dataTitle)}`;
      this.append(`,"rule":${JSON.stringify(change.rule)}${task}${formatChange(this.prefix, change)}}\n`);
    }
  }

  get isEmpty(): boolean {
    return this.text === '' && this.length === 0;
  }

  toText(): string {
    return this.bytes ? this.bytes.toString('utf8', 0, this.length) : this.text;
  }

  toBytes(): Buffer {
    return this.bytes ? this.bytes.subarray(0, this.length) : Buffer.from(this.text);
  }

  /** One line: the shared prefix, then `rest` (its own fields and the closing brace). */
  private append(rest: string): void {
    if (!this.bytes || !this.prefixBytes) {
      this.text += this.prefix.json + rest;
      return;
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const needed = this.length + this.prefixBytes.length + rest.length * 3;
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.length += this.prefixBytes.copy(this.bytes, this.length);
    this.length += this.bytes.write(rest, this.length);
  }
}

function formatChange(prefix: AuditPrefix, change: Change): string {
  if (change.kind === 'set-priority') {
    return `,"change":"set-priority","before":${JSON.stringify(change.before)},"after":${JSON.stringify(change.after)}`;
  }
  if (change.kind === 'set-answer') {
    return `,"change":"set-answer","classification":${JSON.stringify(change.classification)},"before":${JSON.stringify(change.before)},"after":${JSON.stringify(change.after)}`;
  }
  return `,"change":"route","before":${prefix.stageTitle},"after":${JSON.stringify(change.pathway.name)},"pathwayUuid":${JSON.stringify(change.pathway.uuid)}`;
}

function isConfirmed(change: Change, outcome: TaskCommitOutcome): boolean {
  if (change.kind === 'set-priority') return outcome.prioritySet;
  if (change.kind === 'set-answer') return outcome.labelsSaved;
  return outcome.moved;
}
