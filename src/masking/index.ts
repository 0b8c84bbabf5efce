/**
 * Masking: every text a user or operator sees passes through the owner's masker, which shows
 * `[[SENSITIVE]]` wherever a secret value, one of its lines or one of its encodings appeared.
 */
export { SENSITIVE, type Masker, type MaskStream } from './masking-types.ts';
export { createMasker } from './masker-fns.ts';
export {
  createMaskerCache,
  type MaskerCache,
  type MaskerCacheDeps,
  type MaskerCacheOptions,
} from './masker-cache.ts';
export { encodedForms, MIN_DERIVED_LENGTH, type NamedSpec } from './encodings-fns.ts';
export { maskDeep, maskTextRecord, MASK_DEEP_MAX_DEPTH } from './mask-deep.ts';
