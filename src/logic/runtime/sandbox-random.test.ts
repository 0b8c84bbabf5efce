import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogicRuntime, type LogicRuntime } from './index.ts';
import { createSandboxEngine } from './sandbox-engine.ts';
import { disposeSandbox, prepareSandbox } from './sandbox-prepare.ts';
import { eventContext } from './logic-context-fixtures.ts';

let runtime: LogicRuntime;
beforeAll(() => {
  runtime = createLogicRuntime({ workers: 2 });
});
afterAll(async () => {
  await runtime.close();
});

const CODE = `export default function main() {
  const xs = Array.from({ length: 1000 }, () => Math.random());
  console.log(JSON.stringify({ first: xs[0], min: Math.min(...xs), max: Math.max(...xs), distinct: new Set(xs).size, name: Math.random.name, enumerable: Object.keys(Math).includes('random') }));
}`;

describe('Math.random in the sandbox', () => {
  it('draws differently in sandboxes prepared back to back (QuickJS seeds from the clock)', async () => {
    const instance = await createSandboxEngine().instanceFor(8 * 1024 * 1024);
    const firsts = Array.from({ length: 100 }, () => {
      const sandbox = prepareSandbox(instance);
      try {
        return sandbox.vm.dump(sandbox.vm.unwrapResult(sandbox.vm.evalCode('Math.random()'))) as number;
      } finally {
        disposeSandbox(sandbox);
      }
    });
    expect(new Set(firsts).size).toBe(100);
  });

  it('differs from run to run on two workers, keeps its name and range, and stays off Object.keys(Math)', async () => {
    // Sandboxes prepared back to back: QuickJS's own clock seed repeated across them.
    const runs = await Promise.all(Array.from({ length: 200 }, () => runtime.run({ code: CODE, context: eventContext() })));
    const seen = runs.map((r) => {
      expect(r.status, r.err).toBe('Success');
      return JSON.parse(r.logs[0]!.args[0] as string) as { first: number; min: number; max: number; distinct: number; name: string; enumerable: boolean };
    });
    expect(new Set(seen.map((s) => s.first)).size).toBe(200);
    for (const s of seen) {
      expect(s.min).toBeGreaterThanOrEqual(0);
      expect(s.max).toBeLessThan(1);
      expect(s.distinct).toBe(1000);
      expect(s.name).toBe('random');
      expect(s.enumerable).toBe(false);
    }
    // Spread over [0, 1): the mean of 200 000 draws is near 1/2.
    const mean = await runtime.run({ code: `export default function m() { let t = 0; for (let i = 0; i < 200000; i++) t += Math.random(); console.log(String(t / 200000)); }`, context: eventContext() });
    expect(Math.abs(Number(mean.logs[0]!.args[0]) - 0.5)).toBeLessThan(0.01);
  }, 120_000);
});
