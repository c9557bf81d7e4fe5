/**
 * A child process that drains the demo project's pre-label stage of a store, committing
 * batches of moves. Run: node --import tsx commit-worker.ts <store> <batchSize> <priorityBase>
 * Each batch sets every task's priority to priorityBase + batchIndex/1e6, so the parent can
 * check afterwards that each batch was written whole. Prints one JSON line per batch:
 * {"batch": i, "moved": [uuids], "stale": n}, then {"done": true}.
 */
import { SqliteBackend, openSqliteStore } from '../../../src/backends/sqlite/index.js';

const [storePath, batchSizeText, priorityBaseText] = process.argv.slice(2);
const store = openSqliteStore(storePath as string, { create: false });
const backend = new SqliteBackend(store);
const [project] = store.listProjects();
const projectHash = project!.projectHash;
const stage = store.getProject(projectHash).workflow.stages[0]!;
const pathway = stage.pathways[0]!;
const batchSize = Number(batchSizeText);
const priorityBase = Number(priorityBaseText);

let batch = 0;
for (;;) {
  const page = await backend.listStageTasks(projectHash, stage.uuid, { pageSize: batchSize });
  if (page.tasks.length === 0) break;
  const records = await backend.fetchTaskRecords(projectHash, page.tasks, { labels: true, clientMetadata: false });
  const priority = priorityBase + batch / 1e6;
  const outcomes = await backend.commitBatch(projectHash, {
    stageUuid: stage.uuid,
    tasks: records.map((r) => ({
      taskUuid: r.task.uuid,
      dataHash: r.task.dataHash,
      priority,
      labelRow: { ...r.labelRow!, classification_answers: { ...r.labelRow!.classification_answers } },
      pathwayUuid: pathway.uuid,
    })),
  });
  const moved = outcomes.filter((o) => o.moved).map((o) => o.taskUuid);
  const stale = outcomes.filter((o) => o.status === 'stale').length;
  process.stdout.write(JSON.stringify({ batch, priority, moved, stale }) + '\n');
  batch += 1;
}
process.stdout.write(JSON.stringify({ done: true }) + '\n');
await backend.close();
