/**
 * Semantic checks on a converted rule file: what the JSON Schema cannot say. Each check
 * is a small named assertion returning diagnostics; `runRuleFileChecks` runs them all.
 */
import { isScalar } from 'yaml';
import { diagnosticAt, type Diagnostic } from '../diagnostics/index.js';
import { findNodeAtPath } from '../yaml/node-path.js';
import { checkParamValue } from './params.js';
import type { Actions, Rule, RuleFile, StageRules } from './types.js';
import { nodeLocation, type YamlSource } from '../yaml/yaml-source.js';

export interface CheckInput {
  source: YamlSource;
  /** Possibly partial: parts the schema rejected are missing. */
  file: RuleFile;
}

export type RuleFileCheck = (input: CheckInput) => Diagnostic[];

export const SUPPORTED_VERSIONS: readonly number[] = [1];

export function checkVersionIsSupported({ source }: CheckInput): Diagnostic[] {
  const found = findNodeAtPath(source, ['version']);
  if (!found?.exact || !isScalar(found.node)) return [];
  const version = found.node.value;
  if (typeof version === 'number' && SUPPORTED_VERSIONS.includes(version)) return [];
  return [
    diagnosticAt(nodeLocation(source, found.node), 'error', 'rule/unsupported-version', `unsupported rule file version ${JSON.stringify(version)}`, {
      hint: `This encord-rules reads version ${SUPPORTED_VERSIONS.join(', ')}: write \`version: 1\`.`,
    }),
  ];
}

export function checkRuleNamesAreUnique({ file }: CheckInput): Diagnostic[] {
  return file.stages.flatMap((stage) => {
    const first = new Map<string, Rule>();
    const found: Diagnostic[] = [];
    for (const rule of stage.rules) {
      const earlier = first.get(rule.name);
      if (!earlier) {
        first.set(rule.name, rule);
        continue;
      }
      found.push(
        diagnosticAt(rule.loc, 'error', 'rule/duplicate-name', `stage "${stage.stage}" has two rules named "${rule.name}"`, {
          hint: 'Rule names identify rules in decisions and traces; rename one.',
          related: [{ ...pointOf(earlier), message: `first rule named "${rule.name}"` }],
        }),
      );
    }
    return found;
  });
}

/** A rule that always matches: no `when`, or `when` that is the literal `true`. */
export function isCatchAll(rule: Rule): boolean {
  return rule.when === undefined || rule.when.text.trim() === 'true';
}

export function checkNoRuleFollowsCatchAll({ file }: CheckInput): Diagnostic[] {
  return file.stages.flatMap((stage) => {
    const catchAll = stage.rules.find(isCatchAll);
    if (!catchAll) return [];
    const related = [{ ...pointOf(catchAll), message: `"${catchAll.name}" always matches` }];
    const after = stage.match === 'first' ? stage.rules.slice(stage.rules.indexOf(catchAll) + 1) : [];
    const found = after.map((rule) =>
      diagnosticAt(rule.loc, 'warning', 'rule/unreachable', `rule "${rule.name}" can never match: "${catchAll.name}" before it always matches (match: first)`, {
        hint: 'Move the catch-all rule last, give it a `when`, or use `match: all`.',
        related,
      }),
    );
    if (stage.default) {
      found.push(
        diagnosticAt(stage.default.loc, 'warning', 'rule/unreachable-default', `the default of stage "${stage.stage}" never applies: rule "${catchAll.name}" always matches`, {
          hint: 'Remove the default, or give the catch-all rule a `when`.',
          related,
        }),
      );
    }
    return found;
  });
}

export function checkPriorityIsInRange({ file }: CheckInput): Diagnostic[] {
  return file.stages.flatMap((stage) =>
    actionsOf(stage).flatMap(({ label, actions }) => {
      const priority = actions.priority;
      if (priority?.kind !== 'literal' || (priority.value >= 0 && priority.value <= 1)) return [];
      return [
        diagnosticAt(priority.loc, 'error', 'rule/priority-range', `priority ${priority.value} of ${label} is outside [0, 1]`, {
          hint: 'Encord priorities run from 0 (lowest) to 1 (highest), e.g. `priority: 0.8`.',
        }),
      ];
    }),
  );
}

export function checkParamSpecsAreConsistent({ file }: CheckInput): Diagnostic[] {
  return file.params.flatMap((spec) => {
    const found: Diagnostic[] = [];
    const at = (code: string, message: string, hint: string) => found.push(diagnosticAt(spec.loc, 'error', code, message, { hint }));
    if (spec.type === 'enum' && !spec.values) at('param/missing-values', `enum parameter "${spec.name}" has no \`values\``, 'List the allowed values: `values: [low, high]`.');
    if (spec.type !== 'enum' && spec.values) at('param/misplaced-field', `\`values\` only applies to enum parameters, and "${spec.name}" is a ${spec.type}`, 'Remove `values`, or make it `type: enum`.');
    if (spec.type !== 'number' && (spec.min !== undefined || spec.max !== undefined)) at('param/misplaced-field', `\`min\`/\`max\` only apply to number parameters, and "${spec.name}" is a ${spec.type}`, 'Remove them, or make it `type: number`.');
    if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) at('param/empty-range', `parameter "${spec.name}" has min ${spec.min} above max ${spec.max}`, 'Swap them.');
    const valueProblems = spec.default === undefined || found.length > 0 ? [] : checkParamValue(spec, spec.default);
    if (valueProblems.length > 0) at('param/invalid-default', `the default of parameter "${spec.name}" ${valueProblems.join('; ')}`, `It must be a valid ${spec.type}.`);
    return found;
  });
}

/** Every check, in the order their findings read best. */
export const RULE_FILE_CHECKS: readonly RuleFileCheck[] = [
  checkVersionIsSupported,
  checkParamSpecsAreConsistent,
  checkRuleNamesAreUnique,
  checkNoRuleFollowsCatchAll,
  checkPriorityIsInRange,
];

export function runRuleFileChecks(input: CheckInput): Diagnostic[] {
  return RULE_FILE_CHECKS.flatMap((check) => check(input));
}

/** Each rule's actions and the stage default's, with a label for messages. */
export function actionsOf(stage: StageRules): { label: string; actions: Actions }[] {
  const list = stage.rules.map((rule) => ({ label: `rule "${rule.name}"`, actions: rule.actions }));
  if (stage.default) list.push({ label: `the default of stage "${stage.stage}"`, actions: stage.default });
  return list;
}

function pointOf(rule: Rule): { file: string; line: number; col: number } {
  return { file: rule.loc.file, line: rule.loc.line, col: rule.loc.col };
}
