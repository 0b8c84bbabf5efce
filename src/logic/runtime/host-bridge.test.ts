import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventContext } from './logic-context-fixtures.ts';
import { createLogicRuntime } from './logic-runtime.ts';
import { MAX_LEDGER_CALLS_PER_RUN } from './particle-ledger-module.ts';
import type { HostHandler } from './host-bridge-types.ts';
import type { LogicRuntime } from './runtime-types.ts';

let runtime: LogicRuntime;
beforeAll(() => {
  runtime = createLogicRuntime({ workers: 2 });
});
afterAll(async () => {
  await runtime.close();
});

type Call = { method: string; args: readonly unknown[] };

/** A host that keeps one object per ledger name, and records every call. */
function memoryHost(): { calls: Call[]; store: Map<string, Record<string, unknown>>; host: HostHandler } {
  const calls: Call[] = [];
  const store = new Map<string, Record<string, unknown>>();
  const host: HostHandler = async (method, args) => {
    calls.push({ method, args });
    const name = args[0] as string;
    if (name === 'missing') throw new Error(`ledger '${name}' not found`);
    if (method === 'ledger.get') return store.has(name) ? { updatedAt: '2024-05-01T00:00:00.000Z', data: store.get(name) } : { updatedAt: null, data: {} };
    if (method === 'ledger.set') {
      const data = JSON.parse(args[2] as string) as Record<string, unknown>;
      store.set(name, args[3] === 'Merge' ? { ...store.get(name), ...data } : data);
      return null;
    }
    store.delete(name);
    return null;
  };
  return { calls, store, host };
}

const run = (code: string, host?: HostHandler, timeoutMs?: number) =>
  runtime.run({ code: `import Particle from 'particle:core';\n${code}`, context: eventContext(), host, limits: timeoutMs ? { timeoutMs } : undefined });

