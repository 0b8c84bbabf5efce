import { describe, expect, test } from 'vitest';
import { byText, byTime, viewList, type ListViewConfig } from './list-view.ts';

interface Item { readonly name: string; readonly event: string; readonly at: string | null }
const items: readonly Item[] = [
  { name: 'beta', event: 'sensor/temp', at: '2026-12-04T10:00:00Z' },
  { name: 'Alpha', event: 'door/open', at: null },
  { name: 'gamma10', event: 'sensor/humidity', at: '2026-12-04T12:00:00Z' },
  { name: 'gamma9', event: 'meter', at: '2026-12-03T12:00:00Z' },
];
const config: ListViewConfig<Item> = {
  words: (i) => [i.name, i.event],
  sorts: [
    { id: 'loaded', label: 'As loaded' },
    { id: 'name', label: 'Name', compare: byText((i) => i.name) },
    { id: 'newest', label: 'Newest', compare: byTime((i) => i.at, 'newest') },
    { id: 'oldest', label: 'Oldest', compare: byTime((i) => i.at, 'oldest') },
  ],
};
const names = (list: readonly Item[]) => list.map((i) => i.name);

describe('viewList', () => {
  test('without a query or an order, the loaded list itself', () => {
    expect(viewList(items, config, '  ', 'loaded')).toBe(items);
  });

  test('matches any word, in any case, and keeps the loaded order', () => {
    expect(names(viewList(items, config, 'SENSOR/', 'loaded'))).toEqual(['beta', 'gamma10']);
    expect(names(viewList(items, config, 'alp', 'loaded'))).toEqual(['Alpha']);
    expect(viewList(items, config, 'nothing', 'loaded')).toEqual([]);
  });

  test('sorts names A to Z ignoring case, numbers by value, without changing the input', () => {
    expect(names(viewList(items, config, '', 'name'))).toEqual(['Alpha', 'beta', 'gamma9', 'gamma10']);
    expect(names(items)).toEqual(['beta', 'Alpha', 'gamma10', 'gamma9']);
  });

  test('sorts by time either way, items without a time last', () => {
    expect(names(viewList(items, config, '', 'newest'))).toEqual(['gamma10', 'beta', 'gamma9', 'Alpha']);
    expect(names(viewList(items, config, '', 'oldest'))).toEqual(['gamma9', 'beta', 'gamma10', 'Alpha']);
  });

  test('searches, then sorts what it found', () => {
    expect(names(viewList(items, config, 'gamma', 'oldest'))).toEqual(['gamma9', 'gamma10']);
  });
});
