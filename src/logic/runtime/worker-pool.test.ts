import { describe, expect, it } from 'vitest';
import { eventContext } from './logic-context-fixtures.ts';
import { createLogicRuntime } from './logic-runtime.ts';

const fake = (name: string): URL => new URL(`./test-workers/${name}.mjs`, import.meta.url);
const request = (timeoutMs: number) => ({ code: 'export default function () {}', context: eventContext(), limits: { timeoutMs } });

describe('worker pool backstops', () => {
  it('terminates and replaces a worker that overshoots the deadline by the grace period', async () => {
    const runtime = createLogicRuntime({ workers: 1, graceMs: 200, workerUrl: fake('fake-hanging-worker') });
    try {
      for (let i = 0; i < 2; i++) {
        const result = await runtime.run(request(100));
        expect(result.status).toBe('Timeout');
        expect(result.err).toBe('Timeout: the function ran longer than 100 ms');
        // Timers may fire a millisecond early against performance.now().
        expect(result.durationMs).toBeGreaterThanOrEqual(295);
        expect(result.durationMs).toBeLessThan(2000);
        expect(result.logs).toMatchObject([{ level: 'Error', args: ['Timeout: the function ran longer than 100 ms'] }]);
      }
      // The second job waits for the replacement worker; its deadline starts when it is dispatched.
      const both = await Promise.all([runtime.run(request(100)), runtime.run(request(100))]);
      expect(both.map((result) => result.status)).toEqual(['Timeout', 'Timeout']);
    } finally {
      await runtime.close();
    }
  });

  it('turns a worker crash into a Failure and keeps serving', async () => {
    const runtime = createLogicRuntime({ workers: 1, workerUrl: fake('fake-crashing-worker') });
    try {
      for (let i = 0; i < 2; i++) {
        const result = await runtime.run(request(1000));
        expect(result.status).toBe('Failure');
        expect(result.err).toMatch(/^InternalError: the sandbox worker died: .*simulated worker crash/);
      }
    } finally {
      await runtime.close();
    }
  });

  it('fails queued runs instead of respawning forever when workers cannot start', async () => {
    const runtime = createLogicRuntime({ workers: 1, workerUrl: fake('fake-broken-worker') });
    try {
      const result = await runtime.run(request(1000));
      expect(result.status).toBe('Failure');
      expect(result.err).toMatch(/sandbox workers fail to start: .*simulated startup failure/);
    } finally {
      await runtime.close();
    }
  });

  it('sends queued runs in batches; a batch that hangs or crashes its worker is retried run by run', async () => {
    const runtime = createLogicRuntime({ workers: 1, graceMs: 200, workerUrl: fake('fake-selective-worker') });
    const run = (code: string) => runtime.run({ code, context: eventContext(), limits: { timeoutMs: 100 } });
    try {
      // Only an owner whose runs are known to be fast has its runs batched (fair-queue.ts).
      await run('warm');
      // Runs submitted together go to the worker as one batch.
      const hung = await Promise.all(['a', 'b', 'c HANG', 'd'].map(run));
      expect(hung.map((r) => r.status)).toEqual(['Success', 'Success', 'Timeout', 'Success']);
      expect(hung.map((r) => r.logs[0]?.args[0])).toEqual(['a', 'b', 'Timeout: the function ran longer than 100 ms', 'd']);
      const crashed = await Promise.all(['e', 'f', 'g CRASH', 'h'].map(run));
      expect(crashed.map((r) => r.status)).toEqual(['Success', 'Success', 'Failure', 'Success']);
      expect(crashed[2]?.err).toMatch(/the sandbox worker died: .*simulated worker crash/);
      expect((await Promise.all(['i', 'j', 'k'].map(run))).map((r) => r.logs[0]?.args[0])).toEqual(['i', 'j', 'k']);
    } finally {
      await runtime.close();
    }
  });

  it('never runs again a run of a lost batch that made a host call (it may have written something)', async () => {
    const runtime = createLogicRuntime({ workers: 1, workerUrl: fake('fake-selective-worker') });
    const hostCalls: string[] = [];
    const run = (code: string) => runtime.run({ code, context: eventContext(), limits: { timeoutMs: 1000 }, host: async (_m, args) => void hostCalls.push(String(args[0])) });
    try {
      await run('warm'); // batches only for an owner whose runs are known to be fast
      const results = await Promise.all(['p HOST', 'q', 'r CRASH', 's'].map(run));
      expect(results.map((r) => r.status)).toEqual(['Failure', 'Success', 'Failure', 'Success']);
      expect(results[0]?.err).toMatch(/the sandbox worker died: .*simulated worker crash/);
      expect(hostCalls).toEqual(['p HOST']);
    } finally {
      await runtime.close();
    }
  });

  it('rejects runs after close()', async () => {
    const runtime = createLogicRuntime({ workers: 1, workerUrl: fake('fake-hanging-worker') });
    await runtime.close();
    await expect(runtime.run(request(100))).rejects.toThrow(/closed/);
  });
});

