import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDemoProject } from '../demo/index.js';
import { findTestFiles, readLabelRowExport, readProjectJson } from './load-test-file.js';

const dir = mkdtempSync(join(tmpdir(), 'load-test-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const loc = { file: 't.test.yaml', line: 3, col: 10 };

describe('readProjectJson', () => {
  it('reads a project, or the project of a `local export` file', async () => {
    const project = buildDemoProject(3);
    writeFileSync(join(dir, 'project.json'), JSON.stringify(project));
    writeFileSync(join(dir, 'export.json'), JSON.stringify({ format: 'encord-rules-export', version: 1, project, tasks: [] }));
    expect(await readProjectJson('project.json', loc, dir)).toEqual({ project });
    expect(await readProjectJson('export.json', loc, dir)).toEqual({ project });
  });

  it('reports a missing or malformed project at `project:`', async () => {
    expect(await readProjectJson('nope.json', loc, dir)).toMatchObject({ diagnostic: { code: 'test/project-unreadable', line: 3, col: 10 } });
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ projectHash: 'p', workflow: { stages: [null] }, ontology: {} }));
    expect(await readProjectJson('bad.json', loc, dir)).toMatchObject({ diagnostic: { code: 'test/project-invalid' } });
  });
});

describe('readLabelRowExport', () => {
  it('takes one row, alone or in a list of one, and refuses anything else', async () => {
    const row = { data_hash: 'd', data_title: 't.jpg', data_units: {} };
    writeFileSync(join(dir, 'one.json'), JSON.stringify([row]));
    writeFileSync(join(dir, 'two.json'), JSON.stringify([row, row]));
    writeFileSync(join(dir, 'not-a-row.json'), JSON.stringify({ hello: 1 }));
    expect(await readLabelRowExport('one.json', loc, dir)).toMatchObject({ row: { ...row, classification_answers: {} } });
    expect(await readLabelRowExport('two.json', loc, dir)).toMatchObject({ diagnostic: { code: 'test/label-row-invalid' } });
    expect(await readLabelRowExport('not-a-row.json', loc, dir)).toMatchObject({ diagnostic: { code: 'test/label-row-invalid' } });
  });
});

describe('findTestFiles', () => {
  it('finds *.test.yaml and *.test.yml under folders, in order, and reports missing paths', async () => {
    const found = await findTestFiles(['test/fixtures/basic', 'rules', 'no-such-dir'], process.cwd());
    expect(found.files).toEqual([
      'test/fixtures/basic/rules.test.yaml',
      'rules/london-priority.test.yaml',
      'rules/metadata-routing.test.yaml',
      'rules/weather-triage.test.yaml',
    ]);
    expect(found.diagnostics.map((d) => d.code)).toEqual(['test/not-found']);
  });
});
