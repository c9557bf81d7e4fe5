/**
 * One measured job of bench/runner.bench.ts, in its own process so its peak RSS is its own:
 *   apply <store> <rules> <batch>   the real CLI path (`encord-rules apply --quiet`)
 *   floor <store> <batch>           bare SQLite: the same rows updated in the same batches
 *   naive <store> <batch>           per task: parse the label row, evaluate JSONata, then update
 * Prints one JSON line: { tasks, elapsedMs, maxRssMb }.
 */
import Database from 'better-sqlite3';
import jsonata from 'jsonata';

// The built CLI (bench/runner.bench.ts builds dist/ first), so the figures are the shipped
// code's, without the TypeScript loader's time and memory.
const { runCli } = (await import(new URL('../dist/cli/program.js', import.meta.url).href)) as typeof import('../src/cli/program.js');

const [mode, store, ...rest] = process.argv.slice(2);

async function runApply(rules: string, batch: string): Promise<number> {
  let out = '';
  const code = await runCli(['apply', rules, '--store', store!, '--batch-size', batch, '--quiet', '--format', 'json', '--audit-log', `${store}.audit.jsonl`], {
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
  return (JSON.parse(out) as { seen: number }).seen;
}

interface Row {
  seq: number;
  title: string;
  label: string | null;
  meta: string;
}

function stageOf(db: Database.Database): { project: string; stage: string; destination: string } {
  const { project_hash: project, project_json: json } = db.prepare('SELECT project_hash, project_json FROM projects').get() as {
    project_hash: string;
    project_json: string;
  };
  const parsed = JSON.parse(json) as { workflow: { stages: { uuid: string; stageType: string; pathways: { destinationUuid: string }[] }[] } };
  const agent = parsed.workflow.stages.find((s) => s.stageType === 'AGENT')!;
  return { project, stage: agent.uuid, destination: agent.pathways[0]!.destinationUuid };
}

/** Pages the stage by keyset, as the backend does, and updates each batch in one transaction. */
async function runBatches(
  batch: number,
  decide: (rows: Row[]) => Promise<number[]> | number[],
): Promise<number> {
  const db = new Database(store!);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const { project, stage, destination } = stageOf(db);
  const page = db.prepare(`SELECT s.seq, t.data_title AS title, t.label_row_json AS label, t.metadata_json AS meta
    FROM task_states s JOIN tasks t ON t.seq = s.seq
    WHERE s.project_hash = ? AND s.stage_uuid = ? AND s.seq > ? ORDER BY s.seq LIMIT ?`);
  const update = db.prepare(`UPDATE task_states SET priority = ?, stage_uuid = ?, status = 'NEW', assignee = NULL, updated_at = ?
    WHERE seq = ? AND stage_uuid = ?`);
  const commit = db.transaction((rows: Row[], priorities: number[]) => {
    const now = new Date().toISOString();
    rows.forEach((row, i) => update.run(priorities[i], destination, now, row.seq, stage));
  });
  let after = 0;
  let total = 0;
  for (;;) {
    const rows = page.all(project, stage, after, batch) as Row[];
    if (rows.length === 0) break;
    commit(rows, await decide(rows));
    after = rows.at(-1)!.seq;
    total += rows.length;
  }
  db.close();
  return total;
}

async function main(): Promise<void> {
  const started = performance.now();
  let tasks: number;
  if (mode === 'apply') {
    tasks = await runApply(rest[0]!, rest[1]!);
  } else if (mode === 'floor') {
    tasks = await runBatches(Number(rest[0]), (rows) => rows.map((r) => (r.title.toLowerCase().includes('london') ? 1 : 0)));
  } else if (mode === 'naive') {
    const expression = jsonata('$contains($lowercase(data_title), "london")');
    tasks = await runBatches(Number(rest[0]), async (rows) => {
      const out: number[] = [];
      for (const row of rows) {
        const document = { ...JSON.parse(row.meta), ...(row.label ? JSON.parse(row.label) : {}) } as Record<string, unknown>;
        out.push((await expression.evaluate(document)) ? 1 : 0);
      }
      return out;
    });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const elapsedMs = performance.now() - started;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ tasks, elapsedMs, maxRssMb }) + '\n');
}

await main();
