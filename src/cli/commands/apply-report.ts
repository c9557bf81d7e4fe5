/**
 * What `apply` prints while it runs: a progress line on a TTY (cli-progress), plain progress
 * lines otherwise, failures as they happen, the dry-run plan (text, or streamed JSON), and
 * structured logs with `--log-format json` (one JSON object per line on stderr).
 */
import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';
import { formatDiagnosticsText } from '../../diagnostics/index.js';
import { formatFailure, formatPlanLine, formatRuleCounts, formatSummaryText, toPlanJson } from '../../runner/format.js';
import type { RunCallbacks, RunSummary, TaskEvent } from '../../runner/types.js';
import type { CliIO } from '../context.js';

export interface ReportSettings {
  format: 'text' | 'json';
  logFormat: 'text' | 'json';
  quiet: boolean;
  verbose: boolean;
  dryRun: boolean;
  /** Watch mode prints a summary line after every pass. */
  watch: boolean;
}

export interface Reporter {
  callbacks: RunCallbacks;
  /** Prints the summary (and closes the streamed dry-run JSON). */
  finish(summary: RunSummary): void;
}

/** Plain progress lines at most this often when stderr is not a TTY. */
const PLAIN_PROGRESS_MS = 2000;

export function createReporter(io: CliIO, settings: ReportSettings): Reporter {
  const color = io.isTTY && !io.env.NO_COLOR;
  const red = (s: string): string => (color ? `\u001b[31m${s}\u001b[39m` : s);
  const log = (level: string, event: string, fields: Record<string, unknown>): void => {
    io.stderr(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }) + '\n');
  };
  const structured = settings.logFormat === 'json';
  const progress = createProgress(io, settings);
  const json = settings.format === 'json';
  let firstPlan = true;
  if (json && settings.dryRun) io.stdout('{"dryRun":true,"tasks":[');

  const printPlan = (event: TaskEvent): void => {
    if (json) {
      io.stdout((firstPlan ? '\n' : ',\n') + JSON.stringify(toPlanJson(event.stage, event.plan)));
      firstPlan = false;
    } else {
      io.stdout(formatPlanLine(event.stage.title, event.plan) + '\n');
    }
  };

  const callbacks: RunCallbacks = {
    onTask(event) {
      progress.task(event);
      if (settings.dryRun) printPlan(event);
      else if (settings.verbose && !structured) io.stdout(formatPlanLine(event.stage.title, event.plan) + '\n');
      if (structured && (settings.verbose || event.plan.failure)) {
        log(event.plan.failure ? 'error' : 'info', 'task', { ...toPlanJson(event.stage, event.plan), outcome: event.outcome });
      }
      const failure = event.plan.failure;
      if (failure && !structured && !settings.dryRun) {
        const report = { ...failure, stage: event.stage.title, taskUuid: event.plan.taskUuid, dataTitle: event.plan.dataTitle };
        progress.interrupt(() => io.stderr(red(formatFailure({ ...report, attempts: event.attempts ?? 1 })) + '\n'));
      }
    },
    onBatch(event) {
      if (structured) log('info', 'batch', { stage: event.stage.title, index: event.index, tasks: event.tasks, elapsedMs: Math.round(event.elapsedMs) });
    },
    onStageStart(stage) {
      progress.start(stage.title);
      if (structured) log('info', 'stage-start', { stage: stage.title, stageUuid: stage.uuid });
    },
    onStageDone(summary) {
      progress.stop();
      if (structured) log('info', 'stage-done', { ...summary });
    },
    onDiagnostic(diagnostic) {
      if (structured) log(diagnostic.severity, 'diagnostic', { ...diagnostic });
      else progress.interrupt(() => io.stderr(formatDiagnosticsText([diagnostic]) + '\n'));
    },
    onReload(event) {
      if (structured) log(event.ok ? 'info' : 'error', 'reload', event);
      else if (event.ok) io.stderr(`reloaded rules from ${event.files.join(', ')}\n`);
      else {
        io.stderr(`rule files changed but do not validate; keeping the last good rules:\n`);
        io.stderr(formatDiagnosticsText(event.diagnostics) + '\n');
      }
    },
    onProjectChange(event) {
      const skipping = event.skipped.length > 0;
      if (structured) log(skipping ? 'error' : 'info', 'project-change', { ...event });
      else if (!skipping) io.stderr(`project "${event.title}" changed; the rules still fit it\n`);
      else {
        const stages = event.skipped.map((t) => JSON.stringify(t)).join(', ');
        io.stderr(`project "${event.title}" changed and no longer fits the rules for ${event.skipped.length === 1 ? 'stage' : 'stages'} ${stages}; skipping ${event.skipped.length === 1 ? 'it' : 'them'} until the rules or the project are fixed:\n`);
        io.stderr(formatDiagnosticsText(event.diagnostics) + '\n');
      }
    },
    onPassDone(pass) {
      if (structured) log('info', 'pass-done', { ...pass, failures: pass.failures.length });
      else if (settings.watch && !settings.quiet && !json) io.stderr(formatSummaryText(pass) + '\n');
    },
  };

  return {
    callbacks,
    finish(summary) {
      progress.stop();
      if (json && settings.dryRun) {
        io.stdout(`${firstPlan ? '' : '\n'}],"summary":${JSON.stringify(summary)}}\n`);
      } else if (json) {
        io.stdout(JSON.stringify(summary) + '\n');
      } else {
        if (settings.dryRun) io.stdout(formatRuleCounts(summary) + '\n');
        io.stdout(formatSummaryText(summary) + '\n');
      }
      if (structured) log(summary.failed > 0 ? 'error' : 'info', 'summary', { ...summary });
    },
  };
}

