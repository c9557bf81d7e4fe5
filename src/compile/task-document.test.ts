import { describe, expect, it } from 'vitest';
import type { AgentTask, LabelRowMetadata, TaskRecord } from '../model/index.js';
import { IMAGE_LABEL_ROW } from '../labels/test-support.js';
import { buildTaskDocument } from './task-document.js';

const task: AgentTask = {
  uuid: 'task-1', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-02T00:00:00Z', status: 'NEW',
  dataHash: 'data-image-1', dataTitle: 'london-bridge.jpg', labelBranchName: 'main', assignee: null, lastActionedBy: null,
};
const metadata: LabelRowMetadata = {
  label_hash: 'lbl-image-1', data_hash: 'data-image-1', data_title: 'london-bridge.jpg', data_type: 'IMAGE',
  dataset_hash: 'ds-1', dataset_title: 'Streets', label_status: 'LABEL_IN_PROGRESS', priority: 0.5,
  workflow_graph_node: { uuid: 'stage-1', title: 'pre-label' }, client_metadata: { source: 'drone' },
  width: 640, height: 480, annotation_task_status: 'QUEUED',
};

describe('buildTaskDocument', () => {
  it('puts metadata at the top level and the task under `task`', () => {
    const document = buildTaskDocument({ task, metadata });
    expect(document).toEqual({ ...metadata, task });
    expect(document.data_type).toBe('IMAGE');
    expect(document).not.toHaveProperty('data_units');
  });

  it('adds the label fields at the top level when the label row was fetched, keeping metadata names', () => {
    const record: TaskRecord = { task, metadata, labelRow: IMAGE_LABEL_ROW };
    const document = buildTaskDocument(record);
    expect(document.data_units).toBe(IMAGE_LABEL_ROW.data_units);
    expect(document.classification_answers).toBe(IMAGE_LABEL_ROW.classification_answers);
    expect(document.object_answers).toBe(IMAGE_LABEL_ROW.object_answers);
    expect(document.object_actions).toBe(IMAGE_LABEL_ROW.object_actions);
    // The metadata's upper-case data_type wins over the label row's lower-case one.
    expect(document.data_type).toBe('IMAGE');
    expect(document.task).toBe(task);
  });

  it('does not change the record', () => {
    const record: TaskRecord = { task, metadata: { ...metadata }, labelRow: IMAGE_LABEL_ROW };
    const before = JSON.stringify(record);
    buildTaskDocument(record).data_title = 'changed';
    expect(JSON.stringify(record)).toBe(before);
  });
});