describe('host-call bridge', () => {
  it('answers get, set and delete synchronously, with the constants and scope options as given', async () => {
    const h = memoryHost();
    const result = await run(
      `export default function () {
        const l = Particle.ledger('cache', { deviceId: 'e00fce68b1b2c3d4e5f6a7b8' });
        console.log(JSON.stringify(l.get()));
        l.set({ a: 1 });
        l.set({ b: 2 }, Particle.MERGE);
        console.log(JSON.stringify(l.get().data));
        l.set({ c: 3 }, 'replace');
        console.log(JSON.stringify(Particle.ledger('cache').get().data), String(l.delete()));
      }`,
      h.host,
    );
    expect(result.err).toBeUndefined();
    expect(result.logs.map((l) => l.args.join(' '))).toEqual(['{"updatedAt":null,"data":{}}', '{"a":1,"b":2}', '{"c":3} null']);
    expect(h.calls.map((c) => c.method)).toEqual(['ledger.get', 'ledger.set', 'ledger.set', 'ledger.get', 'ledger.set', 'ledger.get', 'ledger.delete']);
    expect(h.calls[0]?.args).toEqual(['cache', { deviceId: 'e00fce68b1b2c3d4e5f6a7b8' }]);
    expect(h.calls[2]?.args).toEqual(['cache', { deviceId: 'e00fce68b1b2c3d4e5f6a7b8' }, '{"b":2}', 'Merge']);
    expect(h.calls[5]?.args).toEqual(['cache', {}]);
    expect(h.store.size).toBe(0);
  });

  it('carries answers larger than one chunk of the shared buffer', async () => {
    const h = memoryHost();
    h.store.set('big', { text: 'é'.repeat(400_000), n: 7 });
    const result = await run(`export default function () { const d = Particle.ledger('big').get().data; console.log(d.text.length, d.n); }`, h.host);
    expect(result.err).toBeUndefined();
    expect(result.logs[0]?.args).toEqual([400000, 7]);
  });

  it('throws the host error inside the run, where the function may catch it', async () => {
    const h = memoryHost();
    const caught = await run(`export default function () { try { Particle.ledger('missing').get(); } catch (e) { console.log(e.message); } }`, h.host);
    expect(caught.status).toBe('Success');
    expect(caught.logs[0]?.args).toEqual(["Particle.ledger('missing').get: ledger 'missing' not found"]);
    const uncaught = await run(`export default function () { Particle.ledger('missing').set({ a: 1 }); }`, h.host);
    expect(uncaught.status).toBe('Failure');
    expect(uncaught.err).toBe("Error: Particle.ledger('missing').set: ledger 'missing' not found");
  });

  it('checks arguments before calling the host', async () => {
    const h = memoryHost();
    const cases: Array<[string, string]> = [
      [`Particle.ledger(42)`, 'TypeError: Particle.ledger: the ledger name must be a string'],
      [`Particle.ledger('x', { productId: 'abc' })`, 'TypeError: Particle.ledger: productId must be a product ID (a number)'],
      [`Particle.ledger('x').set([1, 2])`, "TypeError: Particle.ledger('x').set: the data must be a JSON object, got an array"],
      [`Particle.ledger('x').set('text')`, "TypeError: Particle.ledger('x').set: the data must be a JSON object, got a string"],
      [`Particle.ledger('x').set(null)`, "TypeError: Particle.ledger('x').set: the data must be a JSON object, got null"],
      [`Particle.ledger('x').set({ a: 1 }, 'Append')`, "TypeError: Particle.ledger('x').set: the mode must be Particle.REPLACE ('Replace') or Particle.MERGE ('Merge')"],
    ];
    for (const [call, err] of cases) {
      const result = await run(`export default function () { ${call}; }`, h.host);
      expect(result.err).toBe(err);
    }
    expect(h.calls).toEqual([]);
  });

  it('bounds the calls per run', async () => {
    const h = memoryHost();
    const result = await run(`export default function () { const l = Particle.ledger('n'); for (let i = 0; i < 1000; i++) l.get(); }`, h.host);
    expect(result.err).toBe(`Error: Particle.ledger: the limit of ${MAX_LEDGER_CALLS_PER_RUN} calls per run is exceeded`);
    expect(h.calls).toHaveLength(MAX_LEDGER_CALLS_PER_RUN);
  });

  it('counts the wait in the run time limit: an unanswered call ends the run as a Timeout', async () => {
    const never: HostHandler = () => new Promise(() => undefined);
    const result = await run(`export default function () { try { Particle.ledger('x').get(); } catch (e) { console.log('caught'); } }`, never, 300);
    expect(result.status).toBe('Timeout');
    expect(result.err).toBe('Timeout: the function ran longer than 300 ms');
    // The worker is free again: the next run goes through.
    const h = memoryHost();
    const next = await run(`export default function () { Particle.ledger('x').set({ ok: true }); }`, h.host);
    expect(next.status).toBe('Success');
    expect(h.store.get('x')).toEqual({ ok: true });
  });

  it('throws clearly when the run has no host', async () => {
    const result = await run(`export default function () { Particle.ledger('settings').get(); }`);
    expect(result.err).toBe("Error: Particle.ledger('settings').get: host calls are not available to this run");
  });

  it('keeps each run of a batch on its own host handler', async () => {
    const hosts = Array.from({ length: 12 }, () => memoryHost());
    const results = await Promise.all(
      hosts.map((h, i) => run(`export default function () { Particle.ledger('k').set({ i: ${i} }); console.log(Particle.ledger('k').get().data.i); }`, h.host)),
    );
    results.forEach((r, i) => expect(r.logs[0]?.args).toEqual([i]));
    hosts.forEach((h, i) => expect(h.store.get('k')).toEqual({ i }));
  });

  it('answers cloud API helpers as a thenable already holding status and body', async () => {
    const calls: Call[] = [];
    const host: HostHandler = async (method, args) => {
      calls.push({ method, args });
      return { status: 200, body: { devices: [{ id: 'd1' }] } };
    };
    const result = await run(
      `export default async function () {
        const sync = Particle.listDevices(4242, { perPage: 10 });
        console.log(sync.status, sync.body.devices[0].id, JSON.stringify(sync));
        const awaited = await Particle.listDevices('slug');
        console.log(awaited.status, 'then' in awaited);
        await Particle.getDevice('e00fce68b1b2c3d4e5f6a7b8').then((r) => console.log('then', r.body.devices.length));
      }`,
      host,
    );
    expect(result.err).toBeUndefined();
    expect(result.logs.map((l) => l.args)).toEqual([
      [200, 'd1', '{"status":200,"body":{"devices":[{"id":"d1"}]}}'],
      [200, false],
      ['then', 1],
    ]);
    expect(calls).toEqual([
      { method: 'api.listDevices', args: [4242] },
      { method: 'api.listDevices', args: ['slug'] },
      { method: 'api.getDevice', args: ['e00fce68b1b2c3d4e5f6a7b8'] },
    ]);
  });

  it("skips an abandoned call's late answer: the worker's next call gets its own", async () => {
    const single = createLogicRuntime({ workers: 1, graceMs: 5000 });
    const code = (body: string) => `import Particle from 'particle:core';\nexport default function () { ${body} }`;
    try {
      let release: (() => void) | undefined;
      const late: HostHandler = () => new Promise((resolve) => (release = () => resolve({ updatedAt: null, data: { from: 'late' } })));
      const first = await single.run({ code: code(`Particle.ledger('x').get();`), context: eventContext(), host: late, limits: { timeoutMs: 200 } });
      expect(first.status).toBe('Timeout');
      const h = memoryHost();
      h.store.set('x', { from: 'own' });
      // The abandoned call answers while this run's call is pending.
      const own: HostHandler = async (method, args) => {
        release?.();
        await new Promise((r) => setImmediate(r));
        return h.host(method, args);
      };
      const second = await single.run({ code: code(`console.log(Particle.ledger('x').get().data.from);`), context: eventContext(), host: own });
      expect(second.logs[0]?.args).toEqual(['own']);
    } finally {
      await single.close();
    }
  });
});
