import type { FastifyRequest } from 'fastify';
import type { Scope } from '../auth/scope-types.ts';
import type { OrgService } from '../orgs/org-service.ts';
import { principalOf } from './auth-hook.ts';

/** Resolves the scope of a request: `/v1/orgs/:org/...` is the org, anything else the sandbox. */
export type ScopeResolver = (req: FastifyRequest) => Promise<Scope>;

export function createScopeResolver(orgs: Pick<OrgService, 'sandboxScope' | 'orgScope'>): ScopeResolver {
  return async (req) => {
    const principal = principalOf(req);
    const org = (req.params as { org?: string }).org;
    return org !== undefined ? orgs.orgScope(principal, org) : orgs.sandboxScope(principal);
  };
}

/** Both mount points of a scoped resource: the sandbox and organizations. */
export const SCOPE_PREFIXES = ['/v1', '/v1/orgs/:org'] as const;
