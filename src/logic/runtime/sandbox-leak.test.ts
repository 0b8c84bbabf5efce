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

// Exercises every handle-creating path: console with objects, publish with JSON data,
// getContext, both modules, a returned promise and a thrown error every other run.
const CODE = `import Particle from 'particle:core';
import { base64Encode } from 'particle:encoding';
export default async function main({ event, secrets }, i = 0) {
  const data = JSON.parse(event.eventData);
  console.log('run', { data, key: secrets.API_KEY, ctx: Particle.getContext().functionInfo });
  Particle.publish('leak/check', { encoded: base64Encode(secrets.API_KEY), data }, { productId: 1 });
  await null;
  if (Math.random() < 0.5) throw new Error('every other run fails');
}`;

async function runMany(count: number): Promise<void> {
  const context = eventContext();
  for (let done = 0; done < count; done += 8) {
    const results = await Promise.all(Array.from({ length: 8 }, () => runtime.run({ code: CODE, context })));
    for (const result of results) {
      expect(result.status === 'Success' || result.err === 'Error: every other run fails', result.err).toBe(true);
      expect(result.publishes).toHaveLength(1);
    }
  }
}

describe('sandbox memory over many runs', () => {
  it('does not grow the worker heap or the QuickJS heap without bound', async () => {
    await runMany(400);
    const [before] = await runtime.stats({ gc: true });
    await runMany(2400);
    const [after] = await runtime.stats({ gc: true });
    expect(after!.runs - before!.runs).toBe(2400);
    // A leaked handle would abort QuickJS at dispose and force an engine recycle.
    expect(after!.engineRecycles).toBe(0);
    expect(after!.wasmMemoryBytes).toBe(before!.wasmMemoryBytes);
    // Less than ~1 KiB per run: anything kept per run would show up here.
    expect(after!.heapUsedBytes - before!.heapUsedBytes).toBeLessThan(2 * 1024 * 1024);
  }, 120_000);
});
