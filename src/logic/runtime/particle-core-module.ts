import type { QuickJSContext, QuickJSHandle, Scope } from 'quickjs-emscripten';
import { EVENT_NAME_MAX, INTERNAL_EVENT_DATA_MAX_BYTES } from '../../events/event-types.ts';
import { API_HELPERS, installApiHelpers, type ApiState } from './particle-api-module.ts';
import { createLedgerFunction, type LedgerState } from './particle-ledger-module.ts';
import type { PublishRequest } from './runtime-types.ts';
import type { InterruptGuard } from './sandbox-prepare.ts';

/**
 * `particle:core` (spec §8.2): `publish`, `getContext`, `ledger` and the cloud API helpers
 * are host functions (the last two call the host through the bridge). The host builds the `Particle`
 * object; the module itself is a line of JavaScript that takes it from a hidden global set
 * just before the module is evaluated (and which the module deletes at once). Built host
 * side because compiling and running a module that builds it costs each sandbox more than
 * the rest of the module API together.
 */
const HOST_GLOBAL = '__hushParticleHost';

/** Module name under which `particle:core` is registered in each context. */
export const PARTICLE_CORE_MODULE = 'particle:core';

/** Publish data kept per run, so a runaway function cannot flood the host's memory. */
export const MAX_PUBLISH_BYTES_PER_RUN = 1024 * 1024;


/** The module: the host-built object as default export, its members as named exports. */
export const PARTICLE_CORE_SOURCE = [
  `const Particle = globalThis.${HOST_GLOBAL}; delete globalThis.${HOST_GLOBAL};`,
  `export const publish = Particle.publish, getContext = Particle.getContext, MERGE = Particle.MERGE, REPLACE = Particle.REPLACE, ledger = Particle.ledger;`,
  `export const { ${Object.keys(API_HELPERS).join(', ')} } = Particle;`,
  `export default Particle;`,
].join('\n');

/** What the host functions of one run read and write. */
export interface ParticleCoreState extends LedgerState, ApiState {
  readonly maxPublishes: number;
  readonly publishes: PublishRequest[];
  publishBytes: number;
  /** The run's context object, returned (not copied) by `getContext()`. */
  readonly contextHandle: QuickJSHandle;
}

/**
 * Evaluates the `particle:core` module in a fresh context, before any user code exists:
 * QuickJS caches modules by name, so the function's `import ... from 'particle:core'`
 * resolves to this instance without the loader, and the `JSON.stringify` captured here is
 * the original. The host functions read the state of the run the context is used for.
 */
export function installParticleCore(vm: QuickJSContext, scope: Scope, stateOfRun: () => ParticleCoreState | undefined, guard: InterruptGuard): void {
  const stringify = scope.manage(vm.getProp(vm.global, 'JSON').consume((json) => vm.getProp(json, 'stringify')));
  const parse = scope.manage(vm.getProp(vm.global, 'JSON').consume((json) => vm.getProp(json, 'parse')));
  const host = scope.manage(vm.newObject());
  const currentState = (): ParticleCoreState => {
    guard();
    const state = stateOfRun();
    if (state === undefined) throw new Error('Particle is not available outside a run');
    return state;
  };
  const publish = scope.manage(
    vm.newFunction('publish', (nameHandle, dataHandle, optionsHandle) => {
      const state = currentState();
      if (state.publishes.length >= state.maxPublishes) {
        throw new Error(`publish limit of ${state.maxPublishes} per run exceeded`);
      }
      if (nameHandle === undefined || vm.typeof(nameHandle) !== 'string') {
        throw new TypeError('Particle.publish: the event name must be a string');
      }
      const name = readBoundedString(vm, nameHandle, state);
      if (name.length === 0) throw new TypeError('Particle.publish: the event name must not be empty');
      // The event bus would refuse these after the run, where the function cannot see why.
      if (name.length > EVENT_NAME_MAX) throw new TypeError(`Particle.publish: the event name must be at most ${EVENT_NAME_MAX} characters`);
      if (/[\u0000-\u001f\u007f]/.test(name)) throw new TypeError('Particle.publish: the event name must not contain control characters');
      const request: PublishRequest = { name, data: dataToString(vm, stringify, dataHandle, state), ...readOptions(vm, optionsHandle, state) };
      if (request.data !== undefined && Buffer.byteLength(request.data) > INTERNAL_EVENT_DATA_MAX_BYTES) {
        throw new RangeError(`Particle.publish: event data must be at most ${INTERNAL_EVENT_DATA_MAX_BYTES} bytes`);
      }
      // A getter or toJSON of the arguments may have run into the deadline: nothing is published.
      guard();
      state.publishes.push(request);
      return vm.null;
    }),
  );
  const getContext = scope.manage(vm.newFunction('getContext', () => currentState().contextHandle.dup()));
  vm.setProp(host, 'publish', publish);
  vm.setProp(host, 'getContext', getContext);
  vm.setProp(host, 'ledger', createLedgerFunction(vm, scope, currentState, { stringify, parse }));
  vm.setProp(host, 'MERGE', scope.manage(vm.newString('Merge')));
  vm.setProp(host, 'REPLACE', scope.manage(vm.newString('Replace')));
  installApiHelpers(vm, scope, host, currentState, parse);
  vm.defineProp(vm.global, HOST_GLOBAL, { value: host, configurable: true, enumerable: false });
  // The module deletes the hidden global as it evaluates.
  vm.unwrapResult(vm.evalCode(PARTICLE_CORE_SOURCE, PARTICLE_CORE_MODULE, { type: 'module' })).dispose();
}

