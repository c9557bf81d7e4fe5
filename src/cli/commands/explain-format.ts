/**
 * `explain` output: per rule, matched or not and why (each clause's value, nested and/or
 * chains clause by clause, and the fields it read, missing ones called out), then the decision and the changes it would
 * make. Pure: builds strings and JSON documents.
 */
import { formatClausePath } from '../../compile/clauses.js';
import type { ClauseTrace, FieldRead, RuleTrace, StageTrace } from '../../compile/explain.js';
import type { Change, Decision, RuleFailure, TaskPlan } from '../../model/index.js';
import { formatValue } from '../../rule-tests/report.js';

export interface Explanation {
  file: string;
  task: { uuid: string; dataHash: string; dataTitle: string };
  stage: { uuid: string; title: string };
  trace: StageTrace;
  /** Absent when the rules failed for this task. */
  decision?: Decision;
  plan?: TaskPlan;
  failure?: RuleFailure;
  /** Notes for the reader, e.g. "planned against the demo project". */
  notes: string[];
}

export function formatExplanationText(e: Explanation): string {
  const lines = [
    `Task ${e.task.uuid} "${e.task.dataTitle}" (data ${e.task.dataHash})`,
    `Stage "${e.stage.title}" — ${e.file}, match: ${e.trace.match}`,
    ...e.notes.map((n) => `note: ${n}`),
    '',
  ];
  const firstMatch = e.trace.rules.find((r) => r.reached && r.matched)?.rule;
  for (const rule of e.trace.rules) lines.push(...formatRuleTrace(rule, firstMatch));
  lines.push('', ...formatOutcome(e));
  return lines.join('\n');
}

function formatRuleTrace(rule: RuleTrace, firstMatch: string | undefined): string[] {
  const where = `${rule.loc.file}:${rule.loc.line}:${rule.loc.col}`;
  if (!rule.reached) {
    const verdict = rule.matched ? 'would match' : 'would not match';
    return [`- ${rule.rule} (${where}): not evaluated — match: first and "${firstMatch ?? 'an earlier rule'}" matched (it ${verdict})`];
  }
  const status = rule.when?.error ? '! FAILED' : rule.matched ? '✓ matched' : '✗ not matched';
  const lines = [`${status}  ${rule.rule} (${where})`];
  if (!rule.when) return [...lines, '    no `when`: always matches'];
  const when = rule.when;
  if (when.error) lines.push(`    error ${when.error.code}: ${when.error.message}`);
  if (when.clauses.length === 1) {
    const only = when.clauses[0]!;
    lines.push(`    when: ${oneLine(when.text)}  → ${describeResult(only)}`);
    lines.push(...only.reads.map((r) => `      ${formatRead(r)}`));
    return lines;
  }
  lines.push(`    when: ${when.clauses.length} clauses joined by ${when.operator} → ${when.error ? 'error' : String(when.truthy)}`);
  for (const clause of when.clauses) lines.push(...formatClause(clause, when.operator ?? 'and', [], 6, true));
  return lines;
}

/**
 * A clause as `2.1. text → value (line:col)`, then (indented under its text) why it was not
 * evaluated, the fields it read, or, for a nested chain, its own clauses.
 */
function formatClause(clause: ClauseTrace, operator: string, parent: readonly number[], indent: number, chainReached: boolean): string[] {
  const path = [...parent, clause.index];
  const label = `${formatClausePath(path)}. `;
  const head = `${' '.repeat(indent)}${label}${oneLine(clause.text)}  → ${describeResult(clause)}  (${clause.loc.line}:${clause.loc.col})`;
  const pad = ' '.repeat(indent + label.length + 2);
  // Say why only where the skip starts: the clauses of a skipped chain are skipped with it.
  const skipped = !clause.reached && chainReached ? [`${pad}not evaluated by JSONata: an earlier clause already decided the ${operator}`] : [];
  if (!clause.chain) return [head, ...skipped, ...clause.reads.map((r) => `${pad}${formatRead(r)}`)];
  const chain = clause.chain;
  const nested = chain.clauses.flatMap((c) => formatClause(c, chain.operator, path, indent + label.length + 2, clause.reached));
  return [head, ...skipped, `${pad}${chain.clauses.length} clauses joined by ${chain.operator}:`, ...nested];
}

function describeResult(clause: ClauseTrace): string {
  if (clause.error) return `error ${clause.error.code}: ${clause.error.message}`;
  const value = clause.value;
  if (typeof value === 'boolean') return String(value);
  if (value === undefined) return 'undefined (counts as false)';
  return `${formatValue(value)} (counts as ${String(clause.truthy)})`;
}

/** `task.status = "NEW"`, or MISSING with where the path stops. */
export function formatRead(read: FieldRead): string {
  if (!read.missing) return `${read.path} = ${JSON.stringify(read.value)}`;
  const stop = read.missingAt && read.missingAt !== read.path ? ` (the task has no "${read.missingAt}")` : '';
  return `${read.path} = MISSING${stop} — JSONata reads it as undefined, so a comparison with it is false`;
}

function formatOutcome(e: Explanation): string[] {
  if (e.failure) {
    const f = e.failure;
    return [`Failure: rule "${f.rule}" ${f.code}: ${f.message}`, `  at ${f.file}:${f.line}:${f.col}`, 'No changes: a failing task is left where it is (see on_error).'];
  }
  const lines: string[] = [];
  if (e.decision) lines.push(`Decision: ${formatDecision(e.decision)}`);
  const changes = e.plan?.changes ?? [];
  if (changes.length === 0) lines.push('Changes: none (everything decided is already in effect)');
  else lines.push('Changes:', ...changes.map((c) => `  ${formatChange(c)}`));
  if (!changes.some((c) => c.kind === 'route')) lines.push('The task stays in the stage.');
  return lines;
}

function formatDecision(d: Decision): string {
  const parts: string[] = [];
  parts.push(d.usedDefault ? 'no rule matched, default applies' : d.matchedRules.length > 0 ? `matched ${d.matchedRules.join(', ')}` : 'no rule matched, no default');
  if (d.priority) parts.push(`priority ${d.priority.value} (${d.priority.rule})`);
  for (const c of d.classifications) parts.push(`${c.classification} = ${formatValue(c.answer)} (${c.rule})`);
  if (d.route) parts.push(`route "${d.route.pathway}" (${d.route.rule})`);
  for (const o of d.overridden) parts.push(`${o.action}${o.target ? ` ${o.target}` : ''} of "${o.rule}" ignored: "${o.keptFrom}" set it first`);
  return parts.join('; ');
}

function formatChange(c: Change): string {
  switch (c.kind) {
    case 'set-priority':
      return `set priority ${c.before ?? 'none'} → ${c.after}  (${c.rule})`;
    case 'set-answer':
      return `set ${c.classification} ${formatValue(c.before)} → ${formatValue(c.after)}  (${c.rule})`;
    case 'route':
      return `route along "${c.pathway.name}" (${c.pathway.uuid})  (${c.rule})`;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The explanation as JSON; undefined values (missing fields) are kept as `missing: true`. */
export function formatExplanationJson(e: Explanation): string {
  // The edited label row is the whole row: too much to show, and not what was asked.
  const plan = e.plan ? { ...e.plan, labelRow: undefined } : undefined;
  return JSON.stringify({ ...e, plan }, null, 2);
}
