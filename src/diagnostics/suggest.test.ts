import { describe, expect, it } from 'vitest';
import { describeChoices, suggestClosest } from './suggest.js';

describe('suggestClosest', () => {
  it.each([
    ['firts', ['first', 'all'], 'first'],
    ['annotat', ['annotate', 'review'], 'annotate'],
    ['weather', ['Weather', 'Notes'], 'Weather'],
    ['wen', ['name', 'when', 'priority'], 'when'],
    ['xyz', ['first', 'all'], undefined],
    ['pre-label', [], undefined],
  ])('%s among %j → %s', (name, candidates, expected) => {
    expect(suggestClosest(name, candidates)).toBe(expected);
  });
});

describe('describeChoices', () => {
  it('suggests and lists', () => {
    expect(describeChoices('Sunnny', ['Sunny', 'Rainy'], 'Options')).toBe('Did you mean "Sunny"? Options: "Sunny", "Rainy".');
    expect(describeChoices('x', [], 'Options')).toBe('There are none.');
  });
});
