import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HushError } from '../errors/errors.ts';
import { principalOf } from '../http/auth-hook.ts';
import { routeInput } from '../http/route-input.ts';
import type { ScopeResolver } from '../http/scope-fns.ts';
import type { MemberRow } from './org-store.ts';
import type { OrgService } from './org-service.ts';

const memberBody = z.strictObject({ username: z.string().optional(), email: z.string().optional(), role: z.string() });
const roleBody = z.strictObject({ role: z.string() });
const addInput = routeInput({ summary: 'Add a member (or change their role)', body: memberBody });
const roleInput = routeInput({ summary: "Change a member's role", body: roleBody });

const memberView = (m: MemberRow) => ({ user_id: m.userId, username: m.email, role: m.role, created_at: m.createdAt });

/** `GET /v1/orgs` and member management (administrators only). */
export function registerOrgRoutes(app: FastifyInstance, deps: { orgs: OrgService; scopeOf: ScopeResolver }): void {
  const { orgs, scopeOf } = deps;

  app.get('/v1/orgs', async (req) => {
    const list = await orgs.orgsOfUser(principalOf(req).userId);
    return { organizations: list.map((o) => ({ id: o.id, slug: o.slug, name: o.name, role: o.role, created_at: o.createdAt })) };
  });
  app.get('/v1/orgs/:org', async (req) => {
    const s = await scopeOf(req);
    const o = (await orgs.orgsOfUser(s.principal.userId)).find((x) => x.id === s.orgId);
    return { organization: { id: s.orgId, slug: s.orgSlug, name: o?.name ?? s.orgSlug, role: s.role } };
  });
  app.get('/v1/orgs/:org/members', async (req) => {
    return { members: (await orgs.members(await scopeOf(req))).map(memberView) };
  });
  app.post('/v1/orgs/:org/members', addInput.options, async (req, reply) => {
    const s = await scopeOf(req);
    const b = addInput.body(req);
    const who = b.username ?? b.email;
    if (!who) throw new HushError('validation_failed', 'username (the member\'s email) is required');
    return reply.status(201).send({ ok: true, member: memberView(await orgs.setMember(s, who, b.role)) });
  });
  app.put<{ Params: { org: string; member: string } }>('/v1/orgs/:org/members/:member', roleInput.options, async (req) => {
    const s = await scopeOf(req);
    const b = roleInput.body(req);
    return { ok: true, member: memberView(await orgs.setMember(s, req.params.member, b.role)) };
  });
  app.delete<{ Params: { org: string; member: string } }>('/v1/orgs/:org/members/:member', async (req, reply) => {
    await orgs.removeMember(await scopeOf(req), req.params.member);
    return reply.status(204).send();
  });
}