/** Copies a string out of the sandbox only if it fits the run's remaining publish budget. */
function readBoundedString(vm: QuickJSContext, handle: QuickJSHandle, state: ParticleCoreState): string {
  // UTF-16 length is a lower bound of the UTF-8 size: reject before copying a huge string.
  const length = vm.getLength(handle) ?? 0;
  if (state.publishBytes + length > MAX_PUBLISH_BYTES_PER_RUN) throw publishBytesError();
  const text = vm.getString(handle);
  state.publishBytes += Buffer.byteLength(text);
  if (state.publishBytes > MAX_PUBLISH_BYTES_PER_RUN) throw publishBytesError();
  return text;
}

const publishBytesError = () => new Error(`publish data limit of ${MAX_PUBLISH_BYTES_PER_RUN / 1024 / 1024} MiB per run exceeded`);

function dataToString(
  vm: QuickJSContext,
  stringify: QuickJSHandle,
  handle: QuickJSHandle | undefined,
  state: ParticleCoreState,
): string | undefined {
  if (handle === undefined) return undefined;
  const type = vm.typeof(handle);
  if (type === 'undefined') return undefined;
  if (type === 'string') return readBoundedString(vm, handle, state);
  const result = vm.callFunction(stringify, vm.undefined, handle);
  // A throwing toJSON or a cycle: rethrow the sandbox's own error to the caller.
  if (result.error) throw result.error;
  return result.value.consume((json) => (vm.typeof(json) === 'string' ? readBoundedString(vm, json, state) : undefined));
}

function readOptions(
  vm: QuickJSContext,
  handle: QuickJSHandle | undefined,
  state: ParticleCoreState,
): Pick<PublishRequest, 'productId' | 'asDeviceId'> {
  if (handle === undefined || vm.typeof(handle) === 'undefined' || vm.sameValue(handle, vm.null)) return {};
  if (vm.typeof(handle) !== 'object') throw new TypeError('Particle.publish: options must be an object');
  const options: { productId?: number; asDeviceId?: string } = {};
  vm.getProp(handle, 'productId').consume((h) => {
    const type = vm.typeof(h);
    if (type === 'undefined' || vm.sameValue(h, vm.null)) return;
    const id = type === 'number' ? vm.getNumber(h) : type === 'string' ? Number(readBoundedString(vm, h, state)) : NaN;
    if (!Number.isSafeInteger(id) || id < 0) {
      throw new TypeError('Particle.publish: options.productId must be a product ID (a number)');
    }
    options.productId = id;
  });
  vm.getProp(handle, 'asDeviceId').consume((h) => {
    const type = vm.typeof(h);
    if (type === 'undefined' || vm.sameValue(h, vm.null)) return;
    if (type !== 'string') throw new TypeError('Particle.publish: options.asDeviceId must be a string');
    const deviceId = readBoundedString(vm, h, state);
    if (deviceId !== '') options.asDeviceId = deviceId;
  });
  return options;
}
