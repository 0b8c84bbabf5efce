/**
 * Bundles Logic's vendor modules (`npm run build`, and `npm ci`'s prepare step) so that no
 * run waits for esbuild; a bundle missing at run time is built on first use instead.
 *
 *   node --import tsx scripts/build-vendor.ts
 */
import { buildVendorBundle, VENDOR_MODULES } from '../src/logic/runtime/vendor-bundles.ts';

for (const module of VENDOR_MODULES) {
  const started = Date.now();
  const source = buildVendorBundle(module);
  process.stdout.write(`[vendor] ${module.name} (${module.packageName} ${module.version}): ${Math.round(source.length / 1024)} kB in ${Date.now() - started} ms\n`);
}