interface Progress {
  start(stage: string): void;
  task(event: TaskEvent): void;
  /** Prints something without tearing the progress line. */
  interrupt(print: () => void): void;
  stop(): void;
}

function createProgress(io: CliIO, settings: ReportSettings): Progress {
  if (settings.quiet || settings.logFormat === 'json') return { start() {}, task() {}, interrupt: (p) => p(), stop() {} };
  return io.isTTY ? createBarProgress(io) : createPlainProgress(io);
}

function createBarProgress(io: CliIO): Progress {
  // Required here, not imported at start-up: only a run on a terminal draws the bar.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const bar = new cliProgress.SingleBar(
    {
      format: '{stage}  {value} tasks  {speed} tasks/s  moved {moved}  failed {failed}',
      // readline's cursor helpers only write escape codes, so io.stderr can stand in for the stream.
      stream: { write: (s: string) => io.stderr(s), isTTY: true, columns: 120 } as unknown as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let active = false;
  let started = 0;
  let counts = { value: 0, moved: 0, failed: 0 };
  return {
    start(stage) {
      counts = { value: 0, moved: 0, failed: 0 };
      started = performance.now();
      bar.start(0, 0, { stage, speed: 0, moved: 0, failed: 0 });
      active = true;
    },
    task(event) {
      counts.value += 1;
      if (event.commit?.moved) counts.moved += 1;
      if (event.plan.failure) counts.failed += 1;
      const speed = Math.round(counts.value / Math.max(0.001, (performance.now() - started) / 1000));
      bar.setTotal(counts.value);
      bar.update(counts.value, { speed, moved: counts.moved, failed: counts.failed });
    },
    interrupt(print) {
      if (active) io.stderr('\r\u001b[2K');
      print();
    },
    stop() {
      if (!active) return;
      bar.stop();
      active = false;
    },
  };
}

function createPlainProgress(io: CliIO): Progress {
  let stageTitle = '';
  let seen = 0;
  let last = performance.now();
  return {
    start(stage) {
      stageTitle = stage;
      seen = 0;
      last = performance.now();
    },
    task() {
      seen += 1;
      const now = performance.now();
      if (now - last < PLAIN_PROGRESS_MS) return;
      last = now;
      io.stderr(`${stageTitle}: ${seen} tasks\n`);
    },
    interrupt: (print) => print(),
    stop() {},
  };
}
