/**
 * Test-file YAML → TestFile with positions: YAML checks and positions from rules/, the
 * schema in schemas/tests.schema.json, then a few named checks. Reports every problem.
 */
import { dirname, join } from 'node:path';
import { diagnosticAt, hasErrors, type Diagnostic, type SourceLocation } from '../diagnostics/index.js';
import type { AnswerValue } from '../model/index.js';
import { findNodeAtPath } from '../yaml/node-path.js';
import { decodeRuleSource } from '../yaml/source-text.js';
import { nodeLocation, parseYamlSource, type YamlSource } from '../yaml/yaml-source.js';
import { resolveSchemaDiagnostics, validateTestDocument } from './test-schema.js';
import type { CaseInput, Expectation, TestCase, TestFile } from './types.js';

/** `$now()` in a case that sets no `now`, file-wide or its own: fixed, so tests never drift. */
export const DEFAULT_TEST_NOW = '2026-01-05T12:00:00Z';

export interface ParsedTestFile {
  testFile?: TestFile;
  diagnostics: Diagnostic[];
}

/** The raw shapes the schema has already vouched for. */
interface RawAnswer {
  radio?: string;
  checklist?: string[];
  text?: string;
  numeric?: number;
}
interface RawExpect extends Omit<Expectation, 'classifications'> {
  classifications?: Record<string, RawAnswer | null>;
}
interface RawCase {
  name: string;
  description?: string;
  stage: string;
  now?: string;
  params?: Record<string, unknown>;
  label_row?: string;
  metadata?: Record<string, unknown>;
  labels?: CaseInput['labels'];
  answers?: Record<string, RawAnswer>;
  objects?: Record<string, number>;
  task?: CaseInput['task'];
  expect: RawExpect;
}
interface RawTestFile {
  version: 1;
  rules: string;
  project?: string;
  now?: string;
  params?: Record<string, unknown>;
  cases: RawCase[];
}

/**
 * Parses one test file; pure. `file` is the path as shown in messages: the rule file and
 * label rows it names are resolved against its folder. Label rows are not read here.
 */
