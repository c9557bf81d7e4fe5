/**
 * The YAML document (already checked against the schema) → a RuleFile, keeping each
 * part's place in the file. Conversion is tolerant: a part of the wrong shape is left out
 * (the schema has reported it), so later stages can still check the rest of the file.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { AnswerValue, AttributeType } from '../model/index.js';
import { createExpressionSource } from '../yaml/expression-source.js';
import { keyName } from '../yaml/node-path.js';
import type { Actions, ClassifyAction, OnError, ParamSpec, ParamType, PriorityAction, RouteAction, Rule, RuleFile, StageRules } from './types.js';
import { MAX_ALIAS_COUNT, nodeLocation, resolveNode, type YamlSource } from '../yaml/yaml-source.js';

/**
 * The fields the converter reads, per object of the rule language. A test checks these
 * against the JSON Schema's `properties`, so the schema and the RuleFile type stay in step.
 */
export const RULE_FILE_FIELDS = {
  file: ['version', 'project', 'params', 'stages'],
  param: ['type', 'description', 'default', 'min', 'max', 'values'],
  stage: ['match', 'rules', 'default', 'on_error'],
  onError: ['route', 'after_attempts'],
  rule: ['name', 'description', 'when', 'priority', 'route', 'classify'],
  actions: ['priority', 'route', 'classify'],
  answer: ['radio', 'checklist', 'text', 'numeric'],
  expr: ['expr'],
} as const;

type Kind = keyof typeof RULE_FILE_FIELDS;
type FieldOf<K extends Kind> = (typeof RULE_FILE_FIELDS)[K][number];

const PARAM_TYPES: readonly ParamType[] = ['string', 'text', 'number', 'enum', 'boolean', 'string-array'];
const ANSWER_TYPES: readonly AttributeType[] = RULE_FILE_FIELDS.answer;
const DEFAULT_AFTER_ATTEMPTS = 3;

/** A mapping's fields, read by name (the last of duplicate keys wins, as in the plain data). */
class Fields<K extends Kind> {
  private readonly byName = new Map<string, Pair<Node, Node | null>>();

  constructor(
    readonly source: YamlSource,
    readonly node: Node,
    _kind: K,
  ) {
    const map = resolveNode(source, node);
    if (isMap(map)) for (const pair of map.items as Pair<Node, Node | null>[]) {
      const name = keyName(pair);
      if (name !== undefined) this.byName.set(name, pair);
    }
  }

  value(name: FieldOf<K>): Node | undefined {
    return resolveNode(this.source, this.byName.get(name)?.value);
  }

  key(name: FieldOf<K>): Node | undefined {
    return this.byName.get(name)?.key;
  }

  string(name: FieldOf<K>): string | undefined {
    const node = this.value(name);
    return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
  }

  number(name: FieldOf<K>): number | undefined {
    const node = this.value(name);
    return isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value) ? node.value : undefined;
  }
}

/** Pairs of a mapping node with their string keys, in file order. */
function entries(source: YamlSource, node: Node | undefined): { name: string; key: Node; value: Node | undefined }[] {
  const map = resolveNode(source, node);
  if (!isMap(map)) return [];
  return (map.items as Pair<Node, Node | null>[]).flatMap((pair) => {
    const name = keyName(pair);
    return name === undefined ? [] : [{ name, key: pair.key, value: resolveNode(source, pair.value) }];
  });
}

/** Converts the document to a RuleFile; pure. Undefined only when the root is not a mapping. */
export function convertRuleFile(source: YamlSource, sha256: string): RuleFile | undefined {
  const root = resolveNode(source, source.doc.contents);
  if (!isMap(root)) return undefined;
  const fields = new Fields(source, root, 'file');
  const file: RuleFile = {
    path: source.file,
    sha256,
    version: 1,
    params: entries(source, fields.value('params')).flatMap((e) => convertParam(source, e.name, e.key, e.value) ?? []),
    stages: entries(source, fields.value('stages')).flatMap((e) => convertStage(source, e.name, e.key, e.value) ?? []),
  };
  const project = fields.string('project');
  if (project !== undefined) file.project = project;
  return file;
}

function convertParam(source: YamlSource, name: string, key: Node, node: Node | undefined): ParamSpec | undefined {
  if (!node) return undefined;
  const fields = new Fields(source, node, 'param');
  const type = fields.string('type');
  if (!type || !(PARAM_TYPES as readonly string[]).includes(type)) return undefined;
  const spec: ParamSpec = { name, type: type as ParamType, loc: nodeLocation(source, key) };
  const description = fields.string('description');
  if (description !== undefined) spec.description = description;
  const defaultNode = fields.value('default');
  if (defaultNode) spec.default = defaultNode.toJS(source.doc, { maxAliasCount: MAX_ALIAS_COUNT });
  const min = fields.number('min');
  if (min !== undefined) spec.min = min;
  const max = fields.number('max');
  if (max !== undefined) spec.max = max;
  const values = stringList(source, fields.value('values'));
  if (values) spec.values = values;
  return spec;
}

