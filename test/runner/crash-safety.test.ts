/**
 * The built binary under signals: SIGKILL mid-run then a re-run reaches exactly the state of an
 * uninterrupted run; SIGINT stops after the batch in flight, prints the summary, exits 130.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../cli-helpers.js';
import { LONDON_RULES, makeDemoStore, makeTempDir, readTaskStates, REPO } from './store-helpers.js';

const rules = resolve(REPO, LONDON_RULES);
const TASKS = 4000;
const BATCH = 25;

function spawnApply(dir: string, store: string, audit: string): ChildProcess {
  return spawn(process.execPath, [join(REPO, 'dist/cli/main.js'), 'apply', rules, '--store', store, '--batch-size', String(BATCH), '--audit-log', audit], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves once the audit log shows at least `lines` confirmed changes (a few batches committed). */
async function waitForAuditLines(path: string, lines: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (child.exitCode !== null) throw new Error('apply finished before it could be interrupted');
    if (existsSync(path) && readFileSync(path, 'utf8').split('\n').length > lines) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('apply never committed a batch');
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((r) => child.on('exit', (code, signal) => r({ code, signal, stdout })));
}

describe('crash safety (built binary)', () => {
  let dir: string;
  let pristine: string;
  beforeAll(async () => {
    dir = makeTempDir();
    pristine = await makeDemoStore(dir, TASKS, 'pristine');
  }, 120_000);

  it('SIGKILL mid-run, then a re-run, reaches exactly the state of an uninterrupted run', async () => {
    const reference = join(dir, 'reference.db');
    const killed = join(dir, 'killed.db');
    copyFileSync(pristine, reference);
    copyFileSync(pristine, killed);
    const full = await runCliCaptured(['apply', rules, '--store', reference, '--audit-log', 'ref.jsonl'], { cwd: dir });
    expect(full.code).toBe(0);

    const child = spawnApply(dir, killed, join(dir, 'killed.jsonl'));
    const exited = exitOf(child);
    await waitForAuditLines(join(dir, 'killed.jsonl'), BATCH * 4, child);
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');

    const midway = readTaskStates(killed);
    const movedMidway = midway.filter((t) => t.stage === 'Annotate').length;
    expect(movedMidway).toBeGreaterThan(0);
    expect(movedMidway).toBeLessThan(TASKS);
    // Per-batch transactions: a task is moved only together with its priority.
    for (const t of midway.filter((m) => m.stage === 'Annotate')) expect(t.priority).toBe(t.title.toLowerCase().includes('london') ? 1 : 0);

    const rerun = await runCliCaptured(['apply', rules, '--store', killed, '--audit-log', 'killed.jsonl'], { cwd: dir });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`${TASKS - movedMidway} tasks seen`));
    expect(readTaskStates(killed)).toEqual(readTaskStates(reference));
  }, 120_000);

  it('SIGINT stops after the batch in flight, prints the summary and exits 130, nothing half-committed', async () => {
    const store = join(dir, 'interrupted.db');
    copyFileSync(pristine, store);
    const audit = join(dir, 'interrupted.jsonl');
    const child = spawnApply(dir, store, audit);
    const exited = exitOf(child);
    await waitForAuditLines(audit, BATCH * 2, child);
    child.kill('SIGINT');
    const { code, stdout } = await exited;
    expect(code).toBe(130);
    expect(stdout).toMatch(/^Interrupted in [\d.]+s: \d+ tasks seen/m);
    const states = readTaskStates(store);
    const moved = states.filter((t) => t.stage === 'Annotate');
    expect(moved.length).toBeLessThan(TASKS);
    // Whole batches only: every batch commits all of its tasks or none.
    expect(moved.length % BATCH).toBe(0);
    const untouched = states.filter((t) => t.stage === 'pre-label');
    const pristineStates = new Map(readTaskStates(pristine).map((t) => [t.uuid, t]));
    for (const t of untouched) expect(t.priority).toBe(pristineStates.get(t.uuid)!.priority);
    // The audit log holds exactly the confirmed moves.
    const routes = readFileSync(audit, 'utf8').trim().split('\n').filter((l) => l.includes('"change":"route"'));
    expect(routes).toHaveLength(moved.length);
  }, 120_000);
});
