import { describe, expect, it } from 'vitest';
import type { HushEvent, PublishInput } from '../events/event-types.ts';
import { createLogger } from '../logging/logger.ts';
import type { Db } from '../store/database-types.ts';
import { createFakeHostHealthStore } from './fake-host-health-store.ts';
import { createHostHealth, hostKey, type HostPass } from './host-health.ts';
import type { SendResult } from './webhook/webhook-types.ts';

const ok: SendResult = { ok: true, status: 200, durationMs: 1 };
const down: SendResult = { ok: false, status: 503, durationMs: 1 };
const masker = { mask: (t: string) => t.replaceAll('secret.example', '[[SENSITIVE]]') };

function setup(config = {}) {
  let now = 1_000_000;
  const store = createFakeHostHealthStore();
  const published: PublishInput[] = [];
  const released: string[] = [];
  const changes: string[] = [];
  const db = { transaction: () => ({ execute: (fn: (trx: unknown) => Promise<unknown>) => fn({}) }) } as unknown as Db;
  const health = createHostHealth({
    db, store, queue: { releaseHeld: async (_trx, id) => void released.push(id) }, bus: { publish: async (e) => (published.push(e), {} as HushEvent) },
    logger: createLogger({ level: 'silent' }), now: () => new Date(now), changed: (what) => void changes.push(what),
    config: { minSamples: 3, probeMs: 1000, probeMaxMs: 4000, maxAgeMs: 60_000, ...config },
  });
  const admit = (url = 'https://api.example.com/hook', owner = 'user:a', queuedAtMs = now) => health.admit({ owner, url, masker, queuedAtMs });
  const send = async (result: SendResult, url?: string, owner?: string) => {
    const pass = await admit(url, owner);
    if (pass.kind !== 'send') throw new Error(`expected send, got ${pass.kind}`);
    return pass.done(result);
  };
  return { health, store, published, released, changes, admit, send, advance: (ms: number) => void (now += ms), nowMs: () => now };
}

describe('host health', () => {
  it('pauses a host once errors outnumber successes, announcing it once', async () => {
    const t = setup();
    expect(await t.send(ok)).toBe(false);
    expect(await t.send(down)).toBe(false);
    expect(await t.send(down)).toBe(true); // 2 of 3
    expect(t.published.map((e) => e.name)).toEqual(['hush/host/paused']);
    expect(JSON.parse(t.published[0]?.data ?? '')).toMatchObject({ host: 'api.example.com', errors: 2, successes: 1, last_error: 'HTTP 503' });
    expect(t.changes).toEqual(['paused']);
    const held = await t.admit();
    expect(held).toEqual({ kind: 'hold', hostId: hostKey('user:a', 'api.example.com'), delayMs: 1000 });
  });

  it('keeps owners and hosts apart, and ignores ports', async () => {
    const t = setup();
    for (let i = 0; i < 3; i++) await t.send(down, 'https://api.example.com:8443/x');
    expect((await t.admit('https://api.example.com/other')).kind).toBe('hold');
    expect((await t.admit('https://api.example.com/other', 'org:b')).kind).toBe('send');
    expect((await t.admit('https://other.example.com/')).kind).toBe('send');
  });

  it('probes one request at a time when due, doubles the wait after a failure and resumes on an answer', async () => {
    const t = setup();
    for (let i = 0; i < 3; i++) await t.send(down);
    t.advance(1000);
    const probe = (await t.admit()) as Extract<HostPass, { kind: 'send' }>;
    expect(probe.kind).toBe('send');
    expect((await t.admit()).kind).toBe('hold'); // the probe is out
    await probe.done(down);
    const [row] = t.store.rows.values();
    expect(row).toMatchObject({ probeIntervalMs: 2000, probeUntilMs: null, probes: 1 });
    t.advance(1999);
    expect(await t.admit()).toMatchObject({ kind: 'hold', delayMs: 50 }); // at least 50 ms
    t.advance(1);
    const second = (await t.admit()) as Extract<HostPass, { kind: 'send' }>;
    expect(second.kind).toBe('send');
    await second.done({ ok: false, status: 404, durationMs: 1 }); // it answers
    expect(t.released).toEqual([hostKey('user:a', 'api.example.com')]);
    expect(t.published.map((e) => e.name)).toEqual(['hush/host/paused', 'hush/host/resumed']);
    expect(JSON.parse(t.published[1]?.data ?? '')).toMatchObject({ by: 'probe' });
    expect(t.store.rows.size).toBe(0);
    // Resumed with a clean window: one more error does not pause it again.
    expect(await t.send(down)).toBe(false);
  });

  it('gives up deliveries held longer than the age limit, and an administrator can resume at once', async () => {
    const t = setup();
    for (let i = 0; i < 3; i++) await t.send(down);
    expect((await t.admit(undefined, undefined, t.nowMs() - 60_000)).kind).toBe('expired');
    const h = await t.health.resume(hostKey('user:a', 'api.example.com'), 'administrator');
    expect(h?.host).toBe('api.example.com');
    expect(await t.health.resume(hostKey('user:a', 'api.example.com'), 'administrator')).toBeNull();
    expect((await t.admit()).kind).toBe('send');
  });

  it('keeps a host name from a secret masked, and does nothing with host health off', async () => {
    const t = setup();
    for (let i = 0; i < 3; i++) await t.send(down, 'https://secret.example/x');
    expect(JSON.parse(t.published[0]?.data ?? '').host).toBe('[[SENSITIVE]]');
    expect(t.published[0]?.data).not.toContain('secret.example');
    const off = setup({ minSamples: 0 });
    for (let i = 0; i < 10; i++) expect(await off.send(down)).toBe(false);
    expect(off.store.rows.size).toBe(0);
  });
});