export function parseTestFile(file: string, input: string | Uint8Array): ParsedTestFile {
  const decoded = decodeRuleSource(file, input);
  if (!decoded.ok) return { diagnostics: [decoded.diagnostic] };
  const parsed = parseYamlSource(file, decoded.text);
  if (parsed.value === undefined || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  if (isRuleFileShaped(parsed.value)) {
    const message = 'this is a rule file, not a test file';
    const hint = 'Test files (*.test.yaml) name the rule file under test with `rules:` and list `cases:`; see docs/testing-rules.md.';
    return { diagnostics: [diagnosticAt({ file, line: 1, col: 1 }, 'error', 'test/rule-file-given', message, { hint })] };
  }
  const schemaErrors = validateTestDocument(parsed.value);
  if (schemaErrors.length > 0) {
    return { diagnostics: [...parsed.diagnostics, ...resolveSchemaDiagnostics(parsed.source, schemaErrors)] };
  }
  const raw = parsed.value as RawTestFile;
  const source = parsed.source;
  const diagnostics = [
    ...parsed.diagnostics,
    ...checkUniqueCaseNames(source, raw),
    ...checkOneLabelSource(source, raw),
    ...checkDates(source, raw),
  ];
  if (hasErrors(diagnostics)) return { diagnostics };
  return { testFile: buildTestFile(source, raw), diagnostics };
}

function isRuleFileShaped(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'stages' in value && !('cases' in value);
}

function buildTestFile(source: YamlSource, raw: RawTestFile): TestFile {
  const folder = dirname(source.file);
  const testFile: TestFile = {
    path: source.file,
    rulesPath: join(folder, raw.rules),
    rulesLoc: locate(source, ['rules']),
    cases: raw.cases.map((c, i) => buildCase(source, raw, c, i)),
  };
  if (raw.project !== undefined) {
    testFile.projectPath = join(folder, raw.project);
    testFile.projectLoc = locate(source, ['project']);
  }
  return testFile;
}

function buildCase(source: YamlSource, file: RawTestFile, raw: RawCase, index: number): TestCase {
  const path = ['cases', String(index)];
  const input: CaseInput = {
    metadata: raw.metadata ?? {},
    answers: Object.fromEntries(Object.entries(raw.answers ?? {}).map(([k, v]) => [k, resolveAnswer(v)])),
    objects: { ...raw.objects },
    task: raw.task ?? {},
  };
  if (raw.labels) input.labels = raw.labels;
  if (raw.label_row !== undefined) {
    input.labelRow = { path: join(dirname(source.file), raw.label_row), loc: locate(source, [...path, 'label_row']) };
  }
  const testCase: TestCase = {
    name: raw.name,
    loc: locateStart(source, path),
    stage: raw.stage,
    now: new Date(raw.now ?? file.now ?? DEFAULT_TEST_NOW),
    params: { ...file.params, ...raw.params },
    input,
    expect: resolveExpectation(raw.expect),
    expectLocs: locateExpectations(source, [...path, 'expect'], raw.expect),
    index,
  };
  if (raw.description !== undefined) testCase.description = raw.description;
  if (raw.answers) {
    testCase.answerLocs = Object.fromEntries(Object.keys(raw.answers).map((name) => [name, locateKey(source, [...path, 'answers', name])]));
  }
  if (raw.objects) {
    testCase.objectLocs = Object.fromEntries(Object.keys(raw.objects).map((name) => [name, locateKey(source, [...path, 'objects', name])]));
  }
  return testCase;
}

/** `{radio: "Sunny"}` as the model's AnswerValue; the schema allows exactly one key. */
export function resolveAnswer(raw: RawAnswer): AnswerValue {
  if (raw.radio !== undefined) return { type: 'radio', option: raw.radio };
  if (raw.checklist !== undefined) return { type: 'checklist', options: raw.checklist };
  if (raw.text !== undefined) return { type: 'text', text: raw.text };
  return { type: 'numeric', value: raw.numeric ?? 0 };
}

function resolveExpectation(raw: RawExpect): Expectation {
  const { classifications, ...rest } = raw;
  const expectation: Expectation = { ...rest };
  if (classifications) {
    expectation.classifications = Object.fromEntries(
      Object.entries(classifications).map(([name, answer]) => [name, answer === null ? null : resolveAnswer(answer)]),
    );
  }
  return expectation;
}

function locateExpectations(source: YamlSource, path: string[], raw: RawExpect): Record<string, SourceLocation> {
  const locs: Record<string, SourceLocation> = {};
  for (const key of Object.keys(raw)) locs[key] = locate(source, [...path, key]);
  for (const name of Object.keys(raw.classifications ?? {})) {
    locs[`classifications.${name}`] = locate(source, [...path, 'classifications', name]);
  }
  return locs;
}

function checkUniqueCaseNames(source: YamlSource, raw: RawTestFile): Diagnostic[] {
  const first = new Map<string, number>();
  const found: Diagnostic[] = [];
  raw.cases.forEach((c, i) => {
    const earlier = first.get(c.name);
    if (earlier === undefined) {
      first.set(c.name, i);
      return;
    }
    const before = locate(source, ['cases', String(earlier), 'name']);
    found.push(
      diagnosticAt(locate(source, ['cases', String(i), 'name']), 'error', 'test/duplicate-case', `a case named "${c.name}" already exists in this file`, {
        hint: 'Case names identify failures and --run filters; give each a distinct name.',
        related: [{ ...before, message: 'first defined here' }],
      }),
    );
  });
  return found;
}

function checkOneLabelSource(source: YamlSource, raw: RawTestFile): Diagnostic[] {
  return raw.cases.flatMap((c, i) =>
    c.label_row !== undefined && c.labels !== undefined
      ? [
          diagnosticAt(locate(source, ['cases', String(i), 'labels']), 'error', 'test/label-row-and-labels', 'a case takes its labels from `label_row` or `labels`, not both', {
            hint: 'Drop `labels`, or drop `label_row` and give the metadata inline.',
          }),
        ]
      : [],
  );
}

/** The schema checks the shape of dates; this checks they are real dates (no 2026-02-31). */
function checkDates(source: YamlSource, raw: RawTestFile): Diagnostic[] {
  const places: { value: string | undefined; path: string[] }[] = [
    { value: raw.now, path: ['now'] },
    ...raw.cases.map((c, i) => ({ value: c.now, path: ['cases', String(i), 'now'] })),
  ];
  return places
    .filter((p): p is { value: string; path: string[] } => p.value !== undefined && !isRealDate(p.value))
    .map((p) => diagnosticAt(locate(source, p.path), 'error', 'test/bad-date', `"${p.value}" is not a real date-time`, { hint: 'Write an ISO date-time with a zone, e.g. 2026-01-05T12:00:00Z.' }));
}

function isRealDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const sameDay = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  return sameDay && !Number.isNaN(new Date(text).getTime());
}

function locate(source: YamlSource, path: readonly string[]): SourceLocation {
  const found = findNodeAtPath(source, path);
  return found ? nodeLocation(source, found.node) : { file: source.file, line: 1, col: 1 };
}

/** Where a mapping key is written (`Weather:`), for problems with the name itself. */
function locateKey(source: YamlSource, path: readonly string[]): SourceLocation {
  const found = findNodeAtPath(source, path);
  if (found?.key) return nodeLocation(source, found.key);
  return locate(source, path);
}

/** A node's first line and column only: a case is reported at its start, not as a range. */
function locateStart(source: YamlSource, path: readonly string[]): SourceLocation {
  const { file, line, col } = locate(source, path);
  return { file, line, col };
}
