/**
 * `encord-rules test` on the example tests (rules/*.test.yaml): the cost of a case through
 * the apply path (load, prepare, seed an in-memory store, list, fetch, evaluate, plan)
 * against evaluating the same case's document with the stage handler alone, and the cost
 * of --coverage (a clause-by-clause trace per case) against a plain run.
 */
import { buildDemoProject, DEFAULT_DEMO_SEED } from '../src/demo/index.js';
import { resolveCaseTask } from '../src/rule-tests/case-task.js';
import { findTestFiles, loadTestFile } from '../src/rule-tests/load-test-file.js';
import { runTests } from '../src/rule-tests/run-tests.js';
import type { EvaluationContext, TaskDocument } from '../src/compile/types.js';
import { loadRuleFiles } from '../src/rules/index.js';
import { prepareStages } from '../src/runner/prepare.js';
import type { PreparedStage } from '../src/runner/types.js';
import type { BenchResult } from './types.js';

const PATHS = ['rules'];

async function timeRuns(runs: number, work: () => Promise<number>): Promise<number> {
  await work();
  let cases = 0;
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) cases += await work();
  return (performance.now() - start) / cases;
}

interface PreparedCase {
  prepared: PreparedStage;
  document: TaskDocument;
  context: EvaluationContext;
}

/** Every example case's document and prepared stage, built once, for the evaluate-only baseline. */
async function prepareDocuments(cwd: string): Promise<PreparedCase[]> {
  const project = buildDemoProject(DEFAULT_DEMO_SEED);
  const found = await findTestFiles(PATHS, cwd);
  const cases: PreparedCase[] = [];
  for (const file of found.files) {
    const testFile = (await loadTestFile(file, cwd)).testFile;
    if (!testFile) continue;
    const ruleFile = (await loadRuleFiles([testFile.rulesPath], { cwd })).files[0];
    if (!ruleFile) continue;
    for (const testCase of testFile.cases) {
      const params = Object.entries(testCase.params).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`);
      const prepared = prepareStages([ruleFile], project, { params, stages: [testCase.stage] }).stages[0];
      if (!prepared) continue;
      const built = resolveCaseTask(testCase, project, prepared.stage);
      if (!('task' in built)) continue;
      const { task, metadata, labelRow } = built.task;
      const document = prepared.buildDocument({ task, metadata, ...(labelRow ? { labelRow } : {}) });
      cases.push({ prepared, document, context: { params: prepared.params, now: testCase.now, ontology: project.ontology } });
    }
  }
  return cases;
}

export async function run(): Promise<BenchResult[]> {
  const cwd = process.cwd();
  const countCases = async (coverage: boolean): Promise<number> => {
    const result = await runTests({ paths: PATHS, cwd, coverage });
    return result.results.reduce((n, r) => n + r.cases.length, 0);
  };
  const applyPathMs = await timeRuns(5, () => countCases(false));
  const coverageMs = await timeRuns(5, () => countCases(true));
  const documents = await prepareDocuments(cwd);
  const evaluateMs = await timeRuns(50, async () => {
    for (const c of documents) await c.prepared.handler.evaluate(c.document, c.context);
    return documents.length;
  });
  return [
    {
      name: 'test rules/: one case through the apply path',
      value: applyPathMs,
      unit: 'ms/case',
      baseline: { name: 'handler.evaluate of the same document', value: evaluateMs },
      note: `${documents.length} cases; the difference is file loading, preparing, the in-memory store and planning`,
    },
    {
      name: 'test rules/ --coverage: one case',
      value: coverageMs,
      unit: 'ms/case',
      baseline: { name: 'the same run without coverage', value: applyPathMs },
    },
  ];
}
