/** Shared fixtures for the runner's tests: a small project, records and a fixed plan env. */
import type { AgentTask, LabelRow, Project, Stage, TaskRecord } from '../../src/model/index.js';
import type { PlanEnv } from '../../src/runner/plan.js';

export const preLabel: Stage = {
  uuid: 'stage-pre-label',
  title: 'pre-label',
  stageType: 'AGENT',
  pathways: [
    { uuid: 'pw-annotate', name: 'annotate', destinationUuid: 'stage-annotate' },
    { uuid: 'pw-errors', name: 'errors', destinationUuid: 'stage-review' },
  ],
};

export const project: Project = {
  projectHash: 'p-1',
  title: 'Fixture project',
  description: '',
  projectType: 'workflow',
  ontologyHash: 'o-1',
  ontology: {
    objects: [],
    classifications: [
      {
        id: '1',
        featureNodeHash: 'weatherF',
        attributes: [
          {
            id: '1.1',
            name: 'Weather',
            type: 'radio',
            featureNodeHash: 'weatherA',
            required: false,
            options: [
              { id: '1.1.1', label: 'Sunny', value: 'sunny', featureNodeHash: 'sunnyO' },
              { id: '1.1.2', label: 'Rainy', value: 'rainy', featureNodeHash: 'rainyO' },
            ],
          },
        ],
      },
    ],
  },
  workflow: {
    stages: [
      preLabel,
      { uuid: 'stage-annotate', title: 'Annotate', stageType: 'ANNOTATION', pathways: [] },
      { uuid: 'stage-review', title: 'Review', stageType: 'REVIEW', pathways: [] },
    ],
  },
};

export function makeTask(i: number, title = `image-${i}.jpg`): AgentTask {
  return {
    uuid: `task-${String(i).padStart(6, '0')}`,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    status: 'NEW',
    dataHash: `data-${i}`,
    dataTitle: title,
    labelBranchName: 'main',
    assignee: null,
    lastActionedBy: null,
  };
}

export function makeLabelRow(task: AgentTask): LabelRow {
  return {
    label_hash: `label-${task.dataHash}`,
    data_hash: task.dataHash,
    data_title: task.dataTitle,
    data_type: 'image',
    data_units: { [`du-${task.dataHash}`]: { data_sequence: 0, labels: { objects: [], classifications: [] } } },
    classification_answers: {},
    object_answers: {},
    object_actions: {},
  };
}

export function makeRecord(task: AgentTask, priority: number | null, withLabels = false): TaskRecord {
  const record: TaskRecord = {
    task,
    metadata: {
      label_hash: `label-${task.dataHash}`,
      data_hash: task.dataHash,
      data_title: task.dataTitle,
      data_type: 'IMAGE',
      dataset_hash: 'ds-1',
      dataset_title: 'Dataset',
      label_status: 'NOT_LABELLED',
      priority,
      workflow_graph_node: { uuid: preLabel.uuid, title: preLabel.title },
    },
  };
  if (withLabels) record.labelRow = makeLabelRow(task);
  return record;
}

export const fixedEnv: PlanEnv = {
  now: new Date('2026-01-01T00:00:00Z'),
  randomBytes: () => Uint8Array.from([1, 2, 3, 4, 5, 6]),
};
