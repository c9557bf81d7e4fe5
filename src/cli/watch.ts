/**
 * Re-runs a command when its input files change: `validate --watch` (and reusable by any
 * command that reads files). One run per burst of changes; stops on io.stopSignal.
 */
import { isAbsolute, join } from 'node:path';

/** Quiet time after a change before re-running, so an editor's save burst causes one run. */
export const WATCH_DEBOUNCE_MS = 150;

export interface WatchOptions<T> {
  /** Relative paths are watched from here. */
  cwd: string;
  /** Stop watching (and resolve) when this aborts. */
  signal: AbortSignal;
  debounceMs?: number;
  /** Called after every run but the first, with the changed path, before the run. */
  onChange?: (path: string) => void;
  /** Called after each run, e.g. to print "watching for changes". */
  onIdle?: (result: T) => void;
  /** More paths to watch after a run (files the run read); added to the watch. */
  inputsOf?: (result: T) => readonly string[];
}

/**
 * Runs `run` once, then again after each burst of changes under `paths` (files or folders,
 * recursively), never two runs at once. Resolves with the last run's result once
 * `signal` aborts (immediately after the first run if it already has).
 */
export async function runAndWatch<T>(paths: readonly string[], run: () => Promise<T>, options: WatchOptions<T>): Promise<T> {
  const absolute = (p: string): string => (isAbsolute(p) ? p : join(options.cwd, p));
  let last = await run();
  if (options.signal.aborted) return last;
  // Loaded here, not at start-up: only --watch runs need it, and every command pays for imports.
  const { watch } = await import('chokidar');
  const watcher = watch([...paths, ...(options.inputsOf?.(last) ?? [])].map(absolute), {
    ignoreInitial: true,
    ignored: (path: string) => /(^|[/\\])(node_modules|\.git)([/\\]|$)/.test(path),
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  options.onIdle?.(last);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  watcher.on('all', (_event, path) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        options.onChange?.(path);
        last = await run();
        const more = options.inputsOf?.(last) ?? [];
        if (more.length > 0) watcher.add(more.map(absolute));
        options.onIdle?.(last);
      });
    }, options.debounceMs ?? WATCH_DEBOUNCE_MS);
  });
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    else options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  if (timer) clearTimeout(timer);
  await running;
  await watcher.close();
  return last;
}
