import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogicRuntime, DEFAULT_LIMITS, type LogicContext, type LogicRuntime } from './index.ts';
import { eventContext, scheduledContext } from './logic-context-fixtures.ts';

let runtime: LogicRuntime;
beforeAll(() => {
  runtime = createLogicRuntime();
});
afterAll(async () => {
  await runtime.close();
});

const run = (code: string, context: LogicContext = eventContext()) => runtime.run({ code, context });

describe('createLogicRuntime().run', () => {
  it('runs a function that parses event data, reads a secret, logs and publishes', async () => {
    const result = await run(`
      import Particle from 'particle:core';
      export default function main({ event, secrets }) {
        const data = JSON.parse(event.eventData);
        console.log('using key', secrets.API_KEY);
        console.warn('celsius', data.celsius);
        console.error({ device: event.deviceId, list: [1, 'two'] });
        Particle.publish('temp/fahrenheit', { f: data.celsius * 9 / 5 + 32 }, { productId: event.productId, asDeviceId: event.deviceId });
        Particle.publish('plain-text', 'hello');
        Particle.publish('no-data');
      }`);
    expect(result.status).toBe('Success');
    expect(result.err).toBeUndefined();
    expect(result.logs.map((entry) => [entry.level, entry.args])).toEqual([
      ['Info', ['using key', 'key-0123456789']],
      ['Warning', ['celsius', 21.5]],
      ['Error', [{ device: 'e00fce68b1b2c3d4e5f6a7b8', list: [1, 'two'] }]],
    ]);
    expect(new Date(result.logs[0]!.timestamp).getTime()).not.toBeNaN();
    expect(result.publishes).toEqual([
      { name: 'temp/fahrenheit', data: '{"f":70.7}', productId: 4242, asDeviceId: 'e00fce68b1b2c3d4e5f6a7b8' },
      { name: 'plain-text', data: 'hello' },
      { name: 'no-data', data: undefined },
    ]);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('gives getContext() the same context the function receives', async () => {
    const result = await run(`
      import Particle from 'particle:core';
      export default function main(context) {
        const fromCore = Particle.getContext();
        console.log(fromCore === context, fromCore.functionInfo, fromCore.trigger, fromCore.env, Object.keys(fromCore));
        console.log(Particle.MERGE, Particle.REPLACE, typeof Particle.ledger);
      }`);
    expect(result.status).toBe('Success');
    expect(result.logs[0]!.args).toEqual([
      true,
      { ownerId: 'user-1', logicFunctionId: 'fn-1' },
      { triggeredAt: '2024-05-01T12:00:00.000000001Z', triggerEventId: 'evt-1' },
      { REGION: 'eu' },
      ['functionInfo', 'trigger', 'event', 'secrets', 'env'],
    ]);
    expect(result.logs[1]!.args).toEqual(['Merge', 'Replace', 'function']);
  });

  it('runs scheduled functions and supports named imports', async () => {
    const result = await run(
      `import { publish, getContext } from 'particle:core';
       export default function tick({ scheduled, event }) {
         publish('tick', scheduled.scheduledAt, { productId: 7 });
         console.log(event === undefined, getContext().scheduled.startAt);
       }`,
      scheduledContext(),
    );
    expect(result.status).toBe('Success');
    expect(result.publishes).toEqual([{ name: 'tick', data: '2024-05-01T12:00:00Z', productId: 7 }]);
    expect(result.logs[0]!.args).toEqual([true, '2024-04-01T00:00:00Z']);
  });

  it('copies log arguments out as JSON-safe values', async () => {
    const result = await run(`export default function () {
      const cyclic = { name: 'c' }; cyclic.self = cyclic;
      console.log(undefined, null, NaN, 12n, Symbol('s'), function named() {}, cyclic, [undefined, () => 1]);
      console.log(new RangeError('bad range'));
    }`);
    expect(result.logs[0]!.args).toEqual([
      'undefined',
      null,
      'NaN',
      '12n',
      'Symbol(s)',
      '[Function: named]',
      { name: 'c', self: '[Circular]' },
      [null, '[Function: anonymous]'],
    ]);
    expect(result.logs[1]!.args[0]).toMatch(/^RangeError: bad range\n\s+at /);
  });

  it('fails with a clear error when there is no default export, or it is not a function', async () => {
    const missing = await run(`export function main() {}`);
    expect(missing.status).toBe('Failure');
    expect(missing.err).toMatch(/no default export/);
    const notFunction = await run(`export default { main() {} }`);
    expect(notFunction.status).toBe('Failure');
    expect(notFunction.err).toBe('TypeError: the default export is not a function (it is an object)');
  });

  it('reports syntax errors from run() and validate() without running anything', async () => {
    const code = `import Particle from 'particle:core';\nexport default function main() {\n  Particle.publish('x');\n  return 1 +;\n}`;
    const result = await run(code);
    expect(result.status).toBe('Failure');
    expect(result.err).toMatch(/^SyntaxError: /);
    expect(result.publishes).toEqual([]);
    const validation = await runtime.validate(code);
    expect(validation.ok).toBe(false);
    expect(validation.ok === false && validation.error).toMatch(/^SyntaxError: .*\(function\.js:4:\d+\)$/);
    await expect(runtime.validate(`export default function main() { throw new Error('never runs') }`)).resolves.toEqual({ ok: true });
    // Top-level code is not evaluated either.
    await expect(runtime.validate(`while (true) {}\nexport default function main() {}`)).resolves.toEqual({ ok: true });
    await expect(runtime.validate(`import x from 'node:fs'; export default function () {}`)).resolves.toEqual({
      ok: false,
      error: "Error: Cannot find module 'node:fs'",
    });
  });

  it('validates modules with top-level bindings, and checks the default export and imported names by linking', async () => {
    for (const code of [
      `const THRESHOLD = 30;\nexport default function main() { return THRESHOLD; }`,
      `var count = 1; let other = 2;\nexport default function main() {}`,
      `export default function main() {}\nconst after = 1;`,
      `const main = () => 1;\nexport { main as default };`,
      `import Particle, { publish } from 'particle:core';\nimport { base64Encode } from 'particle:encoding';\nconst K = 1;\nexport default function () {}`,
      `throw new Error('top level never runs');\nexport default function () {}`,
    ]) {
      await expect(runtime.validate(code), code).resolves.toEqual({ ok: true });
    }
    for (const code of [`// export default function () {}\nexport const y = 1;`, `export function main() {}`]) {
      const v = await runtime.validate(code);
      expect(v.ok === false && v.error, code).toMatch(/has no default export/);
    }
    await expect(runtime.validate(`import { nope } from 'particle:core';\nexport default function () {}`)).resolves.toEqual({
      ok: false,
      error: "SyntaxError: Could not find export 'nope' in module 'particle:core'",
    });
  });

  it('fails on imports other than the particle modules', async () => {
    for (const name of ['fs', 'node:child_process', './other.js']) {
      const result = await run(`import x from '${name}'; export default function () {}`);
      expect(result.status).toBe('Failure');
      expect(result.err).toMatch(/^Error: Cannot find module '.*'$/);
    }
  });

  it('turns an uncaught exception into a Failure with the name, message and a logged stack', async () => {
    const result = await run(`
      import Particle from 'particle:core';
      function check(value) { if (!value) throw new TypeError('value is required'); }
      export default function main() {
        console.log('before');
        Particle.publish('made-before-failing');
        check(0);
      }`);
    expect(result.status).toBe('Failure');
    expect(result.err).toBe('TypeError: value is required');
    expect(result.publishes).toEqual([{ name: 'made-before-failing', data: undefined }]);
    const last = result.logs.at(-1)!;
    expect(last.level).toBe('Error');
    expect(last.args[0]).toMatch(/^TypeError: value is required\n\s+at check \(function\.js:3:\d+\)/);
    const thrownString = await run(`export default function () { throw 'plain string' }`);
    expect(thrownString.err).toBe('Uncaught plain string');
  });

  it('awaits a returned promise and fails on a rejected one', async () => {
    const ok = await run(`import Particle from 'particle:core';
      export default async function main() { await null; Particle.publish('after-await'); }`);
    expect(ok.status).toBe('Success');
    expect(ok.publishes).toEqual([{ name: 'after-await', data: undefined }]);
    const rejected = await run(`export default async function main() { await null; throw new Error('async failure'); }`);
    expect(rejected.status).toBe('Failure');
    expect(rejected.err).toBe('Error: async failure');
  });

  it('throws clearly for ledger and cloud API calls without a host, and for bad helper arguments', async () => {
    // Ledger calls go through the host-call bridge (host-bridge.test.ts); a run given no host handler cannot make them.
    const ledger = await run(`import Particle from 'particle:core';
      export default function () { Particle.ledger('settings').get(); }`);
    expect(ledger.err).toBe("Error: Particle.ledger('settings').get: host calls are not available to this run");
    const api = await run(`import Particle from 'particle:core';
      export default function () { Particle.listDevices(4242); }`);
    expect(api.err).toBe('Error: Particle.listDevices: host calls are not available to this run');
    const bad = await run(`import { getDevice } from 'particle:core';
      export default function () { getDevice('not-a-device'); }`);
    expect(bad.err).toBe('TypeError: Particle.getDevice: argument 1 must be a device ID (24 hexadecimal characters)');
  });

  it('validates publish arguments inside the sandbox', async () => {
    const result = await run(`import Particle from 'particle:core';
      export default function () {
        const errors = [];
        for (const args of [[], [42], [''], ['ok', 'd', { productId: 'abc' }], ['ok', 'd', { asDeviceId: 5 }], ['ok', 1n], ['n'.repeat(65)], ['a\\nb'], ['big', 'x'.repeat(102401)]]) {
          try { Particle.publish(...args); } catch (e) { errors.push(e.name + ': ' + e.message); }
        }
        console.log(errors);
        Particle.publish('numbers', 42, { productId: '17' });
      }`);
    expect(result.status).toBe('Success');
    const errors = result.logs[0]!.args[0] as string[];
    expect(errors).toHaveLength(9);
    expect(errors[0]).toMatch(/TypeError: .*name must be a string/);
    expect(errors[2]).toMatch(/must not be empty/);
    expect(errors[3]).toMatch(/productId/);
    expect(errors[4]).toMatch(/asDeviceId/);
    expect(errors[5]).toMatch(/BigInt/i);
    // What the event bus would refuse after the run is refused where the function sees it.
    expect(errors.slice(6)).toEqual([
      'TypeError: Particle.publish: the event name must be at most 64 characters',
      'TypeError: Particle.publish: the event name must not contain control characters',
      'RangeError: Particle.publish: event data must be at most 102400 bytes',
    ]);
    expect(result.publishes).toEqual([{ name: 'numbers', data: '42', productId: 17 }]);
  });

  it('keeps no state between runs', async () => {
    const first = await run(`export default function () { globalThis.leftover = 'x'; Object.prototype.polluted = 1; Array.prototype.push = null; }`);
    expect(first.status).toBe('Success');
    const second = await run(`export default function () {
      console.log(typeof globalThis.leftover, typeof ({}).polluted, typeof [].push);
    }`);
    expect(second.logs[0]!.args).toEqual(['undefined', 'undefined', 'function']);
  });

  it('exposes the documented default limits', () => {
    expect(DEFAULT_LIMITS).toMatchObject({ timeoutMs: 30_000, memoryBytes: 64 * 1024 * 1024, maxLogBytes: 256 * 1024, maxPublishes: 100 });
  });
});

describe('createLogicRuntime().occupancy', () => {
  it('counts a worker as busy while it runs a job, and idle once the job ends', async () => {
    const idle = runtime.occupancy();
    expect(idle.workers).toBeGreaterThanOrEqual(1);
    expect(idle.busy).toBe(0);
    const spinning = runtime.run({ code: 'export default function () { while (true) {} }', context: eventContext(), limits: { timeoutMs: 1000 } });
    const deadline = Date.now() + 20_000;
    while (runtime.occupancy().busy === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(runtime.occupancy().busy).toBe(1);
    expect((await spinning).status).toBe('Timeout');
    expect(runtime.occupancy().busy).toBe(0);
  });
});
