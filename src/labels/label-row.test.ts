import { describe, expect, it } from 'vitest';
import type { LabelRowMetadata, OntologyAttribute } from '../model/index.js';
import { addFrameEntry, buildAttributeAnswer, buildClassificationInstance, createEmptyLabelRow, formatRowDate, toLowerSnakeCase } from './label-row.js';

const radio: OntologyAttribute = {
  id: '1.1',
  name: 'Radio classification 1',
  type: 'radio',
  featureNodeHash: 'MjI5MTA5',
  required: false,
  options: [{ id: '1.1.1', label: 'cl 1 option 1', value: 'cl_1_option_1', featureNodeHash: 'MTcwMjM5' }],
};
const stamp = 'Thu, 09 Feb 2023 14:12:03 UTC';

describe('label-row format', () => {
  it('formats dates and names as Encord writes them', () => {
    expect(formatRowDate(new Date('2023-02-09T14:12:03Z'))).toBe(stamp);
    expect(toLowerSnakeCase('Radio classification 1')).toBe('radio_classification_1');
  });

  it('builds the SDK example of encord-api.md §3.2, keys in the SDK order', () => {
    const answer = buildAttributeAnswer(radio, radio.options!, true);
    expect(JSON.stringify(answer)).toBe(
      '{"name":"Radio classification 1","value":"radio_classification_1","answers":[{"name":"cl 1 option 1","value":"cl_1_option_1","featureHash":"MTcwMjM5"}],"featureHash":"MjI5MTA5","manualAnnotation":true}',
    );
    const { frameEntry, answerEntry } = buildClassificationInstance('NzIxNTU1', radio, '4dMwwUEF', answer, { createdBy: null, createdAt: stamp, manualAnnotation: true, confidence: 1.0 });
    expect(JSON.stringify(frameEntry)).toBe(
      `{"name":"Radio classification 1","value":"radio_classification_1","createdAt":"${stamp}","createdBy":null,"confidence":1,"featureHash":"NzIxNTU1","classificationHash":"4dMwwUEF","manualAnnotation":true,"lastEditedAt":"${stamp}"}`,
    );
    expect(answerEntry).toMatchObject({ classificationHash: '4dMwwUEF', featureHash: 'NzIxNTU1', range: [[0, 0]], createdBy: null, lastEditedBy: null });
  });

  it('writes lastEditedBy on the frame entry only for an author that has one, and no frame entry for a global classification', () => {
    const answer = buildAttributeAnswer(radio, 'x', false);
    const author = { createdBy: 'model@example.com', createdAt: stamp, manualAnnotation: false, confidence: 0.7, lastEditedBy: 'model@example.com' };
    expect(buildClassificationInstance('F', radio, 'h', answer, author).frameEntry).toMatchObject({ lastEditedBy: 'model@example.com', confidence: 0.7 });
    const global = buildClassificationInstance('F', radio, 'h', answer, author, { global: true });
    expect(global.frameEntry).toBeUndefined();
    expect(global.answerEntry.range).toEqual([]);
  });

  it('creates the empty row of a data unit from metadata, and adds frame entries to frame 0', () => {
    const metadata: LabelRowMetadata = { label_hash: 'lh', data_hash: 'dh', data_title: 'a.jpg', data_type: 'IMAGE', dataset_hash: 'ds', dataset_title: 'D', label_status: 'NOT_LABELLED', priority: null, workflow_graph_node: null, created_at: '2023-02-09T14:12:03Z' };
    const row = createEmptyLabelRow(metadata, 'lh');
    expect(row).toMatchObject({ label_hash: 'lh', data_type: 'image', created_at: stamp, last_edited_at: stamp });
    const added = addFrameEntry(row, { classificationHash: 'h' });
    expect((added.data_units.dh as { labels: { classifications: unknown[] } }).labels.classifications).toEqual([{ classificationHash: 'h' }]);
    expect((row.data_units.dh as { labels: { classifications: unknown[] } }).labels.classifications).toEqual([]);
  });
});
