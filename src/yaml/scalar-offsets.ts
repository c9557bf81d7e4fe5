/**
 * Maps each character of a YAML string scalar's value back to its offset in the file,
 * through quoting, escapes, line folding and block scalars. compile/ uses this (through
 * ExpressionSource.locate) to put a JSONata error under the character that caused it.
 *
 * The mapping replays YAML 1.2's rules (spec §6.5 line folding, §7.3 flow scalars, §8.1
 * block scalars) and is then checked against the value the yaml package parsed: when
 * the two differ (an exotic case the replay does not cover), there is no mapping and
 * callers fall back to the scalar's start rather than point at the wrong place.
 */
import type { Scalar } from 'yaml';

/** For each index of the value, its offset in the file; one extra entry for "just after the end". */
export type OffsetMap = readonly number[];

/** The map for a string scalar, or undefined when it cannot be exact; pure. */
export function mapScalarOffsets(text: string, scalar: Scalar): OffsetMap | undefined {
  if (typeof scalar.value !== 'string' || !scalar.range) return undefined;
  const [start, end] = scalar.range;
  let built: Built | undefined;
  switch (scalar.type) {
    case 'PLAIN':
      built = replayFlow(text, start, end, 'plain');
      break;
    case 'QUOTE_SINGLE':
      built = replayFlow(text, start + 1, end - 1, 'single');
      break;
    case 'QUOTE_DOUBLE':
      built = replayFlow(text, start + 1, end - 1, 'double');
      break;
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      built = replayBlock(text, start, end, scalar.type === 'BLOCK_FOLDED', blockBaseIndent(scalar));
      break;
    default:
      return undefined;
  }
  return built ? verified(built, scalar.value) : undefined;
}

interface Built {
  value: string;
  offsets: number[];
  /** Where "just after the last character" is in the file. */
  end: number;
}

/** Accepts the replay only if it produced the parsed value; trailing newlines from chomping map to the end. */
function verified(built: Built, value: string): OffsetMap | undefined {
  if (built.value === value) return [...built.offsets, built.end];
  const rest = value.slice(built.value.length);
  if (!value.startsWith(built.value) || !/^[\n ]*$/.test(rest)) return undefined;
  return [...built.offsets, ...Array.from(rest, () => built.end), built.end];
}

class Output {
  readonly chars: string[] = [];
  readonly offsets: number[] = [];
  /** Whitespace written literally (not escaped): line folding trims it before a break. */
  private readonly trimmable: boolean[] = [];

  push(ch: string, offset: number, trimmable = false): void {
    this.chars.push(ch);
    this.offsets.push(offset);
    this.trimmable.push(trimmable);
  }

  trimTrailingWhitespace(): void {
    while (this.trimmable[this.trimmable.length - 1]) {
      this.chars.pop();
      this.offsets.pop();
      this.trimmable.pop();
    }
  }

  build(end: number): Built {
    return { value: this.chars.join(''), offsets: [...this.offsets], end };
  }
}

type FlowStyle = 'plain' | 'single' | 'double';

function isBreak(text: string, i: number): boolean {
  return text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n');
}

function breakLength(text: string, i: number): number {
  return text[i] === '\r' ? 2 : 1;
}

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** Plain, single- and double-quoted scalars: the characters in [from, to). */
function replayFlow(text: string, from: number, to: number, style: FlowStyle): Built {
  const out = new Output();
  let i = from;
  while (i < to) {
    const ch = text[i] ?? '';
    if (isBreak(text, i)) {
      out.trimTrailingWhitespace();
      i = foldBreak(text, i, to, out, false);
    } else if (style === 'single' && ch === "'" && text[i + 1] === "'") {
      out.push("'", i);
      i += 2;
    } else if (style === 'double' && ch === '\\') {
      i = replayEscape(text, i, to, out);
    } else {
      out.push(ch, i, isBlank(ch));
      i += 1;
    }
  }
  return out.build(to);
}

/**
 * A line break inside a flow scalar, with the empty lines after it: one break folds to a
 * space, n empty lines to n newlines; an escaped break (`\` at line end) to nothing.
 * Leading blanks of the next line are dropped. Returns the next offset to read.
 */
