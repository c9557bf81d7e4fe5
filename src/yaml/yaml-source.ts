/**
 * YAML text → a document with positions (yaml's CST-backed nodes and a LineCounter),
 * plus the YAML-level diagnostics: syntax errors, duplicate keys, forbidden keys and
 * alias bombs. Everything later (schema, conversion, checks) asks this for positions.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
  type YAMLError,
} from 'yaml';
import { diagnosticAt, type Diagnostic, type SourceLocation } from '../diagnostics/index.js';
import { positionAfter } from './source-text.js';

/**
 * How much alias expansion a file may ask for (yaml's `maxAliasCount`): enough for
 * anchors that share actions between rules, far too little for a "billion laughs" file.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Deepest flow nesting (`[[[…`, `{{{…`) we hand to the parser. Rule files nest a few
 * levels; thousands of levels exhaust the parser's stack and bury the user in errors.
 */
export const MAX_FLOW_DEPTH = 100;

/** Keys that could reach an object's prototype if a consumer assigned them naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** YAML problems after which the document still means what it says, so the schema checks run. */
const RECOVERABLE_YAML_CODES = new Set(['MULTIPLE_DOCS', 'TAG_RESOLVE_FAILED', 'KEY_OVER_1024_CHARS']);

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export interface ParsedYaml {
  source: YamlSource;
  diagnostics: Diagnostic[];
  /** The document as plain data for the schema; absent when it cannot be trusted to mean anything. */
  value?: unknown;
}

/** Parses YAML text keeping every node's range; pure. Reports every YAML problem found. */
export function parseYamlSource(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const tooDeep = findExcessiveNesting(text);
  if (tooDeep !== undefined) {
    const source: YamlSource = { file, text, doc: parseDocument('', { lineCounter }), lineCounter };
    const message = `collections nest more than ${MAX_FLOW_DEPTH} levels deep`;
    const at = { file, ...positionAfter(text.slice(0, tooDeep)) };
    return { source, diagnostics: [diagnosticAt(at, 'error', 'yaml/too-deep', message, { hint: 'Rule files need only a few levels of nesting.' })] };
  }
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    keepSourceTokens: true,
    uniqueKeys: false,
    strict: true,
    version: '1.2',
    schema: 'core',
  });
  const source: YamlSource = { file, text, doc, lineCounter };
  const diagnostics = [
    ...doc.errors.map((e) => yamlErrorDiagnostic(source, e, 'error')),
    ...doc.warnings.map((e) => yamlErrorDiagnostic(source, e, 'warning')),
  ];
  if (doc.contents === null) {
    diagnostics.push(diagnosticAt({ file, line: 1, col: 1 }, 'error', 'yaml/empty-file', 'file has no YAML content, only comments', { hint: 'Start with `version: 1` and a `stages:` map.' }));
    return { source, diagnostics };
  }
  const keyProblems = findKeyProblems(source);
  diagnostics.push(...keyProblems);
  const recoverable = doc.errors.every((e) => RECOVERABLE_YAML_CODES.has(e.code)) && keyProblems.every((d) => d.code === 'yaml/duplicate-key');
  if (!recoverable) return { source, diagnostics };
  const plain = toPlainValue(source);
  if ('diagnostic' in plain) return { source, diagnostics: [...diagnostics, plain.diagnostic] };
  return { source, diagnostics, value: plain.value };
}

/** A line opening more than MAX_FLOW_DEPTH compact collections: `- - - - …`. */
const COMPACT_NESTING = new RegExp(`^[ \\t]*(?:[-?][ \\t]+){${MAX_FLOW_DEPTH + 1}}`, 'm');

/**
 * The offset where `[`/`{` nesting (or `- - -` compact nesting) first passes
 * MAX_FLOW_DEPTH, ignoring quoting: an over-estimate only for strings holding ~100
 * unclosed brackets, which no rule needs.
 */
function findExcessiveNesting(text: string): number | undefined {
  const compact = COMPACT_NESTING.exec(text);
  if (compact) return compact.index + compact[0].length;
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5b || ch === 0x7b) {
      depth += 1;
      if (depth > MAX_FLOW_DEPTH) return i;
    } else if ((ch === 0x5d || ch === 0x7d) && depth > 0) depth -= 1;
  }
  return undefined;
}

