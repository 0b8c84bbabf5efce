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

  it('rejects runs after close()', async () => {
    const runtime = createLogicRuntime({ workers: 1, workerUrl: fake('fake-hanging-worker') });
    await runtime.close();
    await expect(runtime.run(request(100))).rejects.toThrow(/closed/);
  });
});
