import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HushError } from '../errors/errors.ts';
import { openStore, type StoreHandle } from '../store/open-store.ts';
import { createLocalBroadcaster } from './broadcaster.ts';
import { createEventBus, type EventSink } from './event-bus.ts';
import type { HushEvent } from './event-types.ts';

describe('event bus group commit', () => {
  let dir: string;
  let store: StoreHandle;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-bus-'));
    store = await openStore({ dataDir: dir, databaseUrl: null });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const busWith = (sink: EventSink) => {
    const bus = createEventBus({ db: store.db, broadcaster: createLocalBroadcaster(), logger: pino({ level: 'silent' }), now: () => new Date() });
    bus.addSink(sink);
    return bus;
  };

  it('commits concurrent publishes together and fans each out in order', async () => {
    const batches: number[] = [];
    let commits = 0;
    const bus = busWith({ name: 't', enqueue: async () => 0, enqueueMany: async (_trx, events) => (batches.push(events.length), 1), afterCommit: () => void commits++ });
    const seen: string[] = [];
    bus.subscribe({}, (e) => void seen.push(e.name));
    const names = Array.from({ length: 20 }, (_, i) => `e${i}`);
    await Promise.all(names.map((name) => bus.publish({ owner: 'user:1', name, source: 'api' })));
    expect(batches).toEqual([20]);
    expect(commits).toBe(1);
    expect(seen).toEqual(names);
  });

  it("fails only the refused event, not its neighbours, and tells the sink about the rollback", async () => {
    let rollbacks = 0;
    const refuse = (events: readonly HushEvent[]) => {
      if (events.some((e) => e.name === 'bad')) throw new HushError('too_many_requests', 'queue is full');
      return events.length;
    };
    const bus = busWith({ name: 't', enqueue: async (_trx, e) => refuse([e]), enqueueMany: async (_trx, events) => refuse(events), afterRollback: () => void rollbacks++ });
    const seen: string[] = [];
    bus.subscribe({}, (e) => void seen.push(e.name));
    const results = await Promise.allSettled(['a', 'bad', 'b'].map((name) => bus.publish({ owner: 'user:1', name, source: 'api' })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(HushError);
    expect(rollbacks).toBe(2); // the shared transaction, then the refused event alone
    expect(seen.sort()).toEqual(['a', 'b']);
  });

  it('refuses invalid events before queueing them', async () => {
    let offered = 0;
    const bus = busWith({ name: 't', enqueue: async () => (offered++, 0) });
    const seen: string[] = [];
    bus.subscribe({}, (e) => void seen.push(e.name));
    await expect(bus.publish({ owner: 'user:1', name: 'big', data: 'x'.repeat(16 * 1024 + 1), source: 'api' })).rejects.toThrow('event data must be at most 16384 bytes');
    await expect(bus.publish({ owner: 'user:1', name: '', source: 'api' })).rejects.toThrow('event name is required');
    expect(offered).toBe(0);
    expect(seen).toEqual([]);
  });
});
