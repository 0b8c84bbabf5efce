import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { routeInput } from '../http/route-input.ts';
import { SCOPE_PREFIXES, type ScopeResolver } from '../http/scope-fns.ts';
import type { AuditTrailService } from './audit-trail-service.ts';

const isoTime = z.iso.datetime({ offset: true }).transform((t) => new Date(t).toISOString());
const query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  before: z.string().max(64).optional(),
  actor: z.string().min(1).max(320).optional().describe('A user id or email'),
  action: z.string().regex(/^[a-z_]+(\.[a-z_]+)?$/, 'action must be an action such as secret.create, or a family such as secret').optional(),
  target: z.string().min(1).max(200).optional().describe('Part of the target, any case'),
  outcome: z.enum(['ok', 'denied']).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
});
const readInput = routeInput({ summary: 'Read the audit trail, newest first', query });

/** `GET /v1/audit` and `GET /v1/orgs/:org/audit` (administrators only in orgs). */
export function registerAuditRoutes(app: FastifyInstance, deps: { trail: AuditTrailService; scopeOf: ScopeResolver }): void {
  for (const prefix of SCOPE_PREFIXES) {
    app.get(`${prefix}/audit`, readInput.options, async (req) => {
      const entries = await deps.trail.read(await deps.scopeOf(req), () => readInput.query(req));
      return {
        audit: entries.map((e) => ({
          id: e.id,
          created_at: e.createdAt,
          actor: { id: e.actorId, username: e.actorEmail },
          action: e.action,
          target: e.target,
          outcome: e.outcome,
          detail: e.detail,
        })),
      };
    });
  }
}
