import { describe, expect, it } from 'vitest';
import { findClassification, findObject, findOption, LabelReadError, readAnswer, readObjects } from './read.js';
import { IMAGE_LABEL_ROW, ONTOLOGY, VIDEO_LABEL_ROW } from './test-support.js';

describe('findClassification / findObject / findOption', () => {
  it('resolves a classification by title, classification hash or attribute hash', () => {
    for (const key of ['Weather', 'wthrCls4', 'wthrAtt4']) {
      expect(findClassification(ONTOLOGY, key)?.attribute.featureNodeHash).toBe('wthrAtt4');
    }
  });

  it('resolves a nested attribute under a radio option to its own attribute', () => {
    const resolved = findClassification(ONTOLOGY, 'Intensity');
    expect(resolved?.classification.featureNodeHash).toBe('wthrCls4');
    expect(resolved?.attribute.featureNodeHash).toBe('intnsAtt');
  });

  it('returns undefined for a name not in the ontology', () => {
    expect(findClassification(ONTOLOGY, 'weather')).toBeUndefined();
    expect(findObject(ONTOLOGY, 'Truck')).toBeUndefined();
  });

  it('prefers the unarchived object when names clash', () => {
    expect(findObject(ONTOLOGY, 'Car')?.featureNodeHash).toBe('carFeat1');
    expect(findObject(ONTOLOGY, 'oldCar03')?.archived).toBe(true);
  });

  it('finds options by label, hash, then value', () => {
    const weather = findClassification(ONTOLOGY, 'Weather')!.attribute;
    expect(findOption(weather, 'Rain')?.featureNodeHash).toBe('optRain0');
    expect(findOption(weather, 'optSunny')?.label).toBe('Sunny');
    expect(findOption(weather, 'rain')?.label).toBe('Rain');
    expect(findOption(weather, 'Snow')).toBeUndefined();
  });
});

describe('readAnswer', () => {
  it('reads radio answers by featureHash and reports the ontology label', () => {
    expect(readAnswer(IMAGE_LABEL_ROW, ONTOLOGY, 'Weather')).toEqual({ type: 'radio', option: 'Rain' });
    expect(readAnswer(VIDEO_LABEL_ROW, ONTOLOGY, 'wthrCls4')).toEqual({ type: 'radio', option: 'Sunny' });
  });

  it('reads a nested attribute flattened into the same classification list', () => {
    expect(readAnswer(IMAGE_LABEL_ROW, ONTOLOGY, 'Intensity')).toEqual({ type: 'radio', option: 'Heavy' });
    expect(readAnswer(VIDEO_LABEL_ROW, ONTOLOGY, 'Intensity')).toBeUndefined();
  });

  it('reads checklist, text and numeric answers', () => {
    expect(readAnswer(IMAGE_LABEL_ROW, ONTOLOGY, 'Tags')).toEqual({ type: 'checklist', options: ['Outdoor', 'Night'] });
    expect(readAnswer(VIDEO_LABEL_ROW, ONTOLOGY, 'Tags')).toEqual({ type: 'checklist', options: [] });
    expect(readAnswer(IMAGE_LABEL_ROW, ONTOLOGY, 'Notes')).toEqual({ type: 'text', text: 'check the bridge' });
    expect(readAnswer(IMAGE_LABEL_ROW, ONTOLOGY, 'Count')).toEqual({ type: 'numeric', value: 3 });
  });

  it('is undefined when unanswered, or when there are no labels at all', () => {
    expect(readAnswer(VIDEO_LABEL_ROW, ONTOLOGY, 'Notes')).toBeUndefined();
    expect(readAnswer({ data_title: 'metadata only' }, ONTOLOGY, 'Weather')).toBeUndefined();
  });

  it('throws LabelReadError for a classification not in the ontology', () => {
    expect(() => readAnswer(IMAGE_LABEL_ROW, ONTOLOGY, 'Mood')).toThrow(LabelReadError);
    try {
      readAnswer(IMAGE_LABEL_ROW, ONTOLOGY, 'Mood');
    } catch (error) {
      expect((error as LabelReadError).code).toBe('rule/unknown-classification');
    }
  });
});

describe('readObjects', () => {
  it('lists image objects as frame 0, optionally of one class', () => {
    expect(readObjects(IMAGE_LABEL_ROW, ONTOLOGY).map((o) => o.objectHash)).toEqual(['objCar01', 'objCar02', 'objPer01']);
    const cars = readObjects(IMAGE_LABEL_ROW, ONTOLOGY, 'Car');
    expect(cars.map((o) => [o.objectHash, o.frame, o.dataUnit])).toEqual([
      ['objCar01', 0, 'du-image-1'],
      ['objCar02', 0, 'du-image-1'],
    ]);
    expect(cars[1]?.boundingBox).toEqual({ x: 0.5, y: 0.1, w: 0.2, h: 0.2 });
  });

  it('lists video objects on every frame, in frame order', () => {
    const cars = readObjects(VIDEO_LABEL_ROW, ONTOLOGY, 'Car');
    expect(cars.map((o) => [o.objectHash, o.frame])).toEqual([
      ['vidCar01', 0],
      ['vidCar01', 1],
      ['vidCar01', 2],
    ]);
    expect(readObjects(VIDEO_LABEL_ROW, ONTOLOGY, 'perFeat2').map((o) => o.frame)).toEqual([5]);
  });

  it('is empty without labels, and refuses an unknown object class', () => {
    expect(readObjects({ data_title: 'x' }, ONTOLOGY)).toEqual([]);
    expect(() => readObjects(IMAGE_LABEL_ROW, ONTOLOGY, 'Truck')).toThrowError(/no object "Truck"/);
  });

  it('does not change the label row', () => {
    const before = JSON.stringify(VIDEO_LABEL_ROW);
    readObjects(VIDEO_LABEL_ROW, ONTOLOGY, 'Car')[0]!.frame = 99;
    expect(JSON.stringify(VIDEO_LABEL_ROW)).toBe(before);
  });
});
