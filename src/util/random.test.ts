import { describe, expect, it } from 'vitest';
import { deriveUuid, hashSeed, randomFor, SeededRandom } from './random.js';

// The demo project, the local store's imports and the fuzz tests' data are all drawn from these
// streams: any change to them changes every generated project, so the outputs are pinned.
describe('SeededRandom', () => {
  it('gives the same stream for a seed, on every platform', () => {
    const random = new SeededRandom(1);
    expect([random.next32(), random.next32(), random.next32()]).toEqual([3441702140, 3905197461, 1545856293]);
  });

  it('derives ids, integers and floats from a seed and a stream', () => {
    const random = new SeededRandom(42, 7);
    expect([random.uuid(), random.shortHash(), random.int(1000), random.next()]).toEqual(['ca3dfb2d-ce5f-465d-bb89-ef7e3252fdf6', 'UjY6fbw5', 216, 0.776018179487437]);
  });

  it('keeps distinct streams of one seed apart', () => {
    expect(new SeededRandom(5, 0).next32()).not.toBe(new SeededRandom(5, 1).next32());
  });
});

describe('hashSeed, randomFor, deriveUuid', () => {
  it('are pinned', () => {
    expect([hashSeed(1, 'ontology'), hashSeed('abc')]).toEqual([3163031500, 3088245675]);
    expect(randomFor(1, 'tasks', 3).next32()).toBe(1394933349);
    expect(deriveUuid('import-task', 'x')).toBe('9ad231b4-f54d-5452-901f-e956e64ab5b4');
  });
});
