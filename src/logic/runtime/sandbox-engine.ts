import { RELEASE_SYNC, newQuickJSWASMModule, newVariant, type QuickJSWASMModule } from 'quickjs-emscripten';

const PAGE = 64 * 1024;
const MiB = 1024 * 1024;
/** The module's own minimum: its data, its 5 MiB C stack and the start of the heap. */
const MIN_MEMORY_BYTES = 16 * MiB;
/** Room below the user's heap: C stack and static data (~5.3 MiB), runtime and context. */
const ENGINE_OVERHEAD_BYTES = 8 * MiB;
/** Instances kept for different memory limits (the default plus one other, usually). */
const MAX_INSTANCES = 2;

/** One QuickJS WebAssembly instance whose linear memory cannot grow past `maxBytes`. */
export interface EngineInstance {
  readonly quickjs: QuickJSWASMModule;
  readonly maxBytes: number;
  /** Current size of the linear memory (it never shrinks while the instance lives). */
  memoryBytes(): number;
  /** How often the heap could not grow because it reached its ceiling. */
  growFailures(): number;
}

/** Hands out QuickJS instances per memory limit and replaces broken or bloated ones. */
export interface SandboxEngine {
  instanceFor(memoryLimitBytes: number): Promise<EngineInstance>;
  /** Forget an instance; the next run with its limit gets a fresh one. */
  discard(instance: EngineInstance): void;
  /** Linear memory of all live instances. */
  memoryBytes(): number;
  readonly recycles: number;
}

/**
 * Why a fixed maximum: in this QuickJS build `JS_SetMemoryLimit` only bounds single
 * allocations (`malloc_usable_size` is unavailable under Emscripten, so the running total
 * does not grow), so a loop of small allocations would grow the WebAssembly memory to
 * 2 GiB. A `WebAssembly.Memory` whose maximum is the run's limit plus the engine's own
 * overhead makes `malloc` fail at the limit and QuickJS throw "out of memory" instead.
 * A worker runs one function at a time and frees each sandbox before building the next,
 * so the cap is, give or take one idle prepared sandbox, a per-run cap.
 */
export function createSandboxEngine(): SandboxEngine {
  const instances = new Map<number, Promise<EngineInstance>>();
  let recycles = 0;
  const live = new Set<EngineInstance>();

  const create = async (maxBytes: number): Promise<EngineInstance> => {
    const memory = new WebAssembly.Memory({ initial: MIN_MEMORY_BYTES / PAGE, maximum: maxBytes / PAGE });
    // Emscripten's sbrk grows the heap with `memory.grow`; a throw there means malloc is
    // about to fail. Counting those tells "out of memory" apart from other errors even
    // when QuickJS could not allocate its error object and threw null.
    let growFailures = 0;
    const grow = memory.grow.bind(memory);
    memory.grow = (delta: number): number => {
      try {
        return grow(delta);
      } catch (error) {
        growFailures += 1;
        throw error;
      }
    };
    const quickjs = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
    const instance: EngineInstance = {
      quickjs,
      maxBytes,
      memoryBytes: () => memory.buffer.byteLength,
      growFailures: () => growFailures,
    };
    live.add(instance);
    return instance;
  };

  return {
    instanceFor(memoryLimitBytes) {
      const maxBytes = Math.max(MIN_MEMORY_BYTES, Math.ceil((memoryLimitBytes + ENGINE_OVERHEAD_BYTES) / PAGE) * PAGE);
      let instance = instances.get(maxBytes);
      if (instance === undefined) {
        if (instances.size >= MAX_INSTANCES) {
          const oldest = instances.keys().next().value as number;
          void instances.get(oldest)?.then((old) => live.delete(old));
          instances.delete(oldest);
        }
        instance = create(maxBytes);
        // A failed instantiation must not be cached forever.
        instance.catch(() => instances.delete(maxBytes));
        instances.set(maxBytes, instance);
      }
      return instance;
    },
    discard(instance) {
      recycles += 1;
      live.delete(instance);
      instances.delete(instance.maxBytes);
    },
    memoryBytes: () => [...live].reduce((sum, instance) => sum + instance.memoryBytes(), 0),
    get recycles() {
      return recycles;
    },
  };
}
