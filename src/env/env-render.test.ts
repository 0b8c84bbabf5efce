import { describe, expect, it } from 'vitest';
import { diff, renderOf, reviewOf, stateOf } from './env-render.ts';
import type { EnvLayer, EnvTarget, EnvValues } from './env-types.ts';

const layer = (name: string, own: EnvValues, snapshot: EnvValues | null = null): EnvLayer => ({
  layer: name, version: 1, own, createdAt: 't0', updatedAt: 't1', createdBy: 'u', updatedBy: 'u', snapshot, rolloutAt: snapshot ? 't2' : null, rolloutBy: snapshot ? 'u' : null,
});
const device: EnvTarget = {
  scope: {} as EnvTarget['scope'], kind: 'Device', layer: 'device:d',
  parents: [{ layer: 'owner', from: 'Owner' }, { layer: 'product:1', from: 'Product' }],
};
const layers = (...ls: EnvLayer[]) => new Map(ls.map((l) => [l.layer, l]));

describe('environment rendering', () => {
  it('inherits owner ← product ← device, the more specific scope winning', () => {
    const ls = layers(layer('owner', { A: 'o', B: 'o' }), layer('product:1', { B: 'p', C: 'p' }), layer('device:d', { C: 'd' }));
    const s = stateOf(device, ls);
    expect(s.latest.own).toEqual({ C: 'd' });
    expect(s.latest.inherited).toEqual({ A: { from: 'Owner', value: 'o' }, B: { from: 'Product', value: 'p' }, C: { from: 'Product', value: 'p' } });
    expect(s.lastSnapshot).toBeNull();
    expect(renderOf(device, ls, 'latest')).toEqual({ A: 'o', B: 'p', C: 'd' });
    expect(renderOf(device, ls, 'snapshot')).toEqual({});
  });

  it('builds last_snapshot from what each scope rolled out, and reviews what a rollout here changes', () => {
    const ls = layers(layer('owner', { A: 'o2' }, { A: 'o1' }), layer('device:d', { B: 'new' }, { B: 'old', GONE: 'x' }));
    const s = stateOf(device, ls);
    expect(s.lastSnapshot).toEqual({ own: { B: 'old', GONE: 'x' }, inherited: { A: { from: 'Owner', value: 'o1' } }, rolloutAt: 't2', rolloutBy: 'u' });
    expect(renderOf(device, ls, 'snapshot')).toEqual({ A: 'o1', B: 'old', GONE: 'x' });
    // The owner's staged A is not part of the device's rollout.
    expect(reviewOf(device, ls)).toEqual({ changes: [{ op: 'Changed', key: 'B', before: 'old', after: 'new' }, { op: 'Removed', key: 'GONE', before: 'x' }], unchanged: { A: 'o1' } });
  });

  it('diffs two flat environments', () => {
    expect(diff({ a: '1', b: '2', c: '3' }, { b: '2', c: '4', d: '5' })).toEqual({
      changes: [{ op: 'Removed', key: 'a', before: '1' }, { op: 'Changed', key: 'c', before: '3', after: '4' }, { op: 'Added', key: 'd', after: '5' }],
      unchanged: { b: '2' },
    });
  });
});
