/**
 * Checks a rule file against a real project: its stages, pathways and ontology. Every
 * name the rules use must exist there, with "did you mean" and the valid names in hints.
 */
import { diagnosticAt, NOT_AGENT_STAGE, UNKNOWN_PATHWAY, UNKNOWN_STAGE, type Diagnostic, type SourceLocation } from '../diagnostics/index.js';
import { agentStages, findPathway, matchStages, type AnswerValue, type AttributeType, type OntologyAttribute, type Project, type Stage } from '../model/index.js';
import { actionsOf } from './checks.js';
import { describeChoices } from '../diagnostics/suggest.js';
import type { ClassifyAction, RuleFile, StageRules } from './types.js';

/** Every mismatch between the rule file and the project; pure. Stages that do not resolve are not checked further. */
export function checkRuleFileAgainstProject(file: RuleFile, project: Project): Diagnostic[] {
  const found: Diagnostic[] = [...checkProjectMatches(file, project)];
  const seen = new Map<string, StageRules>();
  for (const stageRules of file.stages) {
    const resolved = resolveStage(stageRules, project);
    if ('diagnostic' in resolved) {
      found.push(resolved.diagnostic);
      continue;
    }
    const earlier = seen.get(resolved.stage.uuid);
    if (earlier) found.push(duplicateStage(stageRules, earlier));
    else seen.set(resolved.stage.uuid, stageRules);
    found.push(...checkPathways(stageRules, resolved.stage), ...checkClassifications(stageRules, project));
  }
  return found;
}

function checkProjectMatches(file: RuleFile, project: Project): Diagnostic[] {
  if (file.project === undefined || file.project === project.projectHash) return [];
  return [
    diagnosticAt({ file: file.path, line: 1, col: 1 }, 'error', 'rule/project-mismatch', `this file is for project "${file.project}", not "${project.projectHash}" (${project.title})`, {
      hint: 'Check --project, or change `project:` in the file.',
    }),
  ];
}

function resolveStage(stageRules: StageRules, project: Project): { stage: Stage } | { diagnostic: Diagnostic } {
  const agentTitles = agentStages(project).map((s) => s.title);
  const matches = matchStages(project, stageRules.stage);
  const at = stageRules.loc;
  if (matches.length === 0) {
    const message = `project "${project.title}" has no stage "${stageRules.stage}"`;
    return { diagnostic: diagnosticAt(at, 'error', UNKNOWN_STAGE, message, { hint: describeChoices(stageRules.stage, agentTitles, 'Agent stages') }) };
  }
  const agents = matches.filter((s) => s.stageType === 'AGENT');
  if (agents.length === 0) {
    const stage = matches[0] as Stage;
    const message = `stage "${stageRules.stage}" is ${stage.stageType === 'ANNOTATION' ? 'an' : 'a'} ${stage.stageType} stage; rules run only on AGENT stages`;
    return { diagnostic: diagnosticAt(at, 'error', NOT_AGENT_STAGE, message, { hint: describeChoices(stageRules.stage, agentTitles, 'Agent stages') }) };
  }
  if (agents.length > 1) {
    const uuids = agents.map((s) => s.uuid).join(', ');
    return { diagnostic: diagnosticAt(at, 'error', 'rule/ambiguous-stage', `${agents.length} agent stages are titled "${stageRules.stage}"`, { hint: `Name the stage by uuid instead: ${uuids}.` }) };
  }
  return { stage: agents[0] as Stage };
}

function duplicateStage(stageRules: StageRules, earlier: StageRules): Diagnostic {
  return diagnosticAt(stageRules.loc, 'error', 'rule/duplicate-stage', `"${stageRules.stage}" and "${earlier.stage}" name the same stage`, {
    hint: 'Give each stage one entry (by title or by uuid, not both).',
    related: [{ file: earlier.loc.file, line: earlier.loc.line, col: earlier.loc.col, message: `"${earlier.stage}" is here` }],
  });
}

function checkPathways(stageRules: StageRules, stage: Stage): Diagnostic[] {
  const routes = actionsOf(stageRules).flatMap(({ actions }) => (actions.route ? [{ pathway: actions.route.pathway, loc: actions.route.loc }] : []));
  if (stageRules.onError) routes.push({ pathway: stageRules.onError.pathway, loc: stageRules.onError.loc });
  const names = stage.pathways.map((p) => p.name);
  return routes
    .filter((r) => !findPathway(stage, r.pathway))
    .map((r) =>
      diagnosticAt(r.loc, 'error', UNKNOWN_PATHWAY, `stage "${stage.title}" has no pathway "${r.pathway}"`, {
        hint: describeChoices(r.pathway, names, 'Pathways'),
      }),
    );
}

function checkClassifications(stageRules: StageRules, project: Project): Diagnostic[] {
  const classifications = project.ontology.classifications.filter((c) => c.attributes[0] !== undefined);
  const names = classifications.map((c) => (c.attributes[0] as OntologyAttribute).name);
  return actionsOf(stageRules).flatMap(({ actions }) =>
    actions.classify.flatMap((action) => {
      const match = classifications.find(
        (c) => c.featureNodeHash === action.classification || c.attributes[0]?.name === action.classification || c.attributes[0]?.featureNodeHash === action.classification,
      );
      if (!match) {
        const message = `the ontology has no classification "${action.classification}"`;
        return [diagnosticAt(action.loc, 'error', 'rule/unknown-classification', message, { hint: describeChoices(action.classification, names, 'Classifications') })];
      }
      return checkAnswer(action, match.attributes[0] as OntologyAttribute);
    }),
  );
}

function answerTypeOf(action: ClassifyAction): AttributeType {
  return action.kind === 'literal' ? action.answer.type : action.answerType;
}

function checkAnswer(action: ClassifyAction, attribute: OntologyAttribute): Diagnostic[] {
  const written = answerTypeOf(action);
  if (written !== attribute.type) {
    const message = `"${action.classification}" is a ${attribute.type} classification, but the rule gives a ${written} answer`;
    return [diagnosticAt(action.loc, 'error', 'rule/answer-type-mismatch', message, { hint: `Write \`${action.classification}: {${attribute.type}: ${exampleAnswer(attribute.type)}}\`.` })];
  }
  if (action.kind !== 'literal') return [];
  const labels = (attribute.options ?? []).filter((o) => !o.archived).map((o) => o.label);
  return optionLabels(action.answer)
    .filter((label) => !labels.includes(label))
    .map((label) => unknownOption(action.loc, action.classification, label, labels));
}

function optionLabels(answer: AnswerValue): string[] {
  if (answer.type === 'radio') return [answer.option];
  if (answer.type === 'checklist') return answer.options;
  return [];
}

function unknownOption(loc: SourceLocation, classification: string, label: string, labels: string[]): Diagnostic {
  return diagnosticAt(loc, 'error', 'rule/unknown-option', `classification "${classification}" has no option "${label}"`, {
    hint: describeChoices(label, labels, 'Options'),
  });
}

function exampleAnswer(type: AttributeType): string {
  switch (type) {
    case 'radio':
      return '<option label>';
    case 'checklist':
      return '[<option label>, …]';
    case 'text':
      return '<text>';
    case 'numeric':
      return '<number>';
  }
}
