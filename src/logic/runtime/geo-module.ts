import type { QuickJSContext, Scope } from 'quickjs-emscripten';
import { reverseGeocode } from './geo-index.ts';
import type { InterruptGuard } from './sandbox-prepare.ts';

/** Hidden global holding the host function until the module takes it. */
const HOST_GLOBAL = '__hushGeoHost';

export const GEO_MODULE = 'particle:geo';

/**
 * `particle:geo` (spec §8.2): `reverseGeocode(lat, lon)` answers the nearest populated
 * place synchronously (an `await` on it works as well). The search runs host side, in
 * geo-index.ts; the module takes the host function from a hidden global.
 */
export const GEO_MODULE_SOURCE = [
  `const reverseGeocode = globalThis.${HOST_GLOBAL}; delete globalThis.${HOST_GLOBAL};`,
  `export { reverseGeocode };`,
  `export default { reverseGeocode };`,
].join('\n');

/** Installs the host function as the module is loaded; the data is loaded before the run (sandbox-run.ts). */
export function installGeo(vm: QuickJSContext, scope: Scope, guard: InterruptGuard): void {
  const fn = scope.manage(
    vm.newFunction('reverseGeocode', (latHandle, lonHandle) => {
      guard();
      const read = (handle: typeof latHandle) => (handle === undefined ? undefined : vm.dump(handle) as unknown);
      const place = reverseGeocode(read(latHandle), read(lonHandle));
      const result = vm.newObject();
      for (const [key, value] of Object.entries(place)) {
        const handle = typeof value === 'number' ? vm.newNumber(value) : vm.newString(value);
        vm.setProp(result, key, handle);
        handle.dispose();
      }
      return result;
    }),
  );
  vm.defineProp(vm.global, HOST_GLOBAL, { value: fn, configurable: true, enumerable: false });
}