function stringList(source: YamlSource, node: Node | undefined): string[] | undefined {
  if (!isSeq(node)) return undefined;
  const items = node.items.map((item) => resolveNode(source, item));
  if (!items.every((i) => isScalar(i) && typeof i.value === 'string')) return undefined;
  return items.map((i) => String((i as { value: unknown }).value));
}

function convertStage(source: YamlSource, stage: string, key: Node, node: Node | undefined): StageRules | undefined {
  if (!node || !isMap(node)) return undefined;
  const fields = new Fields(source, node, 'stage');
  const rulesNode = fields.value('rules');
  const rules = isSeq(rulesNode) ? rulesNode.items.flatMap((item) => convertRule(source, resolveNode(source, item)) ?? []) : [];
  const result: StageRules = {
    stage,
    loc: nodeLocation(source, key),
    match: fields.string('match') === 'all' ? 'all' : 'first',
    rules,
  };
  const defaultNode = fields.value('default');
  if (isMap(defaultNode)) result.default = { ...convertActions(new Fields(source, defaultNode, 'actions')), loc: nodeLocation(source, defaultNode) };
  const onError = convertOnError(source, fields.value('on_error'));
  if (onError) result.onError = onError;
  return result;
}

function convertOnError(source: YamlSource, node: Node | undefined): OnError | undefined {
  if (!isMap(node)) return undefined;
  const fields = new Fields(source, node, 'onError');
  const pathway = fields.string('route');
  if (pathway === undefined) return undefined;
  const attempts = fields.number('after_attempts');
  return {
    pathway,
    afterAttempts: attempts !== undefined && Number.isInteger(attempts) && attempts >= 1 ? attempts : DEFAULT_AFTER_ATTEMPTS,
    loc: nodeLocation(source, node),
  };
}

function convertRule(source: YamlSource, node: Node | undefined): Rule | undefined {
  if (!node || !isMap(node)) return undefined;
  const fields = new Fields(source, node, 'rule');
  const name = fields.string('name');
  if (name === undefined) return undefined;
  const rule: Rule = { name, loc: nodeLocation(source, node), actions: convertActions(fields) };
  const description = fields.string('description');
  if (description !== undefined) rule.description = description;
  const whenNode = fields.value('when');
  if (isScalar(whenNode) && ((typeof whenNode.value === 'string' && whenNode.value !== '') || typeof whenNode.value === 'boolean')) {
    rule.when = createExpressionSource(source, whenNode, String(whenNode.value));
  }
  return rule;
}

/** The action fields shared by rules and `default`. */
function convertActions(fields: Fields<'rule'> | Fields<'actions'>): Actions {
  const reader = fields as Fields<'actions'>;
  const source = reader.source;
  const actions: Actions = { classify: convertClassify(source, reader.value('classify')) };
  const priority = convertPriority(source, reader.value('priority'));
  if (priority) actions.priority = priority;
  const routeNode = reader.value('route');
  const pathway = reader.string('route');
  if (pathway !== undefined && routeNode) actions.route = { pathway, loc: nodeLocation(source, routeNode) } satisfies RouteAction;
  return actions;
}

function convertPriority(source: YamlSource, node: Node | undefined): PriorityAction | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'number' && Number.isFinite(node.value)) return { kind: 'literal', value: node.value, loc: nodeLocation(source, node) };
  if (typeof node.value === 'string' && node.value !== '') return { kind: 'expr', expr: createExpressionSource(source, node, node.value) };
  return undefined;
}

function convertClassify(source: YamlSource, node: Node | undefined): ClassifyAction[] {
  return entries(source, node).flatMap(({ name, key, value }): ClassifyAction[] => {
    if (!value) return [];
    const fields = new Fields(source, value, 'answer');
    const answerType = ANSWER_TYPES.find((t) => fields.value(t) !== undefined);
    if (!answerType) return [];
    const loc = nodeLocation(source, key);
    const answerNode = fields.value(answerType);
    const exprNode = isMap(answerNode) ? new Fields(source, answerNode, 'expr').value('expr') : undefined;
    if (isScalar(exprNode) && typeof exprNode.value === 'string' && exprNode.value !== '') {
      return [{ classification: name, loc, kind: 'expr', answerType, expr: createExpressionSource(source, exprNode, exprNode.value) }];
    }
    const answer = literalAnswer(source, answerType, answerNode);
    return answer ? [{ classification: name, loc, kind: 'literal', answer }] : [];
  });
}

function literalAnswer(source: YamlSource, type: AttributeType, node: Node | undefined): AnswerValue | undefined {
  const scalar = isScalar(node) ? node.value : undefined;
  switch (type) {
    case 'radio':
      return typeof scalar === 'string' ? { type, option: scalar } : undefined;
    case 'text':
      return typeof scalar === 'string' ? { type, text: scalar } : undefined;
    case 'numeric':
      return typeof scalar === 'number' && Number.isFinite(scalar) ? { type, value: scalar } : undefined;
    case 'checklist': {
      const options = stringList(source, node);
      return options ? { type, options } : undefined;
    }
  }
}
