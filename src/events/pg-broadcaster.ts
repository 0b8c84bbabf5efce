import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../logging/logger.ts';
import type { Broadcaster } from './broadcaster.ts';
import type { HushEvent } from './event-types.ts';

// NOTIFY payloads must stay under 8000 bytes; larger events travel by id.
const MAX_INLINE = 7000;

export interface PgBroadcasterDeps {
  readonly pool: pg.Pool;
  readonly connectionString: string;
  readonly schemaOptions?: string;
  /** Keeps an event too large to inline (in event_log) for the other nodes to load. */
  readonly storeEvent: (e: HushEvent) => Promise<void>;
  /** Loads an event too large to inline (from event_log). */
  readonly loadEvent: (id: string) => Promise<HushEvent | null>;
  readonly logger: Logger;
  /** Isolates clusters sharing one database in different schemas (tests). */
  readonly channelSuffix?: string;
}

/**
 * Cross-node fan-out with PostgreSQL LISTEN/NOTIFY. The publishing node delivers to its
 * own subscribers directly and ignores its own notifications, so each node sees each
 * event once. A lost listener connection is re-established with backoff.
 */
export async function createPgBroadcaster(deps: PgBroadcasterDeps): Promise<Broadcaster> {
  const node = randomBytes(8).toString('hex');
  const suffix = (deps.channelSuffix ?? '').replace(/[^a-z0-9_]/gi, '');
  const EVENTS = `hush_events${suffix ? '_' + suffix : ''}`;
  const WAKE = `hush_wake${suffix ? '_' + suffix : ''}`;
  const eventFns: Array<(e: HushEvent) => void> = [];
  const wakeFns: Array<(c: string) => void> = [];
  let client: pg.Client | null = null;
  let closed = false;

  const emitEvent = (e: HushEvent) => {
    for (const fn of eventFns) fn(e);
  };
  const emitWake = (c: string) => {
    for (const fn of wakeFns) fn(c);
  };

  const onNotification = (msg: pg.Notification) => {
    if (!msg.payload) return;
    let p: { node: string; event?: HushEvent; id?: string; channel?: string };
    try {
      p = JSON.parse(msg.payload) as typeof p;
    } catch {
      return;
    }
    if (p.node === node) return;
    if (msg.channel === WAKE && p.channel) emitWake(p.channel);
    if (msg.channel === EVENTS) {
      if (p.event) emitEvent(p.event);
      else if (p.id) {
        deps.loadEvent(p.id).then(
          (e) => e && emitEvent(e),
          (err: unknown) => deps.logger.warn({ err: String(err) }, 'could not load a notified event'),
        );
      }
    }
  };

  const connect = async (attempt = 0): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString: deps.connectionString, options: deps.schemaOptions });
    c.on('notification', onNotification);
    c.on('error', (err) => {
      deps.logger.warn({ err: err.message }, 'event listener connection lost; reconnecting');
      client = null;
      void c.end().catch(() => undefined);
      setTimeout(() => void connect(attempt + 1).catch(() => undefined), Math.min(5000, 100 * 2 ** attempt)).unref();
    });
    await c.connect();
    await c.query(`LISTEN ${EVENTS}`);
    await c.query(`LISTEN ${WAKE}`);
    client = c;
    // Anything may have been missed while disconnected: make workers look for work.
    if (attempt > 0) emitWake('*');
  };
  await connect();

  const notify = async (channel: string, payload: string) => {
    await deps.pool.query('select pg_notify($1, $2)', [channel, payload]);
  };

  return {
    async publishEvent(e) {
      emitEvent(e);
      const inline = JSON.stringify({ node, event: e });
      if (inline.length <= MAX_INLINE) {
        await notify(EVENTS, inline);
        return;
      }
      await deps.storeEvent(e);
      await notify(EVENTS, JSON.stringify({ node, id: e.id }));
    },
    onEvent: (fn) => void eventFns.push(fn),
    async wake(channel) {
      emitWake(channel);
      await notify(WAKE, JSON.stringify({ node, channel }));
    },
    onWake: (fn) => void wakeFns.push(fn),
    async close() {
      closed = true;
      const c = client;
      client = null;
      if (c) await c.end().catch(() => undefined);
    },
  };
}
