import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogicRuntime, type LogicRuntime } from './index.ts';
import { eventContext } from './logic-context-fixtures.ts';

let runtime: LogicRuntime;
beforeAll(() => {
  runtime = createLogicRuntime({ workers: 1 });
});
afterAll(async () => {
  await runtime.close();
});

/** Runs `body` as the default function and returns the single value it logs as JSON. */
async function probe(body: string): Promise<unknown> {
  const result = await runtime.run({
    code: `import Particle from 'particle:core';\nexport default function main(context) {\n${body}\n}`,
    context: eventContext(),
  });
  expect(result.status, result.err).toBe('Success');
  return JSON.parse(result.logs[0]!.args[0] as string);
}

const HOST_NAMES = ['process', 'require', 'module', 'Buffer', 'fetch', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'XMLHttpRequest', 'WebSocket', 'std', 'os', 'Deno', 'Bun', '__hushParticleHost'];

/** ECMAScript built-ins QuickJS defines; anything else on globalThis would be a host leak. */
const LANGUAGE_GLOBALS = new Set(
  `Object Function Error EvalError RangeError ReferenceError SyntaxError TypeError URIError InternalError AggregateError
   Iterator Array parseInt parseFloat isNaN isFinite decodeURI decodeURIComponent encodeURI encodeURIComponent escape
   unescape Infinity NaN undefined eval Number Boolean String Math Reflect Symbol globalThis BigInt Date RegExp JSON Proxy
   Map Set WeakMap WeakSet ArrayBuffer SharedArrayBuffer Uint8ClampedArray Int8Array Uint8Array Int16Array Uint16Array
   Int32Array Uint32Array BigInt64Array BigUint64Array Float16Array Float32Array Float64Array DataView Promise WeakRef
   FinalizationRegistry`.split(/\s+/),
);

describe('sandbox isolation', () => {
  it('exposes no host globals', async () => {
    const types = await probe(`console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(HOST_NAMES)}.map((n) => [n, typeof globalThis[n]]))));`);
    expect(types).toEqual(Object.fromEntries(HOST_NAMES.map((name) => [name, 'undefined'])));
    const globals = (await probe(`console.log(JSON.stringify(Object.getOwnPropertyNames(globalThis)));`)) as string[];
    // Only the language's own globals plus `console`.
    expect(globals.filter((name) => !LANGUAGE_GLOBALS.has(name))).toEqual(['console']);
  });

  it('keeps constructor and prototype escapes inside the sandbox', async () => {
    const escapes = await probe(`
      const attempts = {
        thisConstructor: () => this.constructor.constructor('return process')(),
        objectConstructor: () => typeof ({}).constructor.constructor('return globalThis')().process,
        functionThis: () => typeof Function('return this')().require,
        globalThisConstructor: () => (0, eval)('this.constructor.constructor("return process")()'),
        publishConstructor: () => typeof Particle.publish.constructor('return typeof process')(),
        publishProto: () => Object.getPrototypeOf(Particle.publish) === Function.prototype,
        consoleConstructor: () => console.log.constructor === Function,
        errorStack: () => { try { null.x } catch (e) { return /node:|internal\\//.test(e.stack) } },
        evalProcess: () => eval('typeof process'),
        importMeta: () => typeof import.meta,
      };
      const results = {};
      for (const [name, attempt] of Object.entries(attempts)) {
        try { results[name] = attempt(); } catch (e) { results[name] = e.name + ': ' + e.message; }
      }
      console.log(JSON.stringify(results));`);
    expect(escapes).toEqual({
      thisConstructor: "TypeError: cannot read property 'constructor' of undefined",
      objectConstructor: 'undefined',
      functionThis: 'undefined',
      globalThisConstructor: "ReferenceError: 'process' is not defined",
      publishConstructor: 'string',
      publishProto: true,
      consoleConstructor: true,
      errorStack: false,
      evalProcess: 'undefined',
      importMeta: 'object',
    });
  });

  it('has no timers, network, filesystem or dynamic host imports', async () => {
    const result = await runtime.run({
      code: `export default async function () {
        const outcomes = [];
        for (const name of ['fs', 'node:fs', 'child_process', 'http', 'os', 'std']) {
          try { await import(name); outcomes.push(name + ': loaded'); } catch (e) { outcomes.push(e.message); }
        }
        console.log(JSON.stringify(outcomes), typeof setTimeout, typeof fetch);
      }`,
      context: eventContext(),
    });
    expect(result.status, result.err).toBe('Success');
    expect(JSON.parse(result.logs[0]!.args[0] as string)).toEqual([
      "Cannot find module 'fs'",
      "Cannot find module 'node:fs'",
      "Cannot find module 'child_process'",
      "Cannot find module 'http'",
      "Cannot find module 'os'",
      "Cannot find module 'std'",
    ]);
    expect(result.logs[0]!.args.slice(1)).toEqual(['undefined', 'undefined']);
  });

  it('gives the function a plain copy of its context, not host objects', async () => {
    const shape = await probe(`
      const proto = Object.getPrototypeOf(context.secrets);
      context.secrets.API_KEY = 'changed';
      console.log(JSON.stringify({ plain: proto === Object.prototype, viaCore: Particle.getContext().secrets.API_KEY }));`);
    expect(shape).toEqual({ plain: true, viaCore: 'changed' });
    const fresh = await probe(`console.log(JSON.stringify(context.secrets.API_KEY));`);
    expect(fresh).toBe('key-0123456789');
  });

  it('provides Date, Math and JSON from the interpreter', async () => {
    const values = (await probe(`console.log(JSON.stringify([typeof Date.now(), Math.max(1, 2), JSON.parse('[1]')[0], new Date(0).toISOString()]));`)) as unknown[];
    expect(values).toEqual(['number', 2, 1, '1970-01-01T00:00:00.000Z']);
  });
});
