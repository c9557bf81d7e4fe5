// @ts-check
/**
 * One measured job of bench/runner.bench.ts, in its own process so its peak RSS is its own.
 * Plain JavaScript run by plain `node`, as the shipped CLI is: no TypeScript loader in the
 * measured process, for the CLI or for the baselines.
 *   apply <store> <rules> <batch>   the real CLI path (`encord-rules apply --quiet`)
 *   floor <store> <batch>           bare SQLite: the same rows updated in the same batches
 *   naive <store> <batch>           per task: parse the label row, evaluate JSONata, then update
 *   naive-audited <store> <batch>   the same, plus one JSON line per change appended per batch,
 *                                   as apply's audit log (the naive loop with what the issue asks)
 * Prints one JSON line: { tasks, elapsedMs, maxRssMb }.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import jsonata from 'jsonata';

// The built CLI (bench/runner.bench.ts builds dist/ first), so the figures are the shipped
// code's, without the TypeScript loader's time and memory.
/** @type {typeof import('../src/cli/program.js')} */
const { runCli } = await import(new URL('../dist/cli/program.js', import.meta.url).href);

const [mode, store, ...rest] = process.argv.slice(2);

/** @param {string} rules @param {string} batch @returns {Promise<number>} */
async function runApply(rules, batch) {
  let out = '';
  const code = await runCli(['apply', rules, '--store', String(store), '--batch-size', batch, '--quiet', '--format', 'json', '--audit-log', `${store}.audit.jsonl`], {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => process.stderr.write(s),
    env: { ...process.env, NO_COLOR: '1' },
    cwd: process.cwd(),
    isTTY: false,
    stopSignal: new AbortController().signal,
  });
  if (code !== 0) throw new Error(`apply exited ${code}`);
  return JSON.parse(out).seen;
}

/** @typedef {{ seq: number; uuid: string; dataHash: string; priority: number | null; title: string; label: string | null; meta: string }} Row */

/** @param {Database.Database} db */
function stageOf(db) {
  const { project_hash: project, project_json: json } = /** @type {{ project_hash: string; project_json: string }} */ (
    db.prepare('SELECT project_hash, project_json FROM projects').get()
  );
  /** @type {{ uuid: string; title: string; stageType: string; pathways: { uuid: string; name: string; destinationUuid: string }[] }} */
  const agent = JSON.parse(json).workflow.stages.find((/** @type {{ stageType: string }} */ s) => s.stageType === 'AGENT');
  return { project, stage: agent.uuid, stageTitle: agent.title, pathway: agent.pathways[0], destination: agent.pathways[0].destinationUuid };
}

/**
 * Pages the stage by keyset, as the backend does, and updates each batch in one transaction.
 * @param {number} batch
 * @param {(rows: Row[]) => Promise<number[]> | number[]} decide
 * @param {(rows: Row[], priorities: number[], stage: ReturnType<typeof stageOf>) => void} [after]
 * @returns {Promise<number>}
 */
async function runBatches(batch, decide, after) {
  const db = new Database(String(store));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const stageInfo = stageOf(db);
  const { project, stage, destination } = stageInfo;
  const page = db.prepare(`SELECT s.seq, s.uuid, s.data_hash AS dataHash, s.priority, t.data_title AS title, t.label_row_json AS label, t.metadata_json AS meta
    FROM task_states s JOIN tasks t ON t.seq = s.seq
    WHERE s.project_hash = ? AND s.stage_uuid = ? AND s.seq > ? ORDER BY s.seq LIMIT ?`);
  const update = db.prepare(`UPDATE task_states SET priority = ?, stage_uuid = ?, status = 'NEW', assignee = NULL, updated_at = ?
    WHERE seq = ? AND stage_uuid = ?`);
  const commit = db.transaction((/** @type {Row[]} */ rows, /** @type {number[]} */ priorities) => {
    const now = new Date().toISOString();
    rows.forEach((row, i) => update.run(priorities[i], destination, now, row.seq, stage));
  });
  let lastSeq = 0;
  let total = 0;
  for (;;) {
    const rows = /** @type {Row[]} */ (page.all(project, stage, lastSeq, batch));
    if (rows.length === 0) break;
    const priorities = await decide(rows);
    commit(rows, priorities);
    after?.(rows, priorities, stageInfo);
    lastSeq = rows[rows.length - 1].seq;
    total += rows.length;
  }
  db.close();
  return total;
}

/**
 * Per batch, one JSON line per change with the fields apply's audit lines carry, appended.
 * @param {string} path
 */
function auditWriter(path) {
  const runId = crypto.randomUUID();
  return (/** @type {Row[]} */ rows, /** @type {number[]} */ priorities, /** @type {ReturnType<typeof stageOf>} */ s) => {
    const time = new Date().toISOString();
    const shared = { time, runId, project: s.project, file: 'london', sha256: '0'.repeat(64), stage: { uuid: s.stage, title: s.stageTitle } };
    let text = '';
    rows.forEach((row, i) => {
      const task = { taskUuid: row.uuid, dataHash: row.dataHash, dataTitle: row.title };
      const rule = priorities[i] === 1 ? 'london-first' : 'default';
      text += JSON.stringify({ ...shared, rule, ...task, change: 'set-priority', before: row.priority, after: priorities[i] }) + '\n';
      text += JSON.stringify({ ...shared, rule, ...task, change: 'route', before: s.stageTitle, after: s.pathway.name, pathwayUuid: s.pathway.uuid }) + '\n';
    });
    appendFileSync(path, text);
  };
}

/** @param {Row[]} rows */
async function naiveDecide(rows) {
  const out = [];
  for (const row of rows) {
    const document = { ...JSON.parse(row.meta), ...(row.label ? JSON.parse(row.label) : {}) };
    out.push((await naiveExpression.evaluate(document)) ? 1 : 0);
  }
  return out;
}

const naiveExpression = jsonata('$contains($lowercase(data_title), "london")');

/**
 * This process's peak RSS in KB. On Linux VmHWM of /proc/self/status: getrusage's maxRSS also
 * counts the parent's RSS at fork (it survives exec), so under a parent that has just built a
 * 1M-task store it reports the parent, not us.
 */
function peakRssKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: getrusage is the best there is.
  }
  return process.resourceUsage().maxRSS;
}

async function main() {
  const started = performance.now();
  let tasks;
  if (mode === 'apply') {
    tasks = await runApply(String(rest[0]), String(rest[1]));
  } else if (mode === 'floor') {
    tasks = await runBatches(Number(rest[0]), (rows) => rows.map((r) => (r.title.toLowerCase().includes('london') ? 1 : 0)));
  } else if (mode === 'naive') {
    tasks = await runBatches(Number(rest[0]), naiveDecide);
  } else if (mode === 'naive-audited') {
    tasks = await runBatches(Number(rest[0]), naiveDecide, auditWriter(`${store}.audit.jsonl`));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const elapsedMs = performance.now() - started;
  const maxRssMb = peakRssKb() / 1024;
  process.stdout.write(JSON.stringify({ tasks, elapsedMs, maxRssMb }) + '\n');
}

await main();
