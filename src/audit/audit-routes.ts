import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuthService } from '../auth/auth-service.ts';
import { requirePermission } from '../auth/permission-fns.ts';
import { describeScope } from '../auth/scope-types.ts';
import { parseInput } from '../http/body-fns.ts';
import { SCOPE_PREFIXES, type ScopeResolver } from '../http/scope-fns.ts';
import type { AuditService } from './audit-service.ts';

const query = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional(), before: z.string().max(64).optional() });

/** `GET /v1/audit` and `GET /v1/orgs/:org/audit` (administrators only in orgs). */
export function registerAuditRoutes(app: FastifyInstance, deps: { audit: AuditService; auth: Pick<AuthService, 'emailsByIds'>; scopeOf: ScopeResolver }): void {
  for (const prefix of SCOPE_PREFIXES) {
    app.get(`${prefix}/audit`, async (req) => {
      const scope = await deps.scopeOf(req);
      // Denied like any other refused action: recorded in the trail it tried to read.
      await requirePermission(deps.audit, scope, 'read_audit', {
        action: 'audit.read',
        target: scope.orgSlug ?? '',
        doing: 'reading the audit trail',
        message: `only administrators can read the audit trail of ${describeScope(scope)}`,
      });
      const { limit, before } = parseInput(query, req.query, 'query');
      const entries = await deps.audit.list(scope.owner, { limit, before });
      const emails = await deps.auth.emailsByIds(entries.map((e) => e.actorId));
      return {
        audit: entries.map((e) => ({
          id: e.id,
          created_at: e.createdAt,
          actor: { id: e.actorId, username: emails.get(e.actorId) ?? null },
          action: e.action,
          target: e.target,
          outcome: e.outcome,
          detail: e.detail,
        })),
      };
    });
  }
}
