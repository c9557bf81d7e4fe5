/**
 * Realistic Encord label rows (encord-api.md §3.1) and their ontology (§3.3), for tests of
 * the label helpers and the rules that use them. Test-only: tsconfig.build.json leaves every
 * test-support.ts out of dist/.
 */
import type { LabelRow, Ontology } from '../model/index.js';

export const ONTOLOGY: Ontology = {
  objects: [
    { id: '1', name: 'Car', color: '#D33115', shape: 'bounding_box', featureNodeHash: 'carFeat1' },
    { id: '2', name: 'Person', color: '#E27300', shape: 'polygon', featureNodeHash: 'perFeat2' },
    { id: '3', name: 'Car', color: '#000000', shape: 'point', featureNodeHash: 'oldCar03', archived: true },
  ],
  classifications: [
    {
      id: '4',
      featureNodeHash: 'wthrCls4',
      attributes: [
        {
          id: '4.1',
          name: 'Weather',
          type: 'radio',
          featureNodeHash: 'wthrAtt4',
          required: false,
          options: [
            { id: '4.1.1', label: 'Sunny', value: 'sunny', featureNodeHash: 'optSunny' },
            {
              id: '4.1.2',
              label: 'Rain',
              value: 'rain',
              featureNodeHash: 'optRain0',
              options: [
                {
                  id: '4.1.2.1',
                  name: 'Intensity',
                  type: 'radio',
                  featureNodeHash: 'intnsAtt',
                  required: false,
                  options: [
                    { id: '4.1.2.1.1', label: 'Light', value: 'light', featureNodeHash: 'optLight' },
                    { id: '4.1.2.1.2', label: 'Heavy', value: 'heavy', featureNodeHash: 'optHeavy' },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    {
      id: '5',
      featureNodeHash: 'tagsCls5',
      attributes: [
        {
          id: '5.1',
          name: 'Tags',
          type: 'checklist',
          featureNodeHash: 'tagsAtt5',
          required: false,
          options: [
            { id: '5.1.1', label: 'Outdoor', value: 'outdoor', featureNodeHash: 'optOutdr' },
            { id: '5.1.2', label: 'Night', value: 'night', featureNodeHash: 'optNight' },
          ],
        },
      ],
    },
    { id: '6', featureNodeHash: 'noteCls6', level: 'global', attributes: [{ id: '6.1', name: 'Notes', type: 'text', featureNodeHash: 'noteAtt6', required: false }] },
    { id: '7', featureNodeHash: 'cntCls07', attributes: [{ id: '7.1', name: 'Count', type: 'numeric', featureNodeHash: 'cntAtt07', required: false }] },
  ],
};

const created = 'Thu, 09 Feb 2023 14:12:03 UTC';

function car(objectHash: string, x: number) {
  return {
    objectHash, featureHash: 'carFeat1', name: 'Car', color: '#D33115', shape: 'bounding_box', value: 'car',
    createdAt: created, createdBy: 'a@b.c', confidence: 1, manualAnnotation: true,
    boundingBox: { x, y: 0.1, w: 0.2, h: 0.2 },
  };
}

function person(objectHash: string) {
  return {
    objectHash, featureHash: 'perFeat2', name: 'Person', color: '#E27300', shape: 'polygon', value: 'person',
    createdAt: created, confidence: 1, manualAnnotation: true,
    polygon: { 0: { x: 0.1, y: 0.1 }, 1: { x: 0.2, y: 0.1 }, 2: { x: 0.2, y: 0.3 } },
  };
}

/** An image: Weather = Rain (Heavy, flattened), Tags = [Outdoor, Night], Notes, Count = 3; two cars, a person. */
export const IMAGE_LABEL_ROW: LabelRow = {
  label_hash: 'lbl-image-1',
  branch_name: 'main',
  data_hash: 'data-image-1',
  data_title: 'london-bridge.jpg',
  data_type: 'image',
  dataset_hash: 'ds-1',
  dataset_title: 'Streets',
  label_status: 'LABEL_IN_PROGRESS',
  data_units: {
    'du-image-1': {
      data_hash: 'du-image-1', data_title: 'london-bridge.jpg', data_type: 'image/jpeg', data_sequence: 0,
      width: 640, height: 480,
      labels: {
        objects: [car('objCar01', 0.1), car('objCar02', 0.5), person('objPer01')],
        classifications: [
          { classificationHash: 'clsWthr1', featureHash: 'wthrCls4', name: 'Weather', value: 'weather', createdAt: created, confidence: 1, manualAnnotation: true },
          { classificationHash: 'clsTags1', featureHash: 'tagsCls5', name: 'Tags', value: 'tags', createdAt: created, confidence: 1, manualAnnotation: true },
          { classificationHash: 'clsCnt01', featureHash: 'cntCls07', name: 'Count', value: 'count', createdAt: created, confidence: 1, manualAnnotation: true },
        ],
      },
    },
  },
  classification_answers: {
    clsWthr1: {
      classificationHash: 'clsWthr1', featureHash: 'wthrCls4', spaces: {}, range: [[0, 0]],
      classifications: [
        // The SDK writes nested answers first (reverse order).
        { name: 'Intensity', value: 'intensity', featureHash: 'intnsAtt', manualAnnotation: true, answers: [{ name: 'Heavy', value: 'heavy', featureHash: 'optHeavy' }] },
        { name: 'Weather', value: 'weather', featureHash: 'wthrAtt4', manualAnnotation: true, answers: [{ name: 'Rain (old name)', value: 'rain', featureHash: 'optRain0' }] },
      ],
    },
    clsTags1: {
      classificationHash: 'clsTags1', featureHash: 'tagsCls5', spaces: {}, range: [[0, 0]],
      classifications: [
        { name: 'Tags', value: 'tags', featureHash: 'tagsAtt5', manualAnnotation: true, answers: [
          { name: 'Outdoor', value: 'outdoor', featureHash: 'optOutdr' },
          { name: 'Night', value: 'night', featureHash: 'optNight' },
        ] },
      ],
    },
    clsNote1: {
      classificationHash: 'clsNote1', featureHash: 'noteCls6', spaces: {}, range: [],
      createdBy: 'a@b.c', createdAt: created, lastEditedBy: 'a@b.c', lastEditedAt: created,
      classifications: [{ name: 'Notes', value: 'notes', featureHash: 'noteAtt6', manualAnnotation: true, answers: 'check the bridge' }],
    },
    clsCnt01: {
      classificationHash: 'clsCnt01', featureHash: 'cntCls07', spaces: {}, range: [[0, 0]],
      classifications: [{ name: 'Count', value: 'count', featureHash: 'cntAtt07', manualAnnotation: true, answers: 3 }],
    },
  },
  object_answers: {
    objCar01: { objectHash: 'objCar01', classifications: [] },
    objCar02: { objectHash: 'objCar02', classifications: [] },
    objPer01: { objectHash: 'objPer01', classifications: [] },
  },
  object_actions: {},
};

/** A video: a car tracked over frames 0–2, a person on frame 5; Weather = Sunny; Tags answered with []. */
export const VIDEO_LABEL_ROW: LabelRow = {
  label_hash: 'lbl-video-1',
  data_hash: 'data-video-1',
  data_title: 'paris-traffic.mp4',
  data_type: 'video',
  data_units: {
    'du-video-1': {
      data_hash: 'du-video-1', data_title: 'paris-traffic.mp4', data_type: 'video/mp4', data_sequence: 0,
      width: 1920, height: 1080, data_fps: 25, data_duration: 12.4,
      labels: {
        '0': { objects: [car('vidCar01', 0.1)], classifications: [] },
        '1': { objects: [car('vidCar01', 0.15)], classifications: [] },
        '2': { objects: [car('vidCar01', 0.2)], classifications: [] },
        '5': { objects: [person('vidPer01')], classifications: [] },
        '10': { objects: [], classifications: [] },
      },
    },
  },
  classification_answers: {
    vidWthr1: {
      classificationHash: 'vidWthr1', featureHash: 'wthrCls4', spaces: {}, range: [[0, 300]],
      classifications: [{ name: 'Weather', value: 'weather', featureHash: 'wthrAtt4', manualAnnotation: true, answers: [{ name: 'Sunny', value: 'sunny', featureHash: 'optSunny' }] }],
    },
    vidTags1: {
      classificationHash: 'vidTags1', featureHash: 'tagsCls5', spaces: {}, range: [[0, 300]],
      classifications: [{ name: 'Tags', value: 'tags', featureHash: 'tagsAtt5', manualAnnotation: true, answers: [] }],
    },
  },
  object_answers: {},
  object_actions: {},
};
