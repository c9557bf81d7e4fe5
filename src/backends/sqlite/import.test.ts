import { describe, expect, it } from 'vitest';
import { generateDemoProject } from '../../demo/index.js';
import { resolveImportProject } from './import.js';

const demo = generateDemoProject({ tasks: 4, seed: 2 });
const rows = demo.tasks.map((t) => t.labelRow);
const workflow = {
  stages: [
    { title: 'triage', type: 'AGENT', pathways: [{ name: 'label', to: 'Label' }] },
    { title: 'Label', stageType: 'ANNOTATION' },
  ],
};

describe('resolveImportProject', () => {
  it('builds a project whose tasks wait in the first stage', () => {
    const result = resolveImportProject({ labelRows: { label_rows: rows }, workflow, ontology: { editor: demo.project.ontology }, title: 'T' }, '2026-02-01T00:00:00.000Z');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { project, tasks } = result.input;
    const [triage, label] = project.workflow.stages;
    expect(triage?.pathways).toEqual([expect.objectContaining({ name: 'label', destinationUuid: label?.uuid })]);
    expect(project.ontology).toEqual(demo.project.ontology);
    const list = [...tasks];
    expect(list.map((t) => t.metadata.workflow_graph_node?.uuid)).toEqual(rows.map(() => triage?.uuid));
    expect(list.map((t) => t.task.dataHash)).toEqual(rows.map((r) => r.data_hash));
    expect(list[0]?.metadata.data_type).toBe('IMAGE');
    // Same rows, same task uuids: re-importing gives the same tasks.
    const again = resolveImportProject({ labelRows: rows, workflow, title: 'T' });
    expect(again.ok && [...again.input.tasks].map((t) => t.task.uuid)).toEqual(list.map((t) => t.task.uuid));
  });

  it.each([
    ['not label rows', { hello: 'world' }, workflow, 'labelRows', ''],
    ['an empty file', [], workflow, 'labelRows', ''],
    ['a row without data_hash', [{ data_title: 'x', data_units: {} }], workflow, 'labelRows', '[0].data_hash'],
    ['a row without data_units', [{ data_hash: 'h', data_title: 'x' }], workflow, 'labelRows', '[0].data_units'],
    ['a repeated data hash', [rows[0], rows[0]], workflow, 'labelRows', '[1].data_hash'],
    ['no workflow', rows, undefined, 'workflow', ''],
    ['a workflow without stages', rows, { stages: [] }, 'workflow', '.stages'],
    ['an unknown stage type', rows, { stages: [{ title: 'a', type: 'MAGIC' }] }, 'workflow', '.stages[0].type'],
    ['a pathway to nowhere', rows, { stages: [{ title: 'a', type: 'AGENT', pathways: [{ name: 'p', to: 'b' }] }] }, 'workflow', '.stages[0].pathways[0]'],
  ])('reports %s', (_, labelRows, wf, input, path) => {
    const result = resolveImportProject({ labelRows, workflow: wf, title: 'T' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual(expect.objectContaining({ input, path }));
  });
});
