/**
 * HTTP requests per 1,000 tasks for the london rule (priority + route for every task) through
 * EncordBackend against the fake Encord, beside the reference runner's figure: encord-agents
 * sends ≈5 calls per 300-task batch beyond paging (1 metadata list, 3 bundled priority calls of
 * ≤100, 1 bulk proceed) = 16.7 per 1,000.
 *
 * Measured twice: through the real runner (runRules with the london rule file), and driving the
 * backend directly the way the runner calls it (list → fetchTaskRecords(metadata only) →
 * commitBatch), which isolates the backend's own count from the runner's batching.
 */
import type { BenchResult } from './types.js';
import { runRules } from '../src/run-rules.js';
import { DEFAULT_BATCH_SIZE } from '../src/runner/types.js';
import type { AgentTask } from '../src/model/index.js';
import { agentStages } from '../src/model/index.js';
import { startEncordFixture } from '../test/fake-encord/harness.js';

const TASKS = 3000;
const PAGE_SIZE = 100;
const REFERENCE_PER_1000 = (5 / 300) * 1000;

interface Counted {
  total: number;
  pages: number;
  project: number;
}

/** One pass over the pre-label stage; returns the requests the fake saw. */
async function countLondonRun(batchSize: number): Promise<Counted> {
  const fx = await startEncordFixture({ tasks: TASKS, seed: 5, pageSize: PAGE_SIZE });
  try {
    const project = await fx.backend.getProject(fx.project.projectHash);
    const stage = agentStages(project)[0]!;
    const pathway = stage.pathways.find((p) => p.name === 'annotate')!;
    let pageToken: string | undefined;
    let batch: AgentTask[] = [];
    const flush = async (): Promise<void> => {
      const records = await fx.backend.fetchTaskRecords(project.projectHash, batch, { labels: false, clientMetadata: false });
      const tasks = records.map((r) => ({
        taskUuid: r.task.uuid,
        dataHash: r.task.dataHash,
        priority: r.metadata.data_title.toLowerCase().includes('london') ? 1 : 0,
        pathwayUuid: pathway.uuid,
      }));
      const outcomes = await fx.backend.commitBatch(project.projectHash, { stageUuid: stage.uuid, tasks });
      if (outcomes.some((o) => o.status !== 'ok')) throw new Error('a task was not committed');
      batch = [];
    };
    do {
      const page = await fx.backend.listStageTasks(project.projectHash, stage.uuid, pageToken ? { pageToken } : {});
      batch.push(...page.tasks);
      pageToken = page.nextPageToken;
      while (batch.length >= batchSize) {
        const rest = batch.slice(batchSize);
        batch = batch.slice(0, batchSize);
        await flush();
        batch = rest;
      }
    } while (pageToken);
    if (batch.length > 0) await flush();
    const state = fx.fake.state(project.projectHash);
    if (state.tasksInStage(stage.uuid).length !== 0) throw new Error('tasks were left in the stage');
    const counts = fx.fake.counts();
    return { total: fx.fake.total(), pages: counts['GET tasks'] ?? 0, project: counts['GET project'] ?? 0 };
  } finally {
    await fx.close();
  }
}

/** The shipped seed rule file, so the figure is the one users get. */
const LONDON_RULES = 'rules/london-priority.yaml';

/** The same pass through runRules (what apply runs); returns the requests the fake saw. */
async function countRunnerRun(batchSize: number): Promise<Counted> {
  const fx = await startEncordFixture({ tasks: TASKS, seed: 5, pageSize: PAGE_SIZE });
  try {
    const summary = await runRules({ rules: [LONDON_RULES], projectHash: fx.project.projectHash, batchSize }, fx.backend);
    const stage = agentStages(fx.project)[0]!;
    if (fx.fake.state(fx.project.projectHash).tasksInStage(stage.uuid).length !== 0 || summary.diagnostics.length > 0) {
      throw new Error('the runner left tasks in the stage');
    }
    const counts = fx.fake.counts();
    return { total: fx.fake.total(), pages: counts['GET tasks'] ?? 0, project: counts['GET project'] ?? 0 };
  } finally {
    await fx.close();
  }
}

function per1000(n: number): number {
  return (n / TASKS) * 1000;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const batchSize of [...new Set([300, DEFAULT_BATCH_SIZE, 1000])]) {
    const c = await countRunnerRun(batchSize);
    results.push({
      name: `apply (runRules) requests per 1,000 tasks beyond paging (london rule, batch ${batchSize}${batchSize === DEFAULT_BATCH_SIZE ? ', the default' : ''})`,
      value: per1000(c.total - c.pages - c.project),
      unit: 'requests',
      baseline: { name: 'encord-agents runner (≈5 per 300-task batch)', value: REFERENCE_PER_1000 },
      note: `in all ${per1000(c.total).toFixed(1)} per 1,000 with ${c.pages} list pages (${PAGE_SIZE}-task pages assumed) and ${c.project} project call`,
    });
  }
  for (const batchSize of [300, 1000]) {
    const c = await countLondonRun(batchSize);
    const beyondPaging = c.total - c.pages - c.project;
    results.push({
      name: `backend alone: requests per 1,000 tasks beyond paging (london rule, batch ${batchSize})`,
      value: per1000(beyondPaging),
      unit: 'requests',
      baseline: { name: 'encord-agents runner (≈5 per 300-task batch)', value: REFERENCE_PER_1000 },
      note: 'metadata list + priorities + proceed per batch; no label rows fetched (the rule reads only data_title)',
    });
    results.push({
      name: `backend alone: requests per 1,000 tasks in all (batch ${batchSize})`,
      value: per1000(c.total),
      unit: 'requests',
      baseline: { name: 'encord-agents runner with the same paging', value: REFERENCE_PER_1000 + per1000(c.pages + c.project) },
      note: `${TASKS} tasks; ${c.pages} list pages at an assumed ${PAGE_SIZE} tasks per page (Encord picks its page size), ${c.project} project call`,
    });
  }
  return results;
}