describe('worker pool fairness across owners', () => {
  const owned = (owner: string, code: string, timeoutMs = 100) => ({ owner, code, context: eventContext(), limits: { timeoutMs } });

  it('gives owners turns: a flood from one owner never sits in front of the others', async () => {
    const runtime = createLogicRuntime({ workers: 1, workerUrl: fake('fake-selective-worker') });
    const order: string[] = [];
    const run = (owner: string, code: string) => runtime.run(owned(owner, `${code} SLOW`)).then(() => void order.push(code));
    try {
      await Promise.all([run('A', 'a1'), run('A', 'a2'), run('A', 'a3'), run('B', 'b1'), run('B', 'b2'), run('C', 'c1')]);
      expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    } finally {
      await runtime.close();
    }
  });

  it("keeps one owner to workers − 1 and frees its slot when a stuck run's worker is killed", async () => {
    const runtime = createLogicRuntime({ workers: 2, graceMs: 100, workerUrl: fake('fake-selective-worker') });
    const done: string[] = [];
    const run = (owner: string, code: string) => runtime.run(owned(owner, code, 500)).then((r) => (done.push(code), r));
    try {
      await runtime.stats(); // both workers are up
      const hung = ['h1 HANG', 'h2 HANG', 'h3 HANG'].map((code) => run('user:a', code));
      const other = await run('user:b', 'b');
      expect(other.status).toBe('Success');
      // B was answered before the first of A's runs was killed: A never had both workers.
      expect(done).toEqual(['b']);
      // Each kill gave A's slot back, so its next run got a worker (or this would hang).
      expect((await Promise.all(hung)).map((r) => r.status)).toEqual(['Timeout', 'Timeout', 'Timeout']);
    } finally {
      await runtime.close();
    }
  });

  it("frees an owner's slot when its run crashes the worker", async () => {
    const runtime = createLogicRuntime({ workers: 2, workerUrl: fake('fake-selective-worker') });
    try {
      const mine = ['x CRASH', 'y CRASH', 'z'].map((code) => runtime.run(owned('org:a', code)));
      const other = runtime.run(owned('org:b', 'b'));
      expect((await Promise.all(mine)).map((r) => r.status)).toEqual(['Failure', 'Failure', 'Success']);
      expect((await other).status).toBe('Success');
    } finally {
      await runtime.close();
    }
  });

  it('lets HUSH_LOGIC_MAX_PER_OWNER give one owner every worker', async () => {
    const runtime = createLogicRuntime({ workers: 2, graceMs: 100, maxPerOwner: 2, workerUrl: fake('fake-selective-worker') });
    try {
      await runtime.stats(); // both workers are up
      const started = performance.now();
      const both = await Promise.all([runtime.run(owned('A', 'p HANG')), runtime.run(owned('A', 'q HANG'))]);
      expect(both.map((r) => r.status)).toEqual(['Timeout', 'Timeout']);
      // Side by side: one after the other would take at least as long as both runs together.
      expect(performance.now() - started).toBeLessThan((both[0]?.durationMs ?? 0) + (both[1]?.durationMs ?? 0));
    } finally {
      await runtime.close();
    }
  });
});
