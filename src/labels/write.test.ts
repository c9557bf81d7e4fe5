import { describe, expect, it } from 'vitest';
import type { LabelRow, OntologyClassification } from '../model/index.js';
import { formatRowDate } from './label-row.js';
import {
  isSameAnswer,
  readClassificationAnswer,
  writeClassificationAnswer,
  type LabelWriteEnv,
} from './write.js';

// The SDK example of encord-api.md §3.2.
const radio: OntologyClassification = {
  id: '1',
  featureNodeHash: 'NzIxNTU1',
  attributes: [
    {
      id: '1.1',
      name: 'Radio classification 1',
      type: 'radio',
      featureNodeHash: 'MjI5MTA5',
      required: false,
      options: [
        { id: '1.1.1', label: 'cl 1 option 1', value: 'cl_1_option_1', featureNodeHash: 'MTcwMjM5' },
        { id: '1.1.2', label: 'cl 1 option 2', value: 'cl_1_option_2', featureNodeHash: 'MTIzMzU4' },
        { id: '1.1.3', label: 'old', value: 'old', featureNodeHash: 'QUFBQUFB', archived: true },
      ],
    },
  ],
};
const checklist: OntologyClassification = {
  id: '2',
  featureNodeHash: 'Q0hFQ0s=',
  attributes: [
    {
      id: '2.1',
      name: 'Tags',
      type: 'checklist',
      featureNodeHash: 'VEFHUw==',
      required: false,
      options: [
        { id: '2.1.1', label: 'Night', value: 'night', featureNodeHash: 'TklHSFQ=' },
        { id: '2.1.2', label: 'Rain', value: 'rain', featureNodeHash: 'UkFJTg==' },
      ],
    },
  ],
};
const globalText: OntologyClassification = {
  id: '3',
  featureNodeHash: 'R0xPQkFM',
  level: 'global',
  attributes: [{ id: '3.1', name: 'Notes', type: 'text', featureNodeHash: 'Tk9URVM=', required: false }],
};

const when = new Date('2023-02-09T14:12:03Z');
const env: LabelWriteEnv = { now: when, randomBytes: () => Uint8Array.from([0xe1, 0xd3, 0x30, 0xc1, 0x41, 0x05]) };

function imageRow(): LabelRow {
  return {
    label_hash: 'lh',
    data_hash: 'dh',
    data_title: 'london.jpg',
    data_type: 'image',
    data_units: { du1: { data_hash: 'du1', data_sequence: 0, labels: { objects: [], classifications: [] } } },
    classification_answers: {},
    object_answers: {},
    object_actions: {},
  };
}

