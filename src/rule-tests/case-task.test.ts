import { describe, expect, it } from 'vitest';
import { buildDemoProject, demoStartStage } from '../demo/index.js';
import { readObjects } from '../labels/read.js';
import { readClassificationAnswer } from '../labels/write.js';
import { createSeededBytes, resolveCaseTask } from './case-task.js';
import { parseTestFile } from './parse-test-file.js';

const project = buildDemoProject(1);
const stage = demoStartStage(project);

function caseFrom(yaml: string, index = 0) {
  const parsed = parseTestFile('t.test.yaml', `version: 1\nrules: r.yaml\ncases:\n${yaml}`);
  expect(parsed.diagnostics).toEqual([]);
  return parsed.testFile!.cases[index]!;
}

describe('createSeededBytes', () => {
  it('repeats per seed and differs call to call (the label writer retries until a hash is free)', () => {
    const a = createSeededBytes(7);
    const b = createSeededBytes(7);
    const first = a(6);
    expect(b(6)).toEqual(first);
    expect(a(6)).not.toEqual(first);
  });
});

describe('resolveCaseTask', () => {
  it('fills in what Encord would have, deterministically', () => {
    const testCase = caseFrom('  - name: a\n    stage: pre-label\n    metadata: { data_title: x.jpg, client_metadata: { city: oslo } }\n    expect: { stays: true }\n');
    const built = resolveCaseTask(testCase, project, stage);
    if (!('task' in built)) throw new Error('no task');
    const { task, metadata, labelRow } = built.task;
    expect(task).toMatchObject({ status: 'NEW', dataTitle: 'x.jpg', dataHash: metadata.data_hash, assignee: null });
    expect(metadata).toMatchObject({ priority: 0.5, data_type: 'IMAGE', label_status: 'NOT_LABELLED', client_metadata: { city: 'oslo' }, workflow_graph_node: { uuid: stage.uuid, title: 'pre-label' } });
    expect(labelRow).toBeNull();
    expect(resolveCaseTask(testCase, project, stage)).toEqual(built);
  });

  it('writes answers into a label row that reads them back', () => {
    const testCase = caseFrom('  - name: a\n    stage: pre-label\n    answers:\n      Weather: { radio: Rainy }\n      Scene tags: { checklist: [Night, Urban] }\n    expect: { stays: true }\n');
    const built = resolveCaseTask(testCase, project, stage);
    if (!('task' in built)) throw new Error('no task');
    const row = built.task.labelRow!;
    const [weather, tags] = project.ontology.classifications;
    expect(readClassificationAnswer(row, weather!)).toEqual({ type: 'radio', option: 'Rainy' });
    expect(readClassificationAnswer(row, tags!)).toEqual({ type: 'checklist', options: ['Night', 'Urban'] });
    expect(built.task.metadata.label_hash).toBe(row.label_hash);
  });

  it('adds object instances that $objects reads back', () => {
    const testCase = caseFrom('  - name: a\n    stage: pre-label\n    objects: { Pedestrian: 3, Car: 1 }\n    answers: { Weather: { radio: Sunny } }\n    expect: { stays: true }\n');
    const built = resolveCaseTask(testCase, project, stage);
    if (!('task' in built)) throw new Error(JSON.stringify(built));
    const row = built.task.labelRow!;
    expect(readObjects(row, project.ontology, 'Pedestrian')).toHaveLength(3);
    expect(readObjects(row, project.ontology, 'Car')).toHaveLength(1);
    expect(readClassificationAnswer(row, project.ontology.classifications[0]!)).toEqual({ type: 'radio', option: 'Sunny' });
    const unknown = caseFrom('  - name: a\n    stage: pre-label\n    objects:\n      Bus: 1\n    expect: { stays: true }\n');
    expect(resolveCaseTask(unknown, project, stage)).toEqual({ diagnostics: [expect.objectContaining({ code: 'test/unknown-object', line: 7, col: 7 })] });
  });

  it('reports an unknown classification or option at the answer', () => {
    const unknown = caseFrom('  - name: a\n    stage: pre-label\n    answers:\n      Mood: { radio: Happy }\n    expect: { stays: true }\n');
    expect(resolveCaseTask(unknown, project, stage)).toEqual({
      diagnostics: [expect.objectContaining({ code: 'test/unknown-classification', line: 7, col: 7 })],
    });
    const option = caseFrom('  - name: a\n    stage: pre-label\n    answers:\n      Weather: { radio: Foggy }\n    expect: { stays: true }\n');
    expect(resolveCaseTask(option, project, stage)).toEqual({ diagnostics: [expect.objectContaining({ code: 'test/bad-answer', line: 7, col: 7 })] });
  });
});
