/**
 * Baseline half of the Logic benchmark: the benchmark function run in a bare, fresh
 * QuickJS runtime and context per run on the main thread, with no worker, no limits and
 * no Hush code around it. The end-to-end figure of `createLogicRuntime().run()` is
 * compared against this one.
 *
 *   node --import tsx bench/logic-baseline.ts [durationMs] [--runtime]
 *
 * `--runtime` also prints the sandbox runtime alone (worker pool, no HTTP or store),
 * sequential and with 8 runs in flight, measured right after the baseline.
 */
import { pathToFileURL } from 'node:url';
import { getQuickJS, type QuickJSHandle, type QuickJSWASMModule } from 'quickjs-emscripten';
import { createLogicRuntime } from '../src/logic/runtime/index.ts';

/**
 * The function both halves of the benchmark run: two secrets, one publish, two log lines.
 * The publish carries the trigger event's data, so the end-to-end half can tell which
 * event each completion belongs to.
 */
export const LOGIC_BENCH_CODE = `import Particle from 'particle:core';
export default function main({ event, secrets }) {
  const key = secrets.API_KEY;
  const other = secrets.OTHER_KEY;
  console.log('event', event.eventName, 'from', event.deviceId);
  console.log('keys', key.length, other.length);
  Particle.publish('bench/out', { sum: key.length + other.length, tag: event.eventData }, { productId: 1 });
}`;

/** The same work plus two lodash calls: the function imports `vendor:lodash` (the `logic-runs` lodash variant). */
export const LOGIC_BENCH_LODASH_CODE = `import Particle from 'particle:core';
import { groupBy, sumBy } from 'vendor:lodash';
export default function main({ event, secrets }) {
  const readings = [{ s: 'a', v: secrets.API_KEY.length }, { s: 'b', v: 2 }, { s: 'a', v: secrets.OTHER_KEY.length }];
  const groups = groupBy(readings, 's');
  console.log('event', event.eventName, 'from', event.deviceId);
  console.log('groups', Object.keys(groups).length);
  Particle.publish('bench/out', { sum: sumBy(groups.a, 'v'), tag: event.eventData }, { productId: 1 });
}`;

/** The plain work plus one `get` and one MERGE `set` of an owner-scoped ledger. */
export const LOGIC_BENCH_LEDGER_CODE = `import Particle from 'particle:core';
export default function main({ event, secrets }) {
  const cache = Particle.ledger('bench-cache');
  const seen = Object.keys(cache.get().data).length;
  cache.set({ [event.eventData.slice(0, 1)]: event.eventData }, Particle.MERGE);
  console.log('event', event.eventName, 'from', event.deviceId, secrets.API_KEY.length);
  console.log('seen', seen);
  Particle.publish('bench/out', { n: secrets.OTHER_KEY.length, tag: event.eventData }, { productId: 1 });
}`;

/** The context both halves pass to the function. */
export const LOGIC_BENCH_CONTEXT = {
  functionInfo: { ownerId: 'bench-owner', logicFunctionId: 'bench-function' },
  trigger: { triggeredAt: '2024-01-01T00:00:00.000Z' },
  event: { eventName: 'bench/in', eventData: '{"t":21.5}', publishedAt: '2024-01-01T00:00:00.000Z', deviceId: 'bench-device', productId: 1 },
  secrets: { API_KEY: 'bench-api-key-0123456789', OTHER_KEY: 'bench-other-key-abcdef' },
  env: {},
} as const;

