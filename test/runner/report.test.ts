/** apply's terminal output: a progress line on a TTY, colour only without NO_COLOR. */
import { describe, expect, it } from 'vitest';
import { createReporter } from '../../src/cli/commands/apply-report.js';
import type { CliIO } from '../../src/cli/context.js';
import { createRunSummary } from '../../src/runner/counts.js';
import type { TaskEvent } from '../../src/runner/types.js';
import { preLabel } from './fixtures.js';

function captureIO(env: NodeJS.ProcessEnv, isTTY: boolean) {
  const out = { stdout: '', stderr: '' };
  const io: CliIO = {
    stdout: (s) => (out.stdout += s),
    stderr: (s) => (out.stderr += s),
    env,
    cwd: process.cwd(),
    isTTY,
    stopSignal: new AbortController().signal,
  };
  return { io, out };
}

const failed: TaskEvent = {
  stage: preLabel,
  outcome: 'failed',
  attempts: 1,
  plan: {
    taskUuid: 't-1',
    dataHash: 'd-1',
    dataTitle: 'oslo.jpg',
    stageUuid: preLabel.uuid,
    matchedRules: [],
    usedDefault: false,
    changes: [],
    failure: { rule: 'r', file: 'rules/x.yaml', line: 3, col: 9, code: 'jsonata/D3137', message: 'boom' },
  },
};

const settings = { format: 'text', logFormat: 'text', quiet: false, verbose: false, dryRun: false, watch: false } as const;

describe('apply reporter', () => {
  it('draws a progress line on a TTY and colours failures', () => {
    const { io, out } = captureIO({}, true);
    const reporter = createReporter(io, settings);
    reporter.callbacks.onStageStart!(preLabel);
    reporter.callbacks.onTask!(failed);
    reporter.callbacks.onStageDone!({ stageUuid: preLabel.uuid, stageTitle: 'pre-label', file: 'x', ...createRunSummary('r', false) });
    reporter.finish(createRunSummary('r', false));
    expect(out.stderr).toContain('pre-label  1 tasks');
    expect(out.stderr).toContain('\u001b[31mrules/x.yaml:3:9: error jsonata/D3137: rule "r" failed for task "oslo.jpg" (t-1): boom');
    expect(out.stdout).toMatch(/^Done in /);
  });

  it('prints no escape codes with NO_COLOR or off a TTY', () => {
    for (const [env, tty] of [[{ NO_COLOR: '1' }, true], [{}, false]] as const) {
      const { io, out } = captureIO(env, tty);
      const reporter = createReporter(io, settings);
      reporter.callbacks.onTask!(failed);
      expect(out.stderr).toBe('rules/x.yaml:3:9: error jsonata/D3137: rule "r" failed for task "oslo.jpg" (t-1): boom\n');
    }
  });

  it('says when a changed project no longer fits a stage, and where, or that the rules still fit', () => {
    const { io, out } = captureIO({ NO_COLOR: '1' }, false);
    const reporter = createReporter(io, { ...settings, watch: true });
    const diagnostic = { code: 'rule/unknown-pathway', severity: 'error' as const, message: 'stage "pre-label" has no pathway "annotate"', file: 'rules/x.yaml', line: 7, col: 16 };
    reporter.callbacks.onProjectChange!({ projectHash: 'p', title: 'Demo', running: [], skipped: ['pre-label'], diagnostics: [diagnostic] });
    expect(out.stderr).toBe(
      'project "Demo" changed and no longer fits the rules for stage "pre-label"; skipping it until the rules or the project are fixed:\n' +
        'rules/x.yaml:7:16: error rule/unknown-pathway: stage "pre-label" has no pathway "annotate"\n',
    );
    out.stderr = '';
    reporter.callbacks.onProjectChange!({ projectHash: 'p', title: 'Demo', running: ['pre-label'], skipped: [], diagnostics: [] });
    expect(out.stderr).toBe('project "Demo" changed; the rules still fit it\n');
  });
});