function foldBreak(text: string, at: number, to: number, out: Output, escaped: boolean): number {
  let i = at + breakLength(text, at);
  let emptyLines = 0;
  for (;;) {
    while (i < to && isBlank(text[i])) i += 1;
    if (i < to && isBreak(text, i)) {
      emptyLines += 1;
      i += breakLength(text, i);
    } else break;
  }
  if (emptyLines === 0 && !escaped) out.push(' ', at);
  for (let n = 0; n < emptyLines; n += 1) out.push('\n', at);
  return i;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** A backslash escape in a double-quoted scalar; every character it yields maps to the backslash. */
function replayEscape(text: string, at: number, to: number, out: Output): number {
  const next = text[at + 1] ?? '';
  if (isBreak(text, at + 1)) return foldBreak(text, at + 1, to, out, true);
  const simple = SIMPLE_ESCAPES[next];
  if (simple !== undefined) {
    out.push(simple, at);
    return at + 2;
  }
  const length = HEX_ESCAPE_LENGTH[next];
  if (length !== undefined) {
    const code = Number.parseInt(text.slice(at + 2, at + 2 + length), 16);
    for (const unit of String.fromCodePoint(Number.isFinite(code) ? code : 0xfffd).split('')) out.push(unit, at);
    return at + 2 + length;
  }
  // Not a YAML escape (the parser has reported it); keep going so the rest still maps.
  out.push(next, at);
  return at + 2;
}

/** The indentation a block scalar's explicit indentation indicator is relative to. */
function blockBaseIndent(scalar: Scalar): number | undefined {
  const token = scalar.srcToken as { indent?: unknown } | undefined;
  return typeof token?.indent === 'number' ? token.indent : undefined;
}

interface BlockLine {
  /** Offset of the line's first character. */
  start: number;
  /** The line without its break (and without a trailing \r). */
  content: string;
  /** Offset of the line's break (or of the block's end). */
  breakAt: number;
}

/** `|` and `>` scalars: [start, end) runs from the header to the end of the last line. */
function replayBlock(text: string, start: number, end: number, folded: boolean, baseIndent: number | undefined): Built | undefined {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return { value: '', offsets: [], end };
  const indicator = /^[|>]([1-9+-]*)/.exec(text.slice(start, headerEnd))?.[1] ?? '';
  const explicit = Number(indicator.replace(/[+-]/g, '')) || 0;
  const lines = splitBlockLines(text, headerEnd + 1, end);
  const lastContent = findLastIndex(lines, (l) => l.content.trim() !== '');
  if (lastContent < 0) return undefined;
  const indent = explicit > 0 ? (baseIndent === undefined ? undefined : baseIndent + explicit) : leadingSpaces(lines.find((l) => l.content.trim() !== '')?.content ?? '');
  if (indent === undefined) return undefined;
  const body = lines.slice(0, lastContent + 1);
  const out = new Output();
  if (folded) replayFoldedLines(body, indent, out);
  else replayLiteralLines(body, indent, out);
  const last = body[body.length - 1];
  return out.build(last ? last.breakAt : end);
}

function splitBlockLines(text: string, from: number, to: number): BlockLine[] {
  const lines: BlockLine[] = [];
  let start = from;
  while (start < to) {
    const newline = text.indexOf('\n', start);
    const breakAt = newline < 0 || newline >= to ? to : newline;
    let content = text.slice(start, breakAt);
    if (content.endsWith('\r')) content = content.slice(0, -1);
    lines.push({ start, content, breakAt: content.length < breakAt - start ? breakAt - 1 : breakAt });
    start = breakAt + 1;
  }
  return lines;
}

function leadingSpaces(line: string): number {
  return line.length - line.replace(/^ +/, '').length;
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i -= 1) if (test(items[i] as T)) return i;
  return -1;
}

function pushLine(line: BlockLine, indent: number, out: Output): void {
  const skip = Math.min(indent, line.content.length);
  for (let k = skip; k < line.content.length; k += 1) out.push(line.content[k] ?? '', line.start + k);
}

/** `|`: every line kept, less its indentation, joined by the breaks. */
function replayLiteralLines(lines: readonly BlockLine[], indent: number, out: Output): void {
  lines.forEach((line, n) => {
    if (n > 0) out.push('\n', lines[n - 1]?.breakAt ?? line.start);
    pushLine(line, indent, out);
  });
}

/**
 * `>`: a break between two ordinary lines folds to a space, or to n newlines across n
 * empty lines; lines indented further than the block (and the breaks around them) stay.
 */
function replayFoldedLines(lines: readonly BlockLine[], indent: number, out: Output): void {
  let previous: 'none' | 'text' | 'more' = 'none';
  let emptyBreaks: number[] = [];
  let lastBreak = lines[0]?.start ?? 0;
  for (const line of lines) {
    const body = line.content.slice(Math.min(indent, line.content.length));
    if (line.content.trim() === '') {
      emptyBreaks.push(line.breakAt);
      continue;
    }
    const kind = isBlank(body[0]) ? 'more' : 'text';
    if (previous === 'text' && kind === 'text') {
      if (emptyBreaks.length === 0) out.push(' ', lastBreak);
      for (const at of emptyBreaks) out.push('\n', at);
    } else if (previous !== 'none') {
      out.push('\n', lastBreak);
      for (const at of emptyBreaks) out.push('\n', at);
    } else {
      for (const at of emptyBreaks) out.push('\n', at);
    }
    pushLine(line, indent, out);
    previous = kind;
    emptyBreaks = [];
    lastBreak = line.breakAt;
  }
}
