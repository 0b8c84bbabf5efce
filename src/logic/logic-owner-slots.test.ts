import { describe, expect, it } from 'vitest';
import { createOwnerSlots } from './logic-owner-slots.ts';

const jobs = (spec: string) => spec.split(' ').map((id) => ({ id, owner: id[0] as string }));
const ids = (list: ReadonlyArray<{ id: string }>) => list.map((j) => j.id);

describe('the run worker’s slots by owner', () => {
  it('starts waiting runs one owner after the other, none past its share', () => {
    const slots = createOwnerSlots(2);
    const pending = jobs('a1 a2 a3 a4 a5 b1 b2 c1');
    expect(ids(slots.take(pending, 5))).toEqual(['a1', 'b1', 'c1', 'a2', 'b2']);
    // A has its two started: only others may start, and there are none left.
    expect(ids(slots.take(pending, 5))).toEqual([]);
    expect(ids(pending)).toEqual(['a3', 'a4', 'a5']);
    slots.done('a');
    expect(ids(slots.take(pending, 5))).toEqual(['a3']);
    expect(ids(pending)).toEqual(['a4', 'a5']);
  });

  it('a flood from one owner leaves room for another owner’s run', () => {
    const slots = createOwnerSlots(8);
    const flood = jobs(Array.from({ length: 40 }, (_, i) => `a${i}`).join(' '));
    expect(slots.take(flood, 32)).toHaveLength(8);
    const later = [...flood, ...jobs('b1')];
    expect(ids(slots.take(later, 24))).toEqual(['b1']);
  });
});
