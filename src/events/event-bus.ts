import { HushError } from '../errors/errors.ts';
import type { Logger } from '../logging/logger.ts';
import type { Db, DbOrTrx } from '../store/database-types.ts';
import type { Broadcaster } from './broadcaster.ts';
import { newEvent } from './new-event-fns.ts';
import { API_EVENT_DATA_MAX_BYTES, EVENT_NAME_MAX, INTERNAL_EVENT_DATA_MAX_BYTES, matchesFilter, type EventFilter, type HushEvent, type PublishInput } from './event-types.ts';

/**
 * A consumer that turns an event into durable work inside the publishing transaction
 * (webhook deliveries, Logic runs). It may refuse with `too_many_requests` when its
 * queue is full; then nothing of the event is committed.
 */
export interface EventSink {
  readonly name: string;
  enqueue(trx: DbOrTrx, event: HushEvent): Promise<number>;
  /** Optional batch form (one transaction holds several events); defaults to `enqueue` per event. */
  enqueueMany?(trx: DbOrTrx, events: readonly HushEvent[]): Promise<number>;
  /** Called after commit when enqueue created work. */
  afterCommit?(): void;
  /** Called after a publishing transaction in which enqueue ran was rolled back. */
  afterRollback?(): void;
}

export interface EventBus {
  publish(input: PublishInput): Promise<HushEvent>;
  /** Live subscription on this node (fed by every node through the broadcaster). */
  subscribe(filter: EventFilter, fn: (e: HushEvent) => void): () => void;
  addSink(sink: EventSink): void;
  subscriberCount(): number;
}

export interface EventBusDeps {
  readonly db: Db;
  readonly broadcaster: Broadcaster;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Most events committed in one transaction (default 128). */
  readonly maxBatch?: number;
}

const validate = (input: PublishInput): void => {
  const name = input.name;
  if (typeof name !== 'string' || name.length === 0) throw new HushError('validation_failed', 'event name is required');
  if (name.length > EVENT_NAME_MAX) throw new HushError('validation_failed', `event name must be at most ${EVENT_NAME_MAX} characters`);
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new HushError('validation_failed', 'event name must not contain control characters');
  const limit = input.source === 'api' || input.source === 'device' ? API_EVENT_DATA_MAX_BYTES : INTERNAL_EVENT_DATA_MAX_BYTES;
  if (input.data && Buffer.byteLength(input.data, 'utf8') > limit) {
    throw new HushError('validation_failed', `event data must be at most ${limit} bytes`);
  }
};

/** SQLite work is synchronous under its promises: let network I/O in between long runs of it. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Pending {
  readonly event: HushEvent;
  resolve(e: HushEvent): void;
  reject(err: unknown): void;
}

/**
 * Publishes events: durable work in one transaction, then live fan-out after commit.
 *
 * Group commit: publishes that arrive while a transaction is running wait and then share
 * the next one, so a busy node pays one commit (and one candidate lookup per owner) for
 * many events. If a shared transaction fails, each of its events is retried alone, so
 * one event's refusal (a full queue) never fails its neighbours.
 */
export function createEventBus(deps: EventBusDeps): EventBus {
  const maxBatch = deps.maxBatch ?? 128;
  const sinks: EventSink[] = [];
  const subs = new Set<{ filter: EventFilter; fn: (e: HushEvent) => void }>();
  const waiting: Pending[] = [];
  let draining = false;

  deps.broadcaster.onEvent((e) => {
    for (const s of subs) {
      if (!matchesFilter(e, s.filter)) continue;
      try {
        s.fn(e);
      } catch (err) {
        deps.logger.warn({ err: String(err) }, 'event subscriber failed');
      }
    }
  });

  // One publishing transaction at a time (see drain), so a sink can tie what it did in
  // `enqueue` to the afterCommit/afterRollback call that follows.
  const commit = async (events: readonly HushEvent[]): Promise<void> => {
    const touched: EventSink[] = [];
    const called: EventSink[] = [];
    try {
      // Events themselves are not stored: what must survive a crash is the work they
      // created (deliveries, Logic jobs), written here; live fan-out follows the commit.
      await deps.db.transaction().execute(async (trx) => {
        for (const sink of sinks) {
          called.push(sink);
          let n = 0;
          if (sink.enqueueMany) n = await sink.enqueueMany(trx, events);
          else for (const e of events) n += await sink.enqueue(trx, e);
          if (n > 0) touched.push(sink);
        }
      });
    } catch (err) {
      for (const sink of called) sink.afterRollback?.();
      throw err;
    }
    for (const sink of touched) sink.afterCommit?.();
  };

  const fanOut = (e: HushEvent) =>
    void deps.broadcaster.publishEvent(e).catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'event fan-out failed'));

  /** Commits a batch; if that fails, each event alone, so one refusal fails only its own publish. */
  const commitBatch = async (batch: readonly Pending[]) => {
    try {
      await commit(batch.map((p) => p.event));
      for (const p of batch) {
        fanOut(p.event);
        p.resolve(p.event);
      }
      return;
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
    }
    for (const p of batch) {
      try {
        await commit([p.event]);
        fanOut(p.event);
        p.resolve(p.event);
      } catch (one) {
        p.reject(one);
      }
    }
  };

  const drain = async () => {
    draining = true;
    try {
      while (waiting.length > 0) {
        await commitBatch(waiting.splice(0, maxBatch));
        // The next batch forms while network I/O runs (replies go out, requests come in).
        if (waiting.length > 0) await yieldToIo();
      }
    } finally {
      draining = false;
    }
  };

  return {
    async publish(input) {
      validate(input);
      const event = newEvent(input, deps.now());
      return new Promise<HushEvent>((resolve, reject) => {
        waiting.push({ event, resolve, reject });
        if (draining) return;
        // Start on the next turn: requests already read by this turn join the same transaction.
        draining = true;
        setImmediate(() => void drain());
      });
    },
    subscribe(filter, fn) {
      const s = { filter, fn };
      subs.add(s);
      return () => void subs.delete(s);
    },
    addSink: (sink) => void sinks.push(sink),
    subscriberCount: () => subs.size,
  };
}
