import { HushError } from '../errors/errors.ts';
import type { Logger } from '../logging/logger.ts';
import { sortableId } from '../shared/ids.ts';
import type { Db, DbOrTrx } from '../store/database-types.ts';
import type { Broadcaster } from './broadcaster.ts';
import { API_EVENT_DATA_MAX_BYTES, EVENT_NAME_MAX, INTERNAL_EVENT_DATA_MAX_BYTES, matchesFilter, type EventFilter, type HushEvent, type PublishInput } from './event-types.ts';
import { insertEvent } from './event-log-store.ts';

/**
 * A consumer that turns an event into durable work inside the publishing transaction
 * (webhook deliveries, Logic runs). It may refuse with `too_many_requests` when its
 * queue is full; then nothing of the event is committed.
 */
export interface EventSink {
  readonly name: string;
  enqueue(trx: DbOrTrx, event: HushEvent): Promise<number>;
  /** Called after commit when enqueue created work. */
  afterCommit?(): void;
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

/** Publishes events: durable work in one transaction, then live fan-out after commit. */
export function createEventBus(deps: EventBusDeps): EventBus {
  const sinks: EventSink[] = [];
  const subs = new Set<{ filter: EventFilter; fn: (e: HushEvent) => void }>();
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

  return {
    async publish(input) {
      validate(input);
      const now = deps.now();
      const event: HushEvent = {
        id: sortableId(now),
        owner: input.owner,
        name: input.name,
        data: input.data ?? null,
        ttl: input.ttl ?? 60,
        isPublic: input.isPublic ?? false,
        publishedAt: now.toISOString(),
        coreid: input.coreid ?? 'api',
        productId: input.productId ?? null,
        deviceId: input.deviceId ?? null,
        userId: input.userId ?? null,
        source: input.source,
      };
      const touched: EventSink[] = [];
      await deps.db.transaction().execute(async (trx) => {
        await insertEvent(trx, event, now.getTime());
        for (const sink of sinks) if ((await sink.enqueue(trx, event)) > 0) touched.push(sink);
      });
      for (const sink of touched) sink.afterCommit?.();
      await deps.broadcaster.publishEvent(event).catch((err: unknown) => deps.logger.warn({ err: String(err) }, 'event fan-out failed'));
      return event;
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
