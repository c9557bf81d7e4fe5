/**
 * Finds YAML nodes by JSON-pointer path (ajv's `instancePath`), following aliases, so a
 * schema error can be reported where the offending text is written.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { resolveNode, type YamlSource } from './yaml-source.js';

/** `/stages/pre~1label/rules/0` → `['stages', 'pre/label', 'rules', '0']`. */
export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The key as the plain data sees it (`1` and `"1"` are the same key there). */
export function keyName(pair: Pair): string | undefined {
  const key = pair.key as unknown;
  if (isScalar(key)) return String(key.value);
  return undefined;
}

type PairIndex = Map<string, Pair<Node, Node | null>>;

/** Key → pair per mapping, built on first lookup: error mapping looks up many keys in one mapping. */
const pairIndexes = new WeakMap<object, PairIndex>();

/** The pair for `key` in a mapping; the last one wins, as in the plain data. */
export function findPair(source: YamlSource, map: Node | undefined, key: string): Pair<Node, Node | null> | undefined {
  const resolved = resolveNode(source, map);
  if (!isMap(resolved)) return undefined;
  let index = pairIndexes.get(resolved);
  if (!index) {
    index = new Map();
    for (const pair of resolved.items as Pair<Node, Node | null>[]) {
      const name = keyName(pair);
      if (name !== undefined) index.set(name, pair);
    }
    pairIndexes.set(resolved, index);
  }
  return index.get(key);
}

export interface NodeAtPath {
  /** The deepest node on the path that exists (the document's root at worst). */
  node: Node;
  /** Its key, when the node is a mapping value. */
  key?: Node;
  /** True when the whole path was found. */
  exact: boolean;
}

/** Walks `segments` from the document root; stops at the deepest node that exists. */
export function findNodeAtPath(source: YamlSource, segments: readonly string[]): NodeAtPath | undefined {
  const root = resolveNode(source, source.doc.contents);
  if (!root) return undefined;
  let current: NodeAtPath = { node: root, exact: true };
  for (const segment of segments) {
    const next = stepInto(source, current.node, segment);
    if (!next) return { ...current, exact: false };
    current = next;
  }
  return current;
}

function stepInto(source: YamlSource, node: Node, segment: string): NodeAtPath | undefined {
  if (isSeq(node)) {
    const item = resolveNode(source, node.items[Number(segment)]);
    return item ? { node: item, exact: true } : undefined;
  }
  const pair = findPair(source, node, segment);
  if (!pair) return undefined;
  const value = resolveNode(source, pair.value);
  // `key:` with nothing after it: point at the key, the only text there is.
  if (!value || !value.range || value.range[0] === value.range[1]) return { node: pair.key, key: pair.key, exact: true };
  return { node: value, key: pair.key, exact: true };
}