describe('writeClassificationAnswer', () => {
  it('creates an instance exactly as the SDK does for an image', () => {
    const input = imageRow();
    const frozen = JSON.stringify(input);
    const result = writeClassificationAnswer(input, radio, { type: 'radio', option: 'cl 1 option 1' }, env);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(JSON.stringify(input)).toBe(frozen);
    expect(result.before).toBeNull();
    expect(result.classificationHash).toBe('4dMwwUEF');
    const stamp = 'Thu, 09 Feb 2023 14:12:03 UTC';
    expect((result.row.data_units.du1 as { labels: unknown }).labels).toEqual({
      objects: [],
      classifications: [
        {
          name: 'Radio classification 1',
          value: 'radio_classification_1',
          createdAt: stamp,
          createdBy: null,
          confidence: 1.0,
          featureHash: 'NzIxNTU1',
          classificationHash: '4dMwwUEF',
          manualAnnotation: true,
          lastEditedAt: stamp,
        },
      ],
    });
    expect(result.row.classification_answers['4dMwwUEF']).toEqual({
      classifications: [
        {
          name: 'Radio classification 1',
          value: 'radio_classification_1',
          answers: [{ name: 'cl 1 option 1', value: 'cl_1_option_1', featureHash: 'MTcwMjM5' }],
          featureHash: 'MjI5MTA5',
          manualAnnotation: true,
        },
      ],
      classificationHash: '4dMwwUEF',
      featureHash: 'NzIxNTU1',
      spaces: {},
      range: [[0, 0]],
      createdBy: null,
      createdAt: stamp,
      lastEditedBy: null,
      lastEditedAt: stamp,
      manualAnnotation: true,
    });
  });

  it('replaces the answer of an existing instance and reports the one before', () => {
    const first = writeClassificationAnswer(imageRow(), radio, { type: 'radio', option: 'cl 1 option 1' }, env);
    if (!first.ok) throw new Error('setup');
    const later = { ...env, now: new Date('2024-01-01T00:00:00Z') };
    const second = writeClassificationAnswer(first.row, radio, { type: 'radio', option: 'cl 1 option 2' }, later);
    if (!second.ok) throw new Error(second.message);
    expect(second.before).toEqual({ type: 'radio', option: 'cl 1 option 1' });
    expect(Object.keys(second.row.classification_answers)).toEqual(['4dMwwUEF']);
    const entry = second.row.classification_answers['4dMwwUEF'] as Record<string, unknown>;
    expect(entry.createdAt).toBe('Thu, 09 Feb 2023 14:12:03 UTC');
    expect(entry.lastEditedAt).toBe('Mon, 01 Jan 2024 00:00:00 UTC');
    expect(readClassificationAnswer(second.row, radio)).toEqual({ type: 'radio', option: 'cl 1 option 2' });
    // No second frame entry: the SDK refuses two instances of one classification on a frame.
    expect((second.row.data_units.du1 as { labels: { classifications: unknown[] } }).labels.classifications).toHaveLength(1);
    // The first row is untouched.
    expect(readClassificationAnswer(first.row, radio)).toEqual({ type: 'radio', option: 'cl 1 option 1' });
  });

  it('puts video answers on frame 0, creating the frame', () => {
    const row = { ...imageRow(), data_type: 'video', data_units: { du1: { data_sequence: 0, labels: {} } } };
    const result = writeClassificationAnswer(row, checklist, { type: 'checklist', options: ['Rain', 'Night'] }, env);
    if (!result.ok) throw new Error(result.message);
    const labels = (result.row.data_units.du1 as { labels: Record<string, { classifications: unknown[] }> }).labels;
    expect(labels['0']!.classifications).toHaveLength(1);
    expect(readClassificationAnswer(result.row, checklist)).toEqual({ type: 'checklist', options: ['Rain', 'Night'] });
  });

  it('writes a global classification with range [] and no frame entry', () => {
    const result = writeClassificationAnswer(imageRow(), globalText, { type: 'text', text: 'ok' }, env);
    if (!result.ok) throw new Error(result.message);
    expect((result.row.data_units.du1 as { labels: { classifications: unknown[] } }).labels.classifications).toEqual([]);
    expect(result.row.classification_answers['4dMwwUEF']).toMatchObject({ range: [] });
    expect(readClassificationAnswer(result.row, globalText)).toEqual({ type: 'text', text: 'ok' });
  });

  it('draws a fresh hash when the random one is taken', () => {
    const row = { ...imageRow(), object_answers: { '4dMwwUEF': {} } };
    let call = 0;
    const seq: LabelWriteEnv = {
      now: when,
      randomBytes: () => (call++ === 0 ? Uint8Array.from([0xe1, 0xd3, 0x30, 0xc1, 0x41, 0x05]) : new Uint8Array(6)),
    };
    const result = writeClassificationAnswer(row, radio, { type: 'radio', option: 'cl 1 option 1' }, seq);
    expect(result.ok && result.classificationHash).toBe('AAAAAAAA');
  });

  it('fails loudly instead of hanging when the random source keeps repeating a taken hash', () => {
    const row = { ...imageRow(), object_answers: { AAAAAAAA: {} } };
    const stuck: LabelWriteEnv = { now: when, randomBytes: () => new Uint8Array(6) };
    expect(() => writeClassificationAnswer(row, radio, { type: 'radio', option: 'cl 1 option 1' }, stuck)).toThrow(/random source repeats/);
  });

  it('fails as data on an unknown or archived option and on a type mismatch', () => {
    const unknown = writeClassificationAnswer(imageRow(), radio, { type: 'radio', option: 'nope' }, env);
    expect(unknown).toMatchObject({ ok: false, code: 'rule/unknown-option' });
    const archived = writeClassificationAnswer(imageRow(), radio, { type: 'radio', option: 'old' }, env);
    expect(archived).toMatchObject({ ok: false, code: 'rule/unknown-option' });
    const mismatch = writeClassificationAnswer(imageRow(), radio, { type: 'text', text: 'x' }, env);
    expect(mismatch).toMatchObject({ ok: false, code: 'rule/answer-type' });
  });
});

describe('answers', () => {
  it('compares checklists as sets and numbers exactly', () => {
    expect(isSameAnswer({ type: 'checklist', options: ['a', 'b'] }, { type: 'checklist', options: ['b', 'a'] })).toBe(true);
    expect(isSameAnswer({ type: 'checklist', options: ['a'] }, { type: 'checklist', options: ['a', 'b'] })).toBe(false);
    expect(isSameAnswer({ type: 'numeric', value: 0 }, null)).toBe(false);
    expect(isSameAnswer({ type: 'numeric', value: 0 }, { type: 'numeric', value: 0 })).toBe(true);
  });

  it('formats row dates as the SDK does', () => {
    expect(formatRowDate(when)).toBe('Thu, 09 Feb 2023 14:12:03 UTC');
  });
});
