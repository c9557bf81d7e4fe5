/**
 * Writing many tasks: rows go in chunks, one multi-row INSERT per table per chunk. SQLite's
 * per-statement cost (bind, step, reset, and the crossing from JavaScript) dominated a bulk
 * load of narrow rows; 50 rows a statement spends it once per 50 tasks. Seqs are explicit,
 * so a chunk can be planned (even on a worker thread) before it is written.
 */
import type Database from 'better-sqlite3';
import { INSERT_TASK_STATE_SQL, INSERT_TASK_SQL, type TaskInsertPlan } from './rows.js';

/** Rows per multi-row INSERT: 50 × 17 parameters stays far below SQLite's limit of 32,766. */
export const INSERT_CHUNK_ROWS = 50;

/** Parameters of up to INSERT_CHUNK_ROWS consecutive tasks, flattened, seq first in each row. */
export interface InsertChunk {
  rows: number;
  tasks: unknown[];
  states: unknown[];
}

/** Groups insert plans into chunks, numbering tasks from `firstSeq`; lazy and pure. */
export function* chunkTaskInserts(plans: Iterable<TaskInsertPlan>, firstSeq: number): Generator<InsertChunk> {
  let chunk: InsertChunk = { rows: 0, tasks: [], states: [] };
  let seq = firstSeq;
  for (const plan of plans) {
    chunk.tasks.push(seq, ...plan.task);
    chunk.states.push(seq, ...plan.state);
    chunk.rows += 1;
    seq += 1;
    if (chunk.rows === INSERT_CHUNK_ROWS) {
      yield chunk;
      chunk = { rows: 0, tasks: [], states: [] };
    }
  }
  if (chunk.rows > 0) yield chunk;
}

/** `INSERT … VALUES (…), (…), …` with `rows` value lists. */
function repeatValues(sql: string, rows: number): string {
  const at = sql.lastIndexOf('VALUES');
  const values = sql.slice(at + 'VALUES'.length).trim();
  return `${sql.slice(0, at)}VALUES ${Array.from({ length: rows }, () => values).join(', ')}`;
}

/**
 * A function writing chunks into `db`, its statements prepared once per chunk size (full
 * chunks, and the one short last chunk). Prepare it after any schema change in the transaction.
 */
export function createChunkWriter(db: Database.Database): (chunk: InsertChunk) => void {
  const statements = new Map<number, [Database.Statement, Database.Statement]>();
  return (chunk) => {
    let pair = statements.get(chunk.rows);
    if (!pair) {
      pair = [db.prepare(repeatValues(INSERT_TASK_SQL, chunk.rows)), db.prepare(repeatValues(INSERT_TASK_STATE_SQL, chunk.rows))];
      statements.set(chunk.rows, pair);
    }
    pair[0].run(chunk.tasks);
    pair[1].run(chunk.states);
  };
}
