import type { AuditService } from '../audit/audit-service.ts';
import { HushError } from '../errors/errors.ts';
import { can, describeScope, type Permission, type Scope } from './scope-types.ts';

/**
 * Refuses an action the caller's role does not allow: records the denied attempt in the
 * scope's audit trail, then throws 403 (never 401) with a message naming role and scope.
 */
export async function requirePermission(
  audit: Pick<AuditService, 'record'>,
  scope: Scope,
  permission: Permission,
  attempt: { readonly action: string; readonly target: string; readonly doing: string; readonly message?: string },
): Promise<void> {
  if (can(scope.role, permission)) return;
  await audit.record({ owner: scope.owner, actorId: scope.principal.userId, action: attempt.action, target: attempt.target, outcome: 'denied', detail: `role ${scope.role}` });
  throw new HushError('forbidden', attempt.message ?? `your role '${scope.role}' in ${describeScope(scope)} does not allow ${attempt.doing}`);
}
