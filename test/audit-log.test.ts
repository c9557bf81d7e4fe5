import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskPlan } from '../src/model/index.js';
import { openAuditLog } from '../src/backends/audit-log-file.js';
import { AuditLogError } from '../src/backends/run-state.js';
import { type AuditEntry, AuditLines, createAuditPrefix, formatAuditText, planAuditEntries } from '../src/runner/audit-log.js';

const context = {
  time: '2026-01-01T00:00:00.000Z',
  runId: 'run-1',
  project: 'p-1',
  file: 'rules/x.yaml',
  sha256: 'ab'.repeat(32),
  stage: { uuid: 's-1', title: 'pre-"label"' },
};
const plan: TaskPlan = {
  taskUuid: 't-1',
  dataHash: 'd-1',
  dataTitle: 'a "quoted"\ntitle',
  stageUuid: 's-1',
  matchedRules: ['r'],
  usedDefault: false,
  changes: [
    { kind: 'set-answer', classification: 'Weather', featureHash: 'f', before: null, after: { type: 'radio', option: 'Sunny' }, rule: 'r' },
    { kind: 'set-priority', before: 0.5, after: 0, rule: 'r' },
    { kind: 'route', pathway: { uuid: 'pw-1', name: 'annotate', destinationUuid: 's-2' }, rule: 'r' },
  ],
};
const ok = { taskUuid: 't-1', dataHash: 'd-1', status: 'ok' as const, labelsSaved: true, prioritySet: true, moved: true };

describe('audit log', () => {
  it('writes one valid JSON line per confirmed change, escaping what needs it', () => {
    const entries = planAuditEntries(context, plan, ok);
    const base = { ...context, rule: 'r', taskUuid: 't-1', dataHash: 'd-1', dataTitle: 'a "quoted"\ntitle' };
    expect(entries).toEqual([
      { ...base, change: 'set-answer', classification: 'Weather', before: null, after: { type: 'radio', option: 'Sunny' } },
      { ...base, change: 'set-priority', before: 0.5, after: 0 },
      { ...base, change: 'route', before: 'pre-"label"', after: 'annotate', pathwayUuid: 'pw-1' },
    ]);
  });

  it('leaves out what the backend did not confirm', () => {
    const stale = { ...ok, status: 'stale' as const, moved: false, labelsSaved: false };
    expect(planAuditEntries(context, plan, stale).map((e) => e.change)).toEqual(['set-priority']);
  });

  it('builds the same lines as bytes as as text, past its first buffer and with non-ASCII text', () => {
    const prefix = createAuditPrefix({ ...context, stage: { uuid: 's-1', title: 'pré-label ✓' } });
    const asText = new AuditLines(prefix, 'text');
    const asBytes = new AuditLines(prefix, 'bytes');
    for (let i = 0; i < 400; i++) {
      const titled = { ...plan, taskUuid: `t-${i}`, dataTitle: `Zürich 東京 ${'é'.repeat(i % 50)} "${i}"` };
      asText.add(titled, ok);
      asBytes.add(titled, ok);
    }
    expect(asBytes.toBytes().length).toBeGreaterThan(1 << 16);
    expect(asBytes.toText()).toBe(asText.toText());
    expect(Buffer.from(asText.toText()).equals(asBytes.toBytes())).toBe(true);
    const lines = asText.toText().trimEnd().split('\n');
    expect(lines).toHaveLength(1200);
    expect((JSON.parse(lines[1199]!) as AuditEntry).dataTitle).toBe(`Zürich 東京 ${'é'.repeat(399 % 50)} "399"`);
    expect(new AuditLines(prefix, 'bytes').isEmpty).toBe(true);
  });

  it('appends to the file, created only on the first write', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'audit-')), 'deep/audit.jsonl');
    const sink = openAuditLog(path);
    sink.writeText('');
    expect(existsSync(path)).toBe(false);
    const text = formatAuditText(createAuditPrefix(context), plan, ok);
    sink.writeText(text);
    sink.writeText(text);
    await sink.close();
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(6);
  });

  it('keeps queued writes in order, and flush waits for all of them', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl');
    const sink = openAuditLog(path);
    const lines = Array.from({ length: 200 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(i * 50)}"}\n`);
    for (const line of lines) sink.writeText(line);
    await sink.flush!();
    expect(readFileSync(path, 'utf8')).toBe(lines.join(''));
    await sink.close();
  });

  it('reports a write it could not do at flush, naming the file, and never throws from close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-'));
    writeFileSync(join(dir, 'not-a-folder'), '');
    const path = join(dir, 'not-a-folder', 'audit.jsonl');
    const sink = openAuditLog(path);
    sink.writeText('{"n":1}\n');
    const failure = await sink.flush!().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AuditLogError);
    expect((failure as AuditLogError).code).toBe('run/audit-log-failed');
    expect((failure as AuditLogError).message).toContain(path);
    await expect(sink.close()).resolves.toBeUndefined();
  });
});
