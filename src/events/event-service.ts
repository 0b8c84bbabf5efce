import type { AuditService } from '../audit/audit-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import type { Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import type { EventBus } from './event-bus.ts';
import type { ProductService } from './product-service.ts';

/** What a client asks to publish (spec §6.1), already parsed. */
export interface PublishRequest {
  readonly name?: string;
  readonly data?: string | null;
  readonly ttl?: number;
  readonly private?: boolean;
  readonly public?: boolean;
  readonly as_device_id?: string;
}

export interface EventService {
  /**
   * Publishes for a caller with write permission, in the sandbox/org (`productId` null) or
   * a product. `read` parses the request and runs after the permission check, so a refused
   * caller gets 403 whatever they sent.
   */
  publish(scope: Scope, productId: number | null, read: () => PublishRequest): Promise<void>;
}

export function createEventService(deps: { bus: Pick<EventBus, 'publish'>; products: Pick<ProductService, 'deviceOf'>; audit: Pick<AuditService, 'record'> }): EventService {
  return {
    async publish(scope, productId, read) {
      await requirePermission(deps.audit, scope, 'write', { action: 'event.publish', target: productId === null ? 'events' : `product ${productId}`, doing: 'publishing events' });
      const b = read();
      let coreid = 'api';
      let deviceId: string | null = null;
      if (b.as_device_id !== undefined) {
        if (productId === null) throw new HushError('validation_failed', 'as_device_id is only accepted when publishing to a product');
        const d = await deps.products.deviceOf(scope.owner, b.as_device_id);
        if (!d || d.productId !== productId) throw new HushError('validation_failed', `device '${b.as_device_id}' does not belong to this product`);
        coreid = d.id;
        deviceId = d.id;
      }
      const isPublic = b.public ?? (b.private === undefined ? false : !b.private);
      await deps.bus.publish({ owner: scope.owner, name: b.name ?? '', data: b.data ?? null, ttl: b.ttl, isPublic, coreid, deviceId, productId, userId: scope.principal.userId, source: 'api' });
    },
  };
}
