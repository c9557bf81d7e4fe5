/**
 * `$answer("…")` and `$objects("…")` name ontology entries. The names are only known to be
 * right once the project's ontology is at hand (validate --project, apply), so this check is
 * separate from compileRuleFile. Pure.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { Diagnostic } from '../diagnostics/index.js';
import { diagnosticAt } from '../diagnostics/index.js';
import { findClassification, findObject, nestedAttributes } from '../labels/read.js';
import type { Ontology } from '../model/index.js';
import type { ExpressionSource, RuleFile } from '../rules/types.js';
import type { AstNode } from './ast.js';
import { walkAst } from './ast.js';
import jsonata from 'jsonata';

export interface OntologyReference {
  kind: 'classification' | 'object';
  name: string;
  /** Offsets of the string literal in the expression text (quotes included). */
  start: number;
  end: number;
}

/** The literal names passed to `$answer` and `$objects` in one expression's AST. */
export function findOntologyReferences(ast: AstNode): OntologyReference[] {
  const references: OntologyReference[] = [];
  for (const { node } of walkAst(ast)) {
    if (node.type !== 'function' || node.procedure?.type !== 'variable') continue;
    const helper = node.procedure.value;
    const kind = helper === 'answer' ? 'classification' : helper === 'objects' ? 'object' : undefined;
    const argument = node.arguments?.[0];
    if (!kind || argument?.type !== 'string' || typeof argument.value !== 'string') continue;
    const end = argument.position ?? 0;
    references.push({ kind, name: argument.value, start: Math.max(end - argument.value.length - 2, 0), end });
  }
  return references;
}

/**
 * Every `$answer`/`$objects` name in the file that the ontology lacks, located at the
 * string, with the closest existing name as a hint. Expressions that do not parse are skipped
 * (compileRuleFile reports them).
 */
export function checkOntologyReferences(file: RuleFile, ontology: Ontology): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const source of expressionSourcesOf(file)) {
    let ast: AstNode;
    try {
      ast = jsonata(source.text).ast() as unknown as AstNode;
    } catch {
      continue;
    }
    for (const reference of findOntologyReferences(ast)) {
      const found = reference.kind === 'classification' ? findClassification(ontology, reference.name) : findObject(ontology, reference.name);
      if (found) continue;
      const names = [...new Set(reference.kind === 'classification' ? classificationNames(ontology) : ontology.objects.map((o) => o.name))];
      const best = names.length > 0 ? closest(reference.name, names) : undefined;
      const hint = best !== undefined && distance(best, reference.name) <= Math.max(2, Math.floor(reference.name.length / 3))
        ? `did you mean "${best}"?`
        : `the ontology has: ${names.join(', ') || 'none'}`;
      diagnostics.push(
        diagnosticAt(source.locate(reference.start), 'error', `rule/unknown-${reference.kind}`, `no ${reference.kind} "${reference.name}" in the project's ontology`, { hint }),
      );
    }
  }
  return diagnostics;
}

function classificationNames(ontology: Ontology): string[] {
  return ontology.classifications.flatMap((c) => c.attributes.flatMap((a) => [a.name, ...nestedAttributes(a).map((n) => n.name)]));
}

function expressionSourcesOf(file: RuleFile): ExpressionSource[] {
  const sources: ExpressionSource[] = [];
  for (const stage of file.stages) {
    const actionSets = [...stage.rules.map((r) => r.actions), ...(stage.default ? [stage.default] : [])];
    for (const rule of stage.rules) if (rule.when) sources.push(rule.when);
    for (const actions of actionSets) {
      if (actions.priority?.kind === 'expr') sources.push(actions.priority.expr);
      for (const action of actions.classify) if (action.kind === 'expr') sources.push(action.expr);
    }
  }
  return sources;
}
