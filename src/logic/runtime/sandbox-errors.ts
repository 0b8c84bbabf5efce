import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import { formatBytes, type ResolvedLimits, type RunStatus } from './runtime-types.ts';

/** Longest error message kept in `err`; a function could throw a megabyte-long message. */
const MAX_MESSAGE_CHARS = 4096;

/** An uncaught value thrown in the sandbox, read into host strings. */
export interface ThrownValue {
  readonly name: string | undefined;
  readonly message: string;
  readonly stack: string | undefined;
}

/** How a run ended when it did not succeed. */
export interface RunFailure {
  readonly status: Exclude<RunStatus, 'Success'>;
  readonly err: string;
  /** Text for the Error log entry: the message and, when known, the stack. */
  readonly logText: string;
  /** The engine's heap may be in a bad state: use a fresh WebAssembly instance next time. */
  readonly recycleEngine: boolean;
}

const bound = (text: string): string => (text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text);

/**
 * Reads name, message and stack of a thrown value. Getters and proxies run sandbox code
 * here, so every read is guarded: a hostile error object yields a generic description.
 */
export function readThrown(vm: QuickJSContext, handle: QuickJSHandle): ThrownValue {
  try {
    if (vm.typeof(handle) === 'object' && !vm.sameValue(handle, vm.null)) {
      const prop = (key: string): string | undefined =>
        vm.getProp(handle, key).consume((h) => (vm.typeof(h) === 'string' ? vm.getString(h) : undefined));
      const name = prop('name');
      const message = prop('message');
      if (name !== undefined || message !== undefined) {
        return { name, message: bound(message ?? ''), stack: prop('stack') };
      }
    }
    return { name: undefined, message: bound(describePrimitive(vm.dump(handle))), stack: undefined };
  } catch {
    return { name: undefined, message: 'an exception that could not be read', stack: undefined };
  }
}

function describePrimitive(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Maps an uncaught value to the run's status and user-facing error text. With the heap
 * exhausted QuickJS may not manage to allocate its "out of memory" error and throws
 * `null` instead, so a non-error value thrown at that moment counts as out of memory.
 */
export function classifyThrown(thrown: ThrownValue, limits: ResolvedLimits, heapExhausted = false): RunFailure {
  const { name, message, stack } = thrown;
  if (name === 'InternalError' && message === 'interrupted') return timeoutFailure(limits);
  if (message === 'out of memory' || (heapExhausted && name === undefined)) return outOfMemoryFailure(limits);
  // The parser reports it as a SyntaxError, the interpreter as an InternalError.
  if (message === 'stack overflow') return stackOverflowFailure(stack);
  const err = name === undefined ? `Uncaught ${message}` : message === '' ? name : `${name}: ${message}`;
  return { status: 'Failure', err, logText: stack ? `${err}\n${stack}` : err, recycleEngine: false };
}

/** The wall-clock limit passed (inside the worker, or by the pool's grace timer). */
export function timeoutFailure(limits: Pick<ResolvedLimits, 'timeoutMs'>): RunFailure {
  const err = `Timeout: the function ran longer than ${limits.timeoutMs} ms`;
  return { status: 'Timeout', err, logText: err, recycleEngine: false };
}

/** The heap limit was reached; the instance is recycled to give its memory back. */
export function outOfMemoryFailure(limits: Pick<ResolvedLimits, 'memoryBytes'>): RunFailure {
  const err = `InternalError: out of memory (limit ${formatBytes(limits.memoryBytes)})`;
  return { status: 'Failure', err, logText: err, recycleEngine: true };
}

/** Recursion too deep, caught by QuickJS or (as a host RangeError) by V8. */
export function stackOverflowFailure(stack?: string): RunFailure {
  const err = 'InternalError: stack overflow (Maximum call stack size exceeded)';
  return { status: 'Failure', err, logText: stack ? `${err}\n${stack}` : err, recycleEngine: false };
}

/**
 * A host-level exception escaped QuickJS (WebAssembly trap, native stack overflow, failed
 * allocation in the binding). The run fails and the engine instance is never reused.
 */
export function engineFault(error: unknown, heapExhausted: boolean, limits: ResolvedLimits): RunFailure {
  if (heapExhausted) return { ...outOfMemoryFailure(limits), recycleEngine: true };
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return { ...stackOverflowFailure(), recycleEngine: true };
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const err = `InternalError: sandbox engine failure (${bound(detail)})`;
  return { status: 'Failure', err, logText: err, recycleEngine: true };
}
