/**
 * `encord-rules test --watch`: runs the tests, then again whenever a test file, a rule file,
 * a label row or a project file it read changes (or a new test file appears under the
 * folders given), until Ctrl-C. The watching itself is the shared runAndWatch.
 */
import type { CliIO } from '../context.js';
import { runAndWatch } from '../watch.js';
import { runTestCommand, type TestSettings } from './test.js';

/** Runs until `io.stopSignal` aborts; resolves with the last run's exit code. */
export async function watchTests(settings: TestSettings, io: CliIO): Promise<number> {
  const last = await runAndWatch(settings.paths, () => runTestCommand(settings, io), {
    cwd: io.cwd,
    signal: io.stopSignal,
    onChange: (path) => io.stdout(`\n--- ${path} changed: running the tests again ---\n`),
    onIdle: () => io.stdout('\nwatching for changes (Ctrl-C to stop)\n'),
    inputsOf: (run) => run.inputs,
  });
  return last.code;
}