export interface BaselineResult {
  readonly runsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const CORE_SOURCE = 'const p = globalThis.__particle; export default p;';

/** One bare run: fresh runtime and context, console.log and publish as host functions. */
export function runBareOnce(quickjs: QuickJSWASMModule, contextJson: string, sink: unknown[]): void {
  const rt = quickjs.newRuntime();
  rt.setModuleLoader(() => CORE_SOURCE);
  const vm = rt.newContext();
  const owned: QuickJSHandle[] = [];
  const keep = (handle: QuickJSHandle): QuickJSHandle => (owned.push(handle), handle);
  const consoleObject = keep(vm.newObject());
  vm.setProp(consoleObject, 'log', keep(vm.newFunction('log', (...args) => void sink.push(args.map((h) => vm.dump(h))))));
  vm.setProp(vm.global, 'console', consoleObject);
  const particle = keep(vm.newObject());
  vm.setProp(particle, 'publish', keep(vm.newFunction('publish', (name, data) => void sink.push([vm.getString(name), vm.dump(data)]))));
  vm.setProp(vm.global, '__particle', particle);
  const parse = keep(vm.getProp(vm.global, 'JSON').consume((json) => vm.getProp(json, 'parse')));
  const context = keep(vm.unwrapResult(vm.callFunction(parse, vm.undefined, keep(vm.newString(contextJson)))));
  const namespace = keep(vm.unwrapResult(vm.evalCode(LOGIC_BENCH_CODE, 'function.js', { type: 'module' })));
  const main = keep(vm.getProp(namespace, 'default'));
  keep(vm.unwrapResult(vm.callFunction(main, vm.undefined, context)));
  for (const handle of owned.reverse()) handle.dispose();
  vm.dispose();
  rt.dispose();
}

/** Runs the benchmark function back to back for `durationMs` in bare QuickJS. */
export async function measureBareQuickJs(durationMs: number): Promise<BaselineResult> {
  const quickjs = await getQuickJS();
  const contextJson = JSON.stringify(LOGIC_BENCH_CONTEXT);
  const sink: unknown[] = [];
  for (let i = 0; i < 50; i++) runBareOnce(quickjs, contextJson, sink); // warm-up
  const latencies: number[] = [];
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    runBareOnce(quickjs, contextJson, sink);
    sink.length = 0;
    const end = performance.now();
    latencies.push(end - now);
    now = end;
  }
  return summarize(latencies, now - start);
}

/** Runs the benchmark function through `createLogicRuntime().run()` with `inFlight` runs at a time. */
export async function measureLogicRuntime(durationMs: number, inFlight: number): Promise<BaselineResult> {
  // The runtime's capacity: one owner may use every worker.
  const runtime = createLogicRuntime({ maxPerOwner: 1000 });
  try {
    const request = { code: LOGIC_BENCH_CODE, context: LOGIC_BENCH_CONTEXT };
    await Promise.all(Array.from({ length: 50 }, () => runtime.run(request))); // warm-up, workers started
    const latencies: number[] = [];
    const start = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (performance.now() - start < durationMs) {
          const sent = performance.now();
          const result = await runtime.run(request);
          if (result.status !== 'Success') throw new Error(`benchmark run failed: ${result.err}`);
          latencies.push(performance.now() - sent);
        }
      }),
    );
    return summarize(latencies, performance.now() - start);
  } finally {
    await runtime.close();
  }
}

function summarize(latencies: number[], elapsedMs: number): BaselineResult {
  latencies.sort((a, b) => a - b);
  const pick = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  return { runsPerSecond: Math.round(latencies.length / (elapsedMs / 1000)), p50Ms: round(pick(0.5)), p99Ms: round(pick(0.99)) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const durationMs = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 3000);
  const baseline = await measureBareQuickJs(durationMs);
  console.log(JSON.stringify({ bench: 'logic-baseline', durationMs, ...baseline }));
  if (process.argv.includes('--runtime')) {
    for (const inFlight of [1, 8]) {
      const result = await measureLogicRuntime(durationMs, inFlight);
      const ratio = Math.round((result.runsPerSecond / baseline.runsPerSecond) * 100) / 100;
      console.log(JSON.stringify({ bench: 'logic-runtime-direct', durationMs, inFlight, ...result, ratioToBaseline: ratio }));
    }
  }
}
