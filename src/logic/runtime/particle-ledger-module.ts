import type { QuickJSContext, QuickJSHandle, Scope } from 'quickjs-emscripten';
import { callHost, spend, type HostBudget, type HostCallState } from './sandbox-host-call.ts';

/** `Particle.ledger` calls (`get`, `set`, `delete`) allowed per run. */
export const MAX_LEDGER_CALLS_PER_RUN = 100;
/** Ledger data sent and received per run (JSON text). */
export const MAX_LEDGER_BYTES_PER_RUN = 8 * 1024 * 1024;

/** The scope options as sent to the host: what the function passed (the host fills in the trigger's). */
export interface LedgerScopeOptions {
  readonly deviceId?: string;
  readonly productId?: number;
}

export interface LedgerState extends HostCallState {
  readonly ledger: HostBudget;
}

interface JsonFns {
  readonly stringify: QuickJSHandle;
  readonly parse: QuickJSHandle;
}

/**
 * `Particle.ledger(name, { deviceId?, productId? })` (particle_core.d.ts): an object with
 * `get()` → `{ updatedAt, data }`, `set(data, mode)` → null and `delete()` → null, each a
 * synchronous host call through the bridge. Arguments are checked here, before anything is
 * sent; the host checks the ledger, the scope and the data against the store.
 */
export function createLedgerFunction(vm: QuickJSContext, scope: Scope, currentState: () => LedgerState, json: JsonFns): QuickJSHandle {
  return scope.manage(
    vm.newFunction('ledger', (nameHandle, optionsHandle) => {
      currentState();
      if (nameHandle === undefined || vm.typeof(nameHandle) !== 'string') throw new TypeError('Particle.ledger: the ledger name must be a string');
      if ((vm.getLength(nameHandle) ?? 0) > 200) throw new TypeError('Particle.ledger: the ledger name is too long');
      const name = vm.getString(nameHandle);
      const options = readScopeOptions(vm, optionsHandle);
      const label = (op: string) => `Particle.ledger('${name}').${op}`;
      const ledger = vm.newObject();
      const method = (op: string, fn: (...args: QuickJSHandle[]) => QuickJSHandle) => {
        const handle = vm.newFunction(op, fn);
        vm.setProp(ledger, op, handle);
        handle.dispose();
      };
      method('get', () => {
        const state = currentState();
        const text = callHost(state, state.ledger, label('get'), 'ledger.get', [name, options]);
        return parseInSandbox(vm, json.parse, text);
      });
      method('set', (dataHandle, modeHandle) => {
        const state = currentState();
        const mode = readMode(vm, modeHandle, label('set'));
        const data = stringifyObject(vm, json.stringify, dataHandle, state, label('set'));
        callHost(state, state.ledger, label('set'), 'ledger.set', [name, options, data, mode]);
        return vm.null;
      });
      method('delete', () => {
        const state = currentState();
        callHost(state, state.ledger, label('delete'), 'ledger.delete', [name, options]);
        return vm.null;
      });
      return ledger;
    }),
  );
}

function parseInSandbox(vm: QuickJSContext, parse: QuickJSHandle, text: string): QuickJSHandle {
  const textHandle = vm.newString(text);
  const result = vm.callFunction(parse, vm.undefined, textHandle);
  textHandle.dispose();
  if (result.error) throw result.error;
  return result.value;
}

const isAbsent = (vm: QuickJSContext, h: QuickJSHandle | undefined): boolean =>
  h === undefined || vm.typeof(h) === 'undefined' || vm.sameValue(h, vm.null);

function readScopeOptions(vm: QuickJSContext, handle: QuickJSHandle | undefined): LedgerScopeOptions {
  if (isAbsent(vm, handle)) return {};
  const options = handle as QuickJSHandle;
  if (vm.typeof(options) !== 'object') throw new TypeError('Particle.ledger: the scope values must be an object like { deviceId } or { productId }');
  const out: { deviceId?: string; productId?: number } = {};
  vm.getProp(options, 'deviceId').consume((h) => {
    if (isAbsent(vm, h)) return;
    if (vm.typeof(h) !== 'string' || (vm.getLength(h) ?? 0) > 64) throw new TypeError('Particle.ledger: deviceId must be a device ID (a string)');
    out.deviceId = vm.getString(h);
  });
  vm.getProp(options, 'productId').consume((h) => {
    if (isAbsent(vm, h)) return;
    const type = vm.typeof(h);
    const id = type === 'number' ? vm.getNumber(h) : type === 'string' && (vm.getLength(h) ?? 0) <= 16 ? Number(vm.getString(h)) : NaN;
    if (!Number.isSafeInteger(id) || id <= 0) throw new TypeError('Particle.ledger: productId must be a product ID (a number)');
    out.productId = id;
  });
  return out;
}

/** `Particle.REPLACE` / `Particle.MERGE` or their strings (any case); absent means Replace. */
function readMode(vm: QuickJSContext, handle: QuickJSHandle | undefined, label: string): string {
  if (isAbsent(vm, handle)) return 'Replace';
  const h = handle as QuickJSHandle;
  const mode = vm.typeof(h) === 'string' && (vm.getLength(h) ?? 0) <= 16 ? vm.getString(h).toLowerCase() : '';
  if (mode === 'replace') return 'Replace';
  if (mode === 'merge') return 'Merge';
  throw new TypeError(`${label}: the mode must be Particle.REPLACE ('Replace') or Particle.MERGE ('Merge')`);
}

/** The data as JSON text of an object, within the run's ledger byte budget. */
function stringifyObject(vm: QuickJSContext, stringify: QuickJSHandle, handle: QuickJSHandle | undefined, state: LedgerState, label: string): string {
  const result = vm.callFunction(stringify, vm.undefined, handle ?? vm.undefined);
  // A throwing toJSON or a cycle: rethrow the sandbox's own error.
  if (result.error) throw result.error;
  const text = result.value.consume((j) => {
    if (vm.typeof(j) !== 'string') return undefined;
    // UTF-16 length is a lower bound of the UTF-8 size: refuse before copying a huge string.
    const length = vm.getLength(j) ?? 0;
    spend(state.ledger, length);
    const copied = vm.getString(j);
    spend(state.ledger, Buffer.byteLength(copied) - length);
    return copied;
  });
  if (text === undefined || !text.startsWith('{')) {
    const kind = text === undefined ? 'nothing JSON can hold' : text.startsWith('[') ? 'an array' : text === 'null' ? 'null' : `a ${text.startsWith('"') ? 'string' : 'number or boolean'}`;
    throw new TypeError(`${label}: the data must be a JSON object, got ${kind}`);
  }
  return text;
}
