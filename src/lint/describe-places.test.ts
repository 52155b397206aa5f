import { describe, expect, it } from 'vitest';
import { describePlaces } from './describe-places.js';

const MORE = '(the JSON report lists every place)';
const places = [
  { file: 'a.json', indexes: [0, 2] },
  { file: 'b/c.json', indexes: [5] },
  { file: 'd.json', indexes: [1, 3, 4] },
];

describe('describePlaces', () => {
  it('lists every place of every file when they fit the limit, and nothing for no place', () => {
    expect(describePlaces(places, 6)).toBe('a.json #0, #2; b/c.json #5; d.json #1, #3, #4');
    expect(describePlaces(places, 100)).toBe('a.json #0, #2; b/c.json #5; d.json #1, #3, #4');
    expect(describePlaces([], 3)).toBe('');
  });

  it('cuts after the limit, inside a file or at its end, and counts the places left out of every file', () => {
    expect(describePlaces(places, 5)).toBe(`a.json #0, #2; b/c.json #5; d.json #1, #3 … +1 more ${MORE}`);
    expect(describePlaces(places, 3)).toBe(`a.json #0, #2; b/c.json #5 … +3 more ${MORE}`);
    expect(describePlaces(places, 1)).toBe(`a.json #0 … +5 more ${MORE}`);
  });
});
