/**
 * The checks a rule file's bytes pass before YAML sees them: size, encoding, emptiness.
 * Each failure is one located diagnostic, so a bad file never reaches the parser.
 */
import { createHash } from 'node:crypto';
import { diagnosticAt, type Diagnostic } from '../diagnostics/index.js';

/**
 * Largest rule file we read: 1 MiB. Real rule files are a few KiB; the cap keeps a
 * mistaken path (a log, a dataset export) from costing seconds of parsing.
 */
export const MAX_RULE_FILE_BYTES = 1024 * 1024;

export type SourceText = { ok: true; text: string; sha256: string } | { ok: false; diagnostic: Diagnostic };

/**
 * Decodes a rule file's bytes as strict UTF-8 and hashes them; pure. A string is taken
 * as already decoded (it is hashed as its UTF-8 encoding).
 */
export function decodeRuleSource(file: string, input: string | Uint8Array): SourceText {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.length > MAX_RULE_FILE_BYTES) return { ok: false, diagnostic: fileTooLarge(file, bytes.length) };
  const text = typeof input === 'string' ? input : decodeUtf8(bytes);
  if (text === undefined) {
    const valid = validUtf8Prefix(bytes);
    const { line, col } = positionAfter(valid);
    return failure(file, line, col, 'yaml/binary-file', 'file is not valid UTF-8 text', 'Rule files must be UTF-8 encoded YAML.');
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const { line, col } = positionAfter(text.slice(0, nul));
    return failure(file, line, col, 'yaml/binary-file', 'file contains a NUL byte; it looks binary, not YAML', 'Rule files must be UTF-8 encoded YAML.');
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    return failure(file, 1, 1, 'yaml/empty-file', 'file is empty', 'Start with `version: 1` and a `stages:` map (see `encord-rules schema`).');
  }
  return { ok: true, text, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The diagnostic for a file over MAX_RULE_FILE_BYTES (also used by the loader, which never reads it whole). */
export function fileTooLarge(file: string, size: number): Diagnostic {
  return diagnosticAt({ file, line: 1, col: 1 }, 'error', 'yaml/file-too-large', `file is ${size} bytes; rule files are limited to ${MAX_RULE_FILE_BYTES} bytes (1 MiB)`, {
    hint: 'Is this the right file? Split very large rule files by stage.',
  });
}

function failure(file: string, line: number, col: number, code: string, message: string, hint: string): SourceText {
  return { ok: false, diagnostic: diagnosticAt({ file, line, col }, 'error', code, message, { hint }) };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The decoded text before the first invalid byte. Binary search over prefixes: a prefix
 * decodes in streaming mode unless it holds an invalid sequence (a cut-off one is fine).
 */
function validUtf8Prefix(bytes: Uint8Array): string {
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (decodesAsPrefix(bytes.subarray(0, mid))) good = mid;
    else bad = mid;
  }
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  return decoder.decode(bytes.subarray(0, good), { stream: true });
}

function decodesAsPrefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** 1-based line and column of the character just after `prefix`. */
export function positionAfter(prefix: string): { line: number; col: number } {
  const lastBreak = prefix.lastIndexOf('\n');
  const line = prefix.split('\n').length;
  return { line, col: prefix.length - lastBreak };
}
