import type { AuditService } from '../audit/audit-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import { HushError } from '../errors/errors.ts';
import type { DeadLetterStore } from './dead-letter-store.ts';
import type { DeliveryLogStore, HistoryEntry, HistoryQuery } from './delivery-log-store.ts';
import type { DeliveryQueue } from './delivery-queue.ts';
import type { IntegrationScope, IntegrationService } from './integration-service.ts';

export interface DeliveryHistoryPage {
  readonly deliveries: HistoryEntry[];
  /** Cursor for the next (older) page; null on the last page. */
  readonly next_before: string | null;
}

export interface Replay {
  readonly id: string;
  readonly replayOf: string;
}

export interface DeliveryHistoryServiceDeps {
  readonly integrations: Pick<IntegrationService, 'get'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly logs: Pick<DeliveryLogStore, 'history'>;
  readonly deadLetters: DeadLetterStore;
  readonly queue: Pick<DeliveryQueue, 'replay'>;
}

/**
 * An integration's delivery history (every attempt kept for the retention, newest first) and
 * the replay of its dead letters. Reading follows the integration's own visibility; a replay
 * sends the selected secrets again, so it takes the permission that editing the integration takes.
 */
export function createDeliveryHistoryService(deps: DeliveryHistoryServiceDeps) {
  const requireWrite = (s: IntegrationScope, action: string, target: string) =>
    requirePermission(deps.audit, s.scope, 'write', { action, target, doing: 'replaying deliveries' });
  const replay = async (s: IntegrationScope, id: string, which: { id: string } | { since: string }) => {
    const r = await deps.integrations.get(s, id);
    await requireWrite(s, 'integration.replay', `${r.config.name} (${id})`);
    const letters = await deps.deadLetters.unreplayed(r.id, which);
    return deps.queue.replay(letters, deps.deadLetters);
  };
  return {
    async history(s: IntegrationScope, id: string, q: HistoryQuery): Promise<DeliveryHistoryPage> {
      const r = await deps.integrations.get(s, id);
      const deliveries = await deps.logs.history(r.id, q);
      return { deliveries, next_before: deliveries.length === q.limit ? (deliveries[deliveries.length - 1]?.id ?? null) : null };
    },
    /** Replays one dead letter; 404 if the integration has none by that id, 409 if it was replayed already. */
    async replayOne(s: IntegrationScope, id: string, deliveryId: string): Promise<Replay> {
      const [made] = await replay(s, id, { id: deliveryId });
      if (made) return made;
      if (await deps.deadLetters.exists(id, deliveryId)) throw new HushError('conflict', `delivery '${deliveryId}' was replayed already`);
      throw new HushError('not_found', `dead letter '${deliveryId}' not found`);
    },
    /** Replays every dead letter since `since` not replayed yet. */
    replayAllSince: (s: IntegrationScope, id: string, since: string): Promise<Replay[]> => replay(s, id, { since }),
  };
}

export type DeliveryHistoryService = ReturnType<typeof createDeliveryHistoryService>;
