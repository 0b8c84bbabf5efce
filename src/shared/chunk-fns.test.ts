import { describe, expect, it } from 'vitest';
import { paddedInList, powerOfTwoChunks } from './chunk-fns.ts';

describe('powerOfTwoChunks', () => {
  it('cuts into descending powers of two, keeping order and every item', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const chunks = powerOfTwoChunks(items, 256);
    expect(chunks.map((c) => c.length)).toEqual([64, 32, 4]);
    expect(chunks.flat()).toEqual(items);
    expect(powerOfTwoChunks(Array.from({ length: 300 }, (_, i) => i), 128).map((c) => c.length)).toEqual([128, 128, 32, 8, 4]);
    expect(powerOfTwoChunks([])).toEqual([]);
  });
});

describe('paddedInList', () => {
  it('pads to a power of two with the last element', () => {
    expect(paddedInList(['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'c']);
    expect(paddedInList(['a'])).toEqual(['a']);
    expect(paddedInList([])).toEqual([]);
  });
});
