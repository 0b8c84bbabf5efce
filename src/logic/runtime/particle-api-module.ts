import type { QuickJSContext, QuickJSHandle, Scope } from 'quickjs-emscripten';
import { callHost, type HostBudget, type HostCallState } from './sandbox-host-call.ts';

/** Cloud API helper calls allowed per run. */
export const MAX_API_CALLS_PER_RUN = 50;
/** Answer bytes the helpers may bring into one run (JSON text). */
export const MAX_API_BYTES_PER_RUN = 8 * 1024 * 1024;

export interface ApiState extends HostCallState {
  readonly api: HostBudget;
}

type ArgKind = 'product' | 'device' | 'id' | 'org' | 'options';

/** The helpers of particle_core.d.ts and their arguments (`options` is optional and not sent: Hush answers whole lists). */
export const API_HELPERS: Readonly<Record<string, readonly ArgKind[]>> = {
  listDevices: ['product', 'options'],
  getDevice: ['device'],
  getLastDeviceVitals: ['device'],
  getDeviceLocation: ['product', 'device', 'options'],
  listIntegrations: ['product'],
  getIntegration: ['product', 'id'],
  integrationsMetrics: ['product', 'options'],
  listProducts: [],
  listUserProducts: [],
  listOrgProducts: ['org'],
  getProduct: ['product'],
  getOrgProduct: ['org', 'product'],
};

const DESCRIBE: Record<ArgKind, string> = {
  product: 'a product ID or slug',
  device: 'a device ID (24 hexadecimal characters)',
  id: 'an ID (a string)',
  org: 'an organization ID or slug',
  options: 'an object',
};

/**
 * Made thenable in the sandbox: `await Particle.listDevices(p)` and `Particle.listDevices(p).body`
 * both work. The call is synchronous underneath, so the object already holds `status` and
 * `body`; `then`/`catch` (not enumerable, so JSON.stringify shows `{ status, body }`) answer
 * a real promise of a plain `{ status, body }` (resolving with the thenable itself would loop).
 */
const THENABLE_SOURCE = `(r) => { const v = { status: r.status, body: r.body };
  Object.defineProperty(r, 'then', { value(f, e) { return Promise.resolve(v).then(f, e); } });
  Object.defineProperty(r, 'catch', { value(e) { return Promise.resolve(v).catch(e); } });
  return r; }`;

/** Sets each helper on `host` (the `Particle` object). */
export function installApiHelpers(vm: QuickJSContext, scope: Scope, host: QuickJSHandle, currentState: () => ApiState, parse: QuickJSHandle): void {
  let thenable: QuickJSHandle | undefined;
  for (const [name, kinds] of Object.entries(API_HELPERS)) {
    const fn = vm.newFunction(name, (...handles) => {
      const state = currentState();
      const args = kinds.flatMap((kind, i) => {
        const v = readArg(vm, handles[i], kind, `Particle.${name}: argument ${i + 1} must be ${DESCRIBE[kind]}`);
        return kind === 'options' ? [] : [v];
      });
      const text = callHost(state, state.api, `Particle.${name}`, `api.${name}`, args);
      const textHandle = vm.newString(text);
      const parsed = vm.callFunction(parse, vm.undefined, textHandle);
      textHandle.dispose();
      if (parsed.error) throw parsed.error;
      thenable ??= scope.manage(vm.unwrapResult(vm.evalCode(THENABLE_SOURCE, 'particle:core-thenable')));
      const result = vm.callFunction(thenable, vm.undefined, parsed.value);
      parsed.value.dispose();
      if (result.error) throw result.error;
      return result.value;
    });
    vm.setProp(host, name, fn);
    fn.dispose();
  }
}

function readArg(vm: QuickJSContext, h: QuickJSHandle | undefined, kind: ArgKind, message: string): string | number | undefined {
  const type = h === undefined ? 'undefined' : vm.typeof(h);
  if (kind === 'options') {
    if (type === 'undefined' || (h !== undefined && vm.sameValue(h, vm.null)) || type === 'object') return undefined;
    throw new TypeError(message);
  }
  const handle = h as QuickJSHandle;
  if (kind === 'product' && type === 'number') {
    const n = vm.getNumber(handle);
    if (Number.isSafeInteger(n) && n > 0) return n;
    throw new TypeError(message);
  }
  if (type !== 'string' || (vm.getLength(handle) ?? 0) > 64) throw new TypeError(message);
  const s = vm.getString(handle);
  if (s === '' || (kind === 'device' && !/^[0-9a-f]{24}$/i.test(s))) throw new TypeError(message);
  return s;
}
