import type { AuthService } from '../auth/auth-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import { describeScope, type Scope } from '../auth/scope-types.ts';
import type { AuditEntry, AuditQuery, AuditService } from './audit-service.ts';

/** A page of the trail as asked for: `actor` is a user id or an email. */
export interface AuditPage extends Omit<AuditQuery, 'actorId'> {
  readonly actor?: string;
}

/** Reading a scope's audit trail (administrators only in orgs). */
export interface AuditTrailService {
  /** Newest first, each with the actor's email (null once the user is gone); `read` parses the page after the permission check. */
  read(scope: Scope, read: () => AuditPage): Promise<Array<AuditEntry & { readonly actorEmail: string | null }>>;
}

export function createAuditTrailService(deps: { audit: AuditService; auth: Pick<AuthService, 'emailsByIds' | 'userByEmail'> }): AuditTrailService {
  /** The actor filter as a user id: an email names its user, or nobody (null: nothing can match). */
  const actorId = async (actor: string | undefined): Promise<string | undefined | null> =>
    actor === undefined || !actor.includes('@') ? actor : ((await deps.auth.userByEmail(actor))?.id ?? null);
  return {
    async read(scope, read) {
      // Denied like any other refused action: recorded in the trail it tried to read.
      await requirePermission(deps.audit, scope, 'read_audit', {
        action: 'audit.read',
        target: scope.orgSlug ?? '',
        doing: 'reading the audit trail',
        message: `only administrators can read the audit trail of ${describeScope(scope)}`,
      });
      const { actor, ...page } = read();
      const id = await actorId(actor);
      if (id === null) return [];
      const entries = await deps.audit.list(scope.owner, { ...page, actorId: id });
      const emails = await deps.auth.emailsByIds(entries.map((e) => e.actorId));
      return entries.map((e) => ({ ...e, actorEmail: emails.get(e.actorId) ?? null }));
    },
  };
}