/** `DUPLICATE_KEY` → `yaml/duplicate-key`. */
export function yamlCode(code: string): string {
  return `yaml/${code.toLowerCase().replace(/_/g, '-')}`;
}

function yamlErrorDiagnostic(source: YamlSource, error: YAMLError, severity: 'error' | 'warning'): Diagnostic {
  const loc = rangeLocation(source, error.pos[0], error.pos[1]);
  return diagnosticAt(loc, severity, yamlCode(error.code), firstLine(error.message));
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * Keys that are not plain strings, that name a prototype property, or that repeat in
 * their mapping. (yaml's own `uniqueKeys` check compares every pair with every other,
 * which takes minutes on a large file; a Set per mapping takes milliseconds.)
 */
function findKeyProblems(source: YamlSource): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(source.doc, {
    Map(_, map) {
      const first = new Map<string, Node>();
      for (const pair of map.items) {
        const key = pair.key as Node | null;
        if (key === null || isAlias(key)) continue;
        if (!isScalar(key)) {
          found.push(diagnosticAt(nodeLocation(source, key), 'error', 'yaml/complex-key', 'mapping keys must be plain strings', { hint: 'Write the key as a plain or quoted string.' }));
          continue;
        }
        const name = String(key.value);
        if (FORBIDDEN_KEYS.has(name)) {
          found.push(diagnosticAt(nodeLocation(source, key), 'error', 'yaml/forbidden-key', `the key "${name}" is not allowed anywhere in a rule file`, { hint: 'Rename it: `__proto__`, `constructor` and `prototype` are reserved.' }));
        }
        const earlier = first.get(name);
        if (earlier) found.push(duplicateKey(source, name, key, earlier));
        else first.set(name, key);
      }
    },
  });
  return found;
}

function duplicateKey(source: YamlSource, name: string, key: Node, earlier: Node): Diagnostic {
  const at = nodeLocation(source, earlier);
  return diagnosticAt(nodeLocation(source, key), 'error', 'yaml/duplicate-key', `the key "${name}" appears twice in this mapping`, {
    hint: 'Each key may appear once in a mapping; remove or rename one.',
    related: [{ file: at.file, line: at.line, col: at.col, message: `first "${name}"` }],
  });
}

function toPlainValue(source: YamlSource): { value: unknown } | { diagnostic: Diagnostic } {
  try {
    return { value: source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    const alias = firstAlias(source.doc);
    const loc = alias ? nodeLocation(source, alias) : { file: source.file, line: 1, col: 1 };
    const message = error instanceof Error ? error.message : String(error);
    return {
      diagnostic: diagnosticAt(loc, 'error', 'yaml/alias-limit', `aliases expand too far (${message})`, {
        hint: `Aliases may expand to at most ${MAX_ALIAS_COUNT} nodes; write the repeated parts out, or share fewer.`,
      }),
    };
  }
}

function firstAlias(doc: Document.Parsed): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/** Follows an alias to its anchored node; other nodes are returned as they are. */
export function resolveNode(source: YamlSource, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(source.doc) ?? undefined;
  if (isMap(node) || isSeq(node) || isScalar(node)) return node;
  return undefined;
}

/** A 1-based place from a character offset in the text. */
export function offsetLocation(source: YamlSource, offset: number): SourceLocation {
  const { line, col } = source.lineCounter.linePos(offset);
  // linePos reports line 0 before the first line break has been seen.
  return line === 0 ? { file: source.file, line: 1, col: offset + 1 } : { file: source.file, line, col };
}

export function rangeLocation(source: YamlSource, start: number, end: number): SourceLocation {
  const from = offsetLocation(source, start);
  const to = offsetLocation(source, Math.max(start, end));
  return { ...from, endLine: to.line, endCol: to.col };
}

/** Where a node is written: from its first character to the end of its value. */
export function nodeLocation(source: YamlSource, node: Node): SourceLocation {
  const range = node.range;
  if (!range) return { file: source.file, line: 1, col: 1 };
  return rangeLocation(source, range[0], range[1]);
}
