import type { HostHandler } from './host-bridge-types.ts';
import type { LogicContext } from './logic-context-types.ts';

/** Final state of a run, as recorded in the run log (spec §8.5). */
export type RunStatus = 'Success' | 'Failure' | 'Timeout';

/** One captured `console.*` call, or a line the runtime adds itself. Never masked here. */
export interface LogEntry {
  readonly level: 'Info' | 'Warning' | 'Error';
  /** ISO 8601 time of the call. */
  readonly timestamp: string;
  /** The arguments as JSON-safe values: strings stay strings, objects are plain JSON. */
  readonly args: readonly unknown[];
}

/** An event the function asked to publish; the caller publishes it after the run. */
export interface PublishRequest {
  readonly name: string;
  /** Already a string: non-string data was `JSON.stringify`-ed inside the sandbox. */
  readonly data: string | undefined;
  readonly productId?: number;
  readonly asDeviceId?: string;
}

/** Per-run limits. Memory is approximate (whole WebAssembly pages, never below ~10 MiB). */
export interface RunLimits {
  /** Wall-clock limit; a run still going after it ends as `Timeout`. */
  readonly timeoutMs: number;
  /** Heap available to the function; exceeding it ends the run as `Failure`. */
  readonly memoryBytes: number;
  /** UTF-8 bytes of log arguments (as JSON) kept per run; later logs are dropped. */
  readonly maxLogBytes: number;
  /** `Particle.publish` calls allowed per run; the next one throws inside the sandbox. */
  readonly maxPublishes: number;
  /** Interpreter stack; deeper recursion ends as `Failure` ("stack overflow"). */
  readonly maxStackBytes?: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** 30 s, 64 MiB, 256 KiB of log text, 100 publishes, 512 KiB of stack. */
export const DEFAULT_LIMITS: RunLimits = Object.freeze({
  timeoutMs: 30_000,
  memoryBytes: 64 * MiB,
  maxLogBytes: 256 * KiB,
  maxPublishes: 100,
  maxStackBytes: 512 * KiB,
});

/** One run: the module source, its context and optional limit overrides. */
export interface RunRequest {
  /**
   * Whose run it is (`user:…` / `org:…`): the workers are shared fairly between owners
   * (see fair-queue.ts). Runs without an owner (tools, tests) share one key.
   */
  readonly owner?: string;
  readonly code: string;
  readonly context: LogicContext;
  readonly limits?: Partial<RunLimits>;
  /** Answers the run's host calls (`Particle.ledger`); without it they throw inside the run. */
  readonly host?: HostHandler;
}

/** What a run did. `publishes` holds every publish made before the run ended, whatever its status. */
export interface RunResult {
  readonly status: RunStatus;
  readonly logs: readonly LogEntry[];
  readonly publishes: readonly PublishRequest[];
  /** For `Failure` and `Timeout`: what went wrong, e.g. `TypeError: x is not a function`. */
  readonly err?: string;
  readonly durationMs: number;
}

export type ValidateResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Memory and run counters of one sandbox worker, for operators and leak tests. */
export interface WorkerStats {
  readonly threadId: number;
  readonly runs: number;
  /** V8 heap of the worker thread. */
  readonly heapUsedBytes: number;
  /** Linear memory of the worker's current QuickJS WebAssembly instance. */
  readonly wasmMemoryBytes: number;
  /** QuickJS instances thrown away after a memory bomb or an engine fault. */
  readonly engineRecycles: number;
}

/** Runs Logic functions in sandboxes on a pool of worker threads. */
export interface LogicRuntime {
  /** Runs `req.code` once in a fresh sandbox. Never rejects for anything the code does. */
  run(req: RunRequest): Promise<RunResult>;
  /** Compiles the module and resolves its imports without running anything (`owner`: as for runs). */
  validate(code: string, owner?: string): Promise<ValidateResult>;
  /** Per-worker memory figures (answered after the worker's current run); `gc` collects first. */
  stats(options?: { readonly gc?: boolean }): Promise<readonly WorkerStats[]>;
  /** Sandbox workers and how many of them run a job now (read at a metrics scrape). */
  occupancy(): { readonly workers: number; readonly busy: number };
  /** Stops every worker; later calls reject. */
  close(): Promise<void>;
}

/** Fully resolved limits, as sent to a worker. */
export type ResolvedLimits = Required<RunLimits>;

/** Largest interpreter stack; the worker's native stack is sized so this cannot overflow it. */
export const MAX_STACK_BYTES = 1 * MiB;

const clamp = (value: number | undefined, fallback: number, min: number, max: number): number =>
  value === undefined || !Number.isFinite(value) ? fallback : Math.min(max, Math.max(min, Math.floor(value)));

/**
 * Fills in defaults and clamps to what the engine can honour: the stack is bounded by the
 * worker thread's native stack, memory by the 32-bit WebAssembly address space.
 */
export function resolveLimits(overrides: Partial<RunLimits> = {}): ResolvedLimits {
  return {
    timeoutMs: clamp(overrides.timeoutMs, DEFAULT_LIMITS.timeoutMs, 1, 15 * 60_000),
    memoryBytes: clamp(overrides.memoryBytes, DEFAULT_LIMITS.memoryBytes, 8 * MiB, 1024 * MiB),
    maxLogBytes: clamp(overrides.maxLogBytes, DEFAULT_LIMITS.maxLogBytes, 0, 16 * MiB),
    maxPublishes: clamp(overrides.maxPublishes, DEFAULT_LIMITS.maxPublishes, 0, 100_000),
    maxStackBytes: clamp(overrides.maxStackBytes, 512 * KiB, 64 * KiB, MAX_STACK_BYTES),
  };
}

/** Human form of a byte count for messages: "64 MiB", "1.5 MiB", "900 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(2))} MiB`;
  if (bytes >= KiB) return `${Number((bytes / KiB).toFixed(2))} KiB`;
  return `${bytes} bytes`;
}
