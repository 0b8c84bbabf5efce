import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLogicRuntime, type LogicRuntime, type RunLimits } from './index.ts';
import { eventContext } from './logic-context-fixtures.ts';

let runtime: LogicRuntime;
beforeAll(async () => {
  // A short grace period so the terminate-and-replace backstop is exercised quickly.
  // One owner (none) may use both workers: these tests are about one run's limits (fairness
  // between owners is worker-pool.test.ts's).
  runtime = createLogicRuntime({ workers: 2, graceMs: 300, maxPerOwner: 2 });
  // Start both workers before timing anything.
  await Promise.all([expectNormalRunWorks(), expectNormalRunWorks()]);
});
afterAll(async () => {
  await runtime.close();
});

const run = (code: string, limits: Partial<RunLimits> = {}) => runtime.run({ code, context: eventContext(), limits });
const NORMAL = `import Particle from 'particle:core';
  export default function main({ event, secrets }) { console.log(event.eventName, secrets.API_KEY.length); Particle.publish('ok'); }`;

async function expectNormalRunWorks(): Promise<void> {
  const result = await run(NORMAL);
  expect(result.status, result.err).toBe('Success');
  expect(result.publishes).toEqual([{ name: 'ok', data: undefined }]);
}

describe('run limits', () => {
  it('ends an infinite loop as Timeout shortly after the limit', async () => {
    // The run's clock starts before its module is compiled: a limit a loaded machine cannot eat up before the first line.
    const result = await run(`export default function () { console.log('spinning'); while (true) {} }`, { timeoutMs: 1000 });
    expect(result.status).toBe('Timeout');
    expect(result.err).toBe('Timeout: the function ran longer than 1000 ms');
    expect(result.logs[0]!.args).toEqual(['spinning']);
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    // Ended by the worker's interrupt (inside the run's own clock), not by the pool's
    // backstop at limit + grace; no wall-clock bound, which a loaded machine would stretch.
    expect(result.durationMs).toBeLessThan(1000 + 1000);
  });

  it('ends code that catches the interrupt (promise jobs, host calls) as Timeout inside the worker, with nothing logged or published late', async () => {
    // A long grace period: the pool's backstop must not be what ends these runs.
    const graceMs = 5000;
    const patient = createLogicRuntime({ workers: 1, graceMs });
    onTestFinished(() => patient.close());
    for (const body of [
      `Promise.resolve().then(() => { for (;;) {} }).catch(() => { console.log('late'); Particle.publish('late'); });`,
      `const spin = () => Promise.resolve().then(() => { for (;;) {} }).catch(spin); spin();`,
      `for (;;) { try { console.log({ toJSON() { for (;;) {} } }); } catch {} }`,
      `for (;;) { try { Particle.publish('late', 'x', { get productId() { for (;;) {} } }); } catch {} }`,
    ]) {
      const result = await patient.run({
        code: `import Particle from 'particle:core';
          export default function () { console.log('start'); Particle.publish('early'); ${body} }`,
        context: eventContext(),
        limits: { timeoutMs: 200 },
      });
      expect(result.status, body).toBe('Timeout');
      // Ended by the worker itself, before the pool's backstop (limit + grace) would have
      // terminated it and lost the logs and publishes. No wall-clock bound: a loaded machine
      // may delay the answer, not change who ended the run.
      expect(result.durationMs, body).toBeLessThan(200 + graceMs);
      expect(result.logs.map((entry) => entry.args[0]), body).toEqual(['start', 'Timeout: the function ran longer than 200 ms']);
      expect(result.publishes, body).toEqual([{ name: 'early', data: undefined }]);
    }
    await expectNormalRunWorks();
  });

  it('ends a memory bomb as Failure with a clear message', async () => {
    const nested = await run(`export default function () { let o = {}; for (let i = 0; i < 1e7; i++) o = { o }; }`);
    expect(nested.err).toBe('InternalError: out of memory (limit 64 MiB)');
    const objects = await run(`export default function () { const all = []; while (true) all.push({ n: all.length, s: 'x' + all.length }); }`, {
      memoryBytes: 16 * 1024 * 1024,
    });
    expect(objects.status).toBe('Failure');
    expect(objects.err).toBe('InternalError: out of memory (limit 16 MiB)');
    const arrays = await run(`export default function () { const all = []; while (true) all.push(new Array(1e5).fill(all.length)); }`);
    expect(arrays.status).toBe('Failure');
    expect(arrays.err).toBe('InternalError: out of memory (limit 64 MiB)');
    const buffers = await run(`export default function () { const all = []; while (true) all.push(new Uint8Array(1 << 20)); }`);
    expect(buffers.err).toBe('InternalError: out of memory (limit 64 MiB)');
    await expectNormalRunWorks();
  });

  it('ends deep recursion as Failure with a stack overflow message', async () => {
    for (const code of [
      `export default function main() { const down = (n) => down(n + 1) + 1; down(0); }`,
      `export default function main() { JSON.parse('['.repeat(1e5)); }`,
      `export default function main() { const o = { get x() { return this.x; } }; return o.x; }`,
      `export default function main() { eval('('.repeat(1e5) + '1' + ')'.repeat(1e5)); }`,
    ]) {
      const result = await run(code);
      expect(result.status).toBe('Failure');
      expect(result.err).toBe('InternalError: stack overflow (Maximum call stack size exceeded)');
    }
    await expectNormalRunWorks();
  });

  it('truncates runaway logging and keeps the run going', async () => {
    const result = await run(
      `export default function () {
        for (let i = 0; i < 20000; i++) console.log('line ' + i);
        console.log('x'.repeat(10 * 1024 * 1024));
        return 'done';
      }`,
      { maxLogBytes: 2000 },
    );
    expect(result.status).toBe('Success');
    const last = result.logs.at(-1)!;
    expect(last).toMatchObject({ level: 'Warning', args: ['[log output truncated after 2000 bytes]'] });
    const kept = result.logs.slice(0, -1);
    expect(kept.length).toBeGreaterThan(50);
    expect(kept.reduce((sum, entry) => sum + JSON.stringify(entry.args).length, 0)).toBeLessThanOrEqual(2000);
    expect(kept.at(-1)!.args[0]).toMatch(/^line \d+$/);
  });

  it('refuses a single oversized log argument without copying it', async () => {
    const result = await run(`export default function () { console.log('small'); console.log('y'.repeat(5e6)); console.log('after'); }`, {
      maxLogBytes: 1000,
    });
    expect(result.status).toBe('Success');
    expect(result.logs.map((entry) => entry.args[0])).toEqual(['small', '[log output truncated after 1000 bytes]']);
  });

  it('limits publishes per run inside the sandbox', async () => {
    const code = `import Particle from 'particle:core';
      export default function () { for (let i = 0; i < 10; i++) Particle.publish('e' + i, String(i)); }`;
    const result = await run(code, { maxPublishes: 3 });
    expect(result.status).toBe('Failure');
    expect(result.err).toBe('Error: publish limit of 3 per run exceeded');
    expect(result.publishes.map((publish) => publish.name)).toEqual(['e0', 'e1', 'e2']);
    const caught = await run(
      `import Particle from 'particle:core';
       export default function () { try { for (;;) Particle.publish('again'); } catch (e) { console.log(e.message); } }`,
      { maxPublishes: 2 },
    );
    expect(caught.status).toBe('Success');
    expect(caught.publishes).toHaveLength(2);
    expect(caught.logs[0]!.args).toEqual(['publish limit of 2 per run exceeded']);
  });

  it('completes other runs while one spins', async () => {
    const spinning = run(`export default function () { while (true) {} }`, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    let spun = false;
    void spinning.then(() => (spun = true));
    const others = await Promise.all(Array.from({ length: 20 }, () => run(NORMAL)));
    expect(others.every((result) => result.status === 'Success')).toBe(true);
    // All twenty were answered while the spinning run still held its worker (10 s limit).
    expect(spun).toBe(false);
    expect((await spinning).status).toBe('Timeout');
  });

  it('terminates and replaces a worker stuck past the deadline where the interrupt cannot reach', async () => {
    // Each iteration is one long native call, so QuickJS polls its interrupt handler only
    // every few seconds; the pool's grace timer (300 ms here) ends the run instead.
    const result = await run(`export default function () { while (true) new Array(2e5).fill(0).sort(); }`, { timeoutMs: 200 });
    expect(result.status).toBe('Timeout');
    expect(result.err).toBe('Timeout: the function ran longer than 200 ms');
    await expectNormalRunWorks();
    await Promise.all(Array.from({ length: 6 }, () => expectNormalRunWorks()));
  });

  it('still runs normal functions after all of the above', async () => {
    await expectNormalRunWorks();
    const stats = await runtime.stats();
    expect(stats).toHaveLength(2);
  });
});
