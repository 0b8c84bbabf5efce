/**
 * Multi-row statements are prepared once per distinct SQL text, and the text depends on
 * the row count. Cutting a batch into power-of-two chunks (100 → 64 + 32 + 4) keeps the
 * number of distinct statements small (one per size) while a batch still needs only a
 * few statements.
 */
export function powerOfTwoChunks<T>(items: readonly T[], max = 256): T[][] {
  const out: T[][] = [];
  let at = 0;
  while (at < items.length) {
    let size = max;
    while (size > items.length - at) size >>= 1;
    out.push(items.slice(at, at + size));
    at += size;
  }
  return out;
}

/**
 * An `in (...)` list padded to a power-of-two length by repeating its last element, so
 * the statement text depends only on that length. Empty stays empty.
 */
export function paddedInList<T>(items: readonly T[]): T[] {
  if (items.length === 0) return [];
  let size = 1;
  while (size < items.length) size <<= 1;
  const out = [...items];
  while (out.length < size) out.push(items[items.length - 1] as T);
  return out;
}
