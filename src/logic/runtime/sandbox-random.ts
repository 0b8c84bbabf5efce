import { randomBytes } from 'node:crypto';
import type { QuickJSContext } from 'quickjs-emscripten';

/**
 * QuickJS seeds `Math.random` from the clock when a context is made, so sandboxes made in
 * the same tick (two workers, two nodes, or one worker preparing its next run) draw the
 * same "random" numbers: 2 000 fresh contexts gave under 500 distinct first values, and
 * Logic code that names things with `Math.random()` overwrote its own records.
 *
 * This replaces it, before any user code runs, with xoshiro128** (Blackman and Vigna's
 * public-domain generator) seeded with 128 bits from the host's CSPRNG; two 32-bit draws
 * make the 53 bits of a double, as V8 does. It is written here because no library can be
 * loaded into a context ahead of the user's code; it is a few lines of 32-bit arithmetic,
 * evaluated inside the sandbox so a call costs no host crossing. Like the original it is
 * not cryptographically secure; it only differs from run to run.
 */
export function installSeededRandom(vm: QuickJSContext): void {
  const seed = Array.from(new Uint32Array(randomBytes(16).buffer.slice(0)));
  if (!seed.some((w) => w !== 0)) seed[0] = 1; // the generator's one forbidden state
  const code = `(() => {
    let [a, b, c, d] = ${JSON.stringify(seed)};
    const next = () => {
      const r = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)), 9) >>> 0;
      const t = b << 9;
      c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = (d << 11) | (d >>> 21);
      return r;
    };
    const random = { random: () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992 }.random;
    Object.defineProperty(Math, 'random', { value: random, writable: true, enumerable: false, configurable: true });
  })()`;
  vm.unwrapResult(vm.evalCode(code, 'hush:random')).dispose();
}
