import type { AuditService } from '../audit/audit-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import { HushError } from '../errors/errors.ts';
import type { HostHealth } from './host-health.ts';
import type { PausedHost } from './host-health-store.ts';
import type { IntegrationScope } from './integration-service.ts';

export interface HostHealthServiceDeps {
  readonly audit: Pick<AuditService, 'record'>;
  readonly health: Pick<HostHealth, 'list' | 'resume'>;
}

/**
 * The owner's paused target hosts (what every node agrees on) and resuming one at once.
 * Any member may look; resuming sends the held deliveries (with their secrets), so it takes
 * the permission editing an integration takes, and is audited.
 */
export function createHostHealthService(deps: HostHealthServiceDeps) {
  return {
    list: (s: IntegrationScope): Promise<PausedHost[]> => deps.health.list(s.scope.owner),
    /** Resumes a paused host of this owner; 404 when it is not paused (never paused, resumed already, another owner's). */
    async resume(s: IntegrationScope, hostId: string): Promise<PausedHost> {
      const h = (await deps.health.list(s.scope.owner)).find((x) => x.id === hostId);
      const target = h ? `${h.host} (${hostId})` : hostId;
      await requirePermission(deps.audit, s.scope, 'write', { action: 'integration.host.resume', target, doing: 'resuming paused hosts' });
      const resumed = h ? await deps.health.resume(hostId, 'administrator') : null;
      if (!resumed) throw new HushError('not_found', `host '${hostId}' is not paused`);
      await deps.audit.record({ owner: s.scope.owner, actorId: s.scope.principal.userId, action: 'integration.host.resume', target });
      return resumed;
    },
  };
}

export type HostHealthService = ReturnType<typeof createHostHealthService>;
