import { describe, expect, it } from 'vitest';
import { diagnosticAt } from '../diagnostics/index.js';
import { createRunSummary } from './counts.js';
import { formatSummaryText } from './format.js';

describe('formatSummaryText', () => {
  const summary = (edit: (s: ReturnType<typeof createRunSummary>) => void = () => undefined) => {
    const s = createRunSummary('run-1', false);
    s.seen = 50;
    s.elapsedMs = 1200;
    edit(s);
    return s;
  };

  it('says Done for a run that went to the end', () => {
    expect(formatSummaryText(summary())).toMatch(/^Done in 1\.2s: 50 tasks seen/);
  });

  it('does not say Done when a stage stopped on an error, and says what was kept', () => {
    const text = formatSummaryText(
      summary((s) => s.diagnostics.push(diagnosticAt({ file: 'r.yaml', line: 8, col: 3 }, 'error', 'run/audit-log-failed', 'could not write the audit log'))),
    );
    expect(text).toMatch(/^Stopped by an error in 1\.2s: 50 tasks seen/);
    expect(text).toContain('every committed batch is complete; run again once it is fixed');
  });

  it('keeps Done when the only diagnostics are warnings', () => {
    const text = formatSummaryText(summary((s) => s.diagnostics.push(diagnosticAt({ file: 'r.yaml', line: 1, col: 1 }, 'warning', 'run/x', 'w'))));
    expect(text).toMatch(/^Done in/);
  });
});
