import type { AuditService } from '../audit/audit-service.ts';
import type { Logger } from '../logging/logger.ts';
import type { OrgService } from '../orgs/org-service.ts';
import type { Db } from '../store/database-types.ts';
import type { HushModule } from '../shared/module-types.ts';
import type { Broadcaster } from './broadcaster.ts';
import { createEventBus, type EventBus } from './event-bus.ts';
import { pruneEvents } from './event-log-store.ts';
import { createEventService, type EventService } from './event-service.ts';
import { createProductService, type ProductService } from './product-service.ts';

export type EventsModule = HushModule<{ readonly bus: EventBus; readonly products: ProductService; readonly events: EventService }>;

/** How long the event log keeps an event: it only carries events too large for a NOTIFY payload to other nodes. */
const EVENT_LOG_KEEP_MS = 3_600_000;

/**
 * Builds the event bus, products and devices, and publishing; `start` prunes the event log
 * every minute. The broadcaster belongs to the server (it is closed after the listener).
 */
export function buildEventsModule(deps: {
  db: Db; broadcaster: Broadcaster; logger: Logger; now: () => Date; orgs: Pick<OrgService, 'sandboxScope' | 'orgScope'>; audit: Pick<AuditService, 'record'>;
}): EventsModule {
  const { db, now } = deps;
  const bus = createEventBus({ db, broadcaster: deps.broadcaster, logger: deps.logger, now });
  const products = createProductService({ db, orgs: deps.orgs, audit: deps.audit, now });
  const events = createEventService({ bus, products, audit: deps.audit });
  let pruner: NodeJS.Timeout | null = null;
  return {
    services: { bus, products, events },
    start() {
      pruner = setInterval(() => void pruneEvents(db, Date.now() - EVENT_LOG_KEEP_MS).catch(() => undefined), 60_000);
      pruner.unref();
    },
    async close() {
      if (pruner) clearInterval(pruner);
    },
  };
}
