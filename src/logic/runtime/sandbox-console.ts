import type { QuickJSContext, QuickJSHandle, Scope } from 'quickjs-emscripten';
import type { LogCollector } from './log-collector.ts';
import type { LogEntry } from './runtime-types.ts';
import type { InterruptGuard } from './sandbox-prepare.ts';

const LEVELS: Readonly<Record<string, LogEntry['level']>> = {
  log: 'Info',
  info: 'Info',
  debug: 'Info',
  trace: 'Info',
  warn: 'Warning',
  error: 'Error',
};

/**
 * Turns any value into JSON text inside the sandbox: functions and symbols become strings,
 * errors their stack, cycles "[Circular]". Returns null when the text exceeds the budget,
 * so an oversized argument is never copied to the host. Compiled only by runs that log
 * something other than a primitive.
 */
const TO_JSON_SOURCE = `(function (value, budget) {
  const stack = [];
  const describe = (x) => typeof x === 'function' ? '[Function: ' + (x.name || 'anonymous') + ']' : typeof x === 'bigint' ? x + 'n' : String(x);
  let text;
  try {
    text = JSON.stringify(value, function (key, x) {
      if (x instanceof Error) return x.name + ': ' + x.message + (typeof x.stack === 'string' && x.stack ? '\\n' + x.stack : '');
      if (typeof x === 'object' && x !== null) {
        while (stack.length > 0 && stack[stack.length - 1] !== this) stack.pop();
        if (stack.includes(x)) return '[Circular]';
        stack.push(x);
        return x;
      }
      if (x === undefined) return key === '' ? 'undefined' : undefined;
      if (typeof x === 'function' || typeof x === 'symbol' || typeof x === 'bigint') return describe(x);
      return x;
    });
  } catch (e) {
    text = JSON.stringify('[unserializable: ' + (e && e.message ? e.message : String(e)) + ']');
  }
  if (typeof text !== 'string') text = '"undefined"';
  return text.length > budget ? null : text;
})`;

/** Marks an argument that does not fit the remaining log budget. */
const TOO_BIG = Symbol('too big');

/**
 * Defines `console` in the sandbox. Each call copies its arguments out as JSON-safe values
 * into the current run's log collector (strings and numbers directly, anything else
 * through the in-sandbox serializer above). The collector is looked up per call because
 * the sandbox is prepared before its run is known.
 */
export function installConsole(vm: QuickJSContext, scope: Scope, logsOfRun: () => LogCollector | undefined, guard: InterruptGuard): void {
  let toJson: QuickJSHandle | undefined;
  const serialize = (handle: QuickJSHandle, budget: number): unknown => {
    if (toJson === undefined) toJson = scope.manage(vm.unwrapResult(vm.evalCode(TO_JSON_SOURCE, 'console.js', { type: 'global' })));
    const budgetHandle = vm.newNumber(budget);
    const result = vm.callFunction(toJson, vm.undefined, handle, budgetHandle);
    budgetHandle.dispose();
    if (result.error) {
      result.error.dispose();
      // A toJSON or getter that ran into the deadline: stop the run, not just this value.
      guard();
      return '[unserializable value]';
    }
    const text = result.value.consume((h) => (vm.typeof(h) === 'string' ? vm.getString(h) : undefined));
    if (text === undefined) return TOO_BIG;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // The sandbox may have replaced JSON.stringify; keep whatever text it produced.
      return text;
    }
  };

  const toArg = (handle: QuickJSHandle, budget: number): unknown => {
    switch (vm.typeof(handle)) {
      case 'string':
        // UTF-16 length bounds the UTF-8 size from below: refuse before copying.
        return (vm.getLength(handle) ?? 0) > budget ? TOO_BIG : vm.getString(handle);
      case 'number': {
        const n = vm.getNumber(handle);
        return Number.isFinite(n) ? n : String(n);
      }
      case 'boolean':
        return vm.dump(handle) as boolean;
      case 'undefined':
        return 'undefined';
      default:
        return serialize(handle, budget);
    }
  };

  const consoleObject = scope.manage(vm.newObject());
  for (const [method, level] of Object.entries(LEVELS)) {
    const fn = vm.newFunction(method, (...argHandles) => {
      guard();
      const logs = logsOfRun();
      if (logs === undefined || logs.truncated) return;
      const args: unknown[] = [];
      for (const handle of argHandles) {
        const arg = toArg(handle, logs.remaining());
        if (arg === TOO_BIG) return logs.truncate();
        args.push(arg);
      }
      logs.add(level, args);
    });
    vm.setProp(consoleObject, method, fn);
    fn.dispose();
  }
  vm.setProp(vm.global, 'console', consoleObject);
}
