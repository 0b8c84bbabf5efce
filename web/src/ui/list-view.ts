/**
 * Search and sort of a list the console has loaded (the APIs of most lists have no
 * search): one query matched against each item's words, one of the list's sort orders.
 */
import { useMemo, useState } from 'react';

/** One way to order a list; without `compare` the list keeps the order it was loaded in. */
export interface ListSort<T> {
  readonly id: string;
  readonly label: string;
  readonly compare?: (a: T, b: T) => number;
}

/** What a list searches in, and how it can be ordered (the first sort is the default). */
export interface ListViewConfig<T> {
  readonly words: (item: T) => readonly (string | null | undefined)[];
  readonly sorts: readonly ListSort<T>[];
}

/** The items whose words contain `query` (any case), in the order of `sort`; `items` itself when nothing changes. */
export function viewList<T>(items: readonly T[], config: ListViewConfig<T>, query: string, sortId: string): readonly T[] {
  const needle = query.trim().toLowerCase();
  const compare = config.sorts.find((s) => s.id === sortId)?.compare;
  if (!needle && !compare) return items;
  const found = needle ? items.filter((item) => config.words(item).some((w) => w?.toLowerCase().includes(needle))) : [...items];
  return compare ? found.sort(compare) : found;
}

/** Orders by a text, A to Z in the reader's language. */
export function byText<T>(text: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => text(a).localeCompare(text(b), undefined, { sensitivity: 'base', numeric: true });
}

/** Orders by an ISO time, newest first (or oldest first); items without one come last. */
export function byTime<T>(time: (item: T) => string | null | undefined, order: 'newest' | 'oldest'): (a: T, b: T) => number {
  return (a, b) => {
    const [ta, tb] = [time(a), time(b)];
    if (!ta || !tb) return ta ? -1 : tb ? 1 : 0;
    const diff = Date.parse(ta) - Date.parse(tb);
    return order === 'newest' ? -diff : diff;
  };
}

/** The state of a list's toolbar and the items it shows. */
export interface ListView<T> {
  readonly shown: readonly T[];
  readonly query: string;
  readonly setQuery: (query: string) => void;
  readonly sort: string;
  readonly setSort: (sort: string) => void;
}

/** Search and sort state for `items` (the config is read once: keep it a module constant). */
export function useListView<T>(items: readonly T[], config: ListViewConfig<T>): ListView<T> {
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState(config.sorts[0]!.id);
  const shown = useMemo(() => viewList(items, config, query, sort), [items, config, query, sort]);
  return { shown, query, setQuery, sort, setSort };
}
