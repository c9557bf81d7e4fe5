/**
 * Everything we can check about a rule file once the project is known: its stages, pathways
 * and classify targets (rules/), and the ontology names its expressions pass to `$answer` and
 * `$objects` (which needs the parsed JSONata, so it lives here). Pure.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Project } from '../model/index.js';
import { checkRuleFileAgainstProject } from '../rules/index.js';
import type { RuleFile } from '../rules/types.js';
import { checkOntologyReferences } from './ontology-references.js';

export function checkRulesAgainstProject(file: RuleFile, project: Project): Diagnostic[] {
  return [...checkRuleFileAgainstProject(file, project), ...checkOntologyReferences(file, project.ontology)];
}
