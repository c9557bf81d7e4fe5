/**
 * `encord-rules test --watch`: runs the tests, then again whenever a test file, a rule file,
 * a label row or a project file it read changes (or a new test file appears under the
 * folders given), until Ctrl-C. Changes that arrive together cause one re-run.
 */
import { isAbsolute, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { CliIO } from '../context.js';
import { runTestCommand, type TestSettings } from './test.js';

/** Quiet time after a change before re-running, so an editor's save burst is one run. */
export const WATCH_DEBOUNCE_MS = 150;

/** Runs until `io.stopSignal` aborts; resolves with the last run's exit code. */
export async function watchTests(settings: TestSettings, io: CliIO): Promise<number> {
  const absolute = (p: string): string => (isAbsolute(p) ? p : join(io.cwd, p));
  let watcher: FSWatcher | undefined;
  let lastCode = 0;
  let lastInputs: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const runOnce = async (reason?: string): Promise<void> => {
    if (reason) io.stdout(`\n--- ${reason}: running the tests again ---\n`);
    const { code, inputs } = await runTestCommand(settings, io);
    lastCode = code;
    lastInputs = inputs;
  };
  const announce = (): void => io.stdout(`\nwatching for changes (Ctrl-C to stop)\n`);

  await runOnce();
  watcher = watch([...settings.paths, ...lastInputs].map(absolute), {
    ignoreInitial: true,
    ignored: (path) => /(^|[/\\])(node_modules|\.git|dist)([/\\]|$)/.test(path),
  });
  await new Promise<void>((resolve) => watcher?.once('ready', () => resolve()));
  announce();
  watcher.on('all', (_event, path) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        await runOnce(`${path} changed`);
        // Follow what this run read, so a newly named rule file or label row is watched too.
        watcher?.add(lastInputs.map(absolute));
        announce();
      });
    }, WATCH_DEBOUNCE_MS);
  });
  await waitForAbort(io.stopSignal);
  if (timer) clearTimeout(timer);
  await running;
  await watcher.close();
  return lastCode;
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
