import type { TextMasker } from './masking-types.ts';

/** Nesting kept as is by default; anything deeper is masked as one JSON text. */
export const MASK_DEEP_MAX_DEPTH = 20;

/**
 * The one masking walk over structured data (log arguments, parsed log lines, header
 * records): every string and every object key goes through the masker; a number or boolean
 * whose text is a secret becomes the masked text. Below `maxDepth` the value is masked as
 * its JSON text, so nesting can never carry a value past the masker. Unchanged parts keep
 * their identity, and a value with no hit is returned as is.
 */
export function maskDeep(m: TextMasker, value: unknown, maxDepth = MASK_DEEP_MAX_DEPTH): unknown {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return m.mask(v);
    if (typeof v === 'number' || typeof v === 'boolean') {
      const text = String(v);
      const masked = m.mask(text);
      return masked === text ? v : masked;
    }
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) return m.mask(JSON.stringify(v) ?? '');
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[m.mask(k)] = walk(x, depth + 1);
    return out;
  };
  return walk(value, 0);
}

/** {@link maskDeep} for a flat record of texts (header names and values). */
export const maskTextRecord = (m: TextMasker, r: Readonly<Record<string, string>> | undefined): Record<string, string> =>
  maskDeep(m, r ?? {}, 1) as Record<string, string>;
