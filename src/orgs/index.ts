import type { AuditService } from '../audit/audit-service.ts';
import type { AuthService } from '../auth/auth-service.ts';
import type { Db } from '../store/database-types.ts';
import type { HushModule } from '../shared/module-types.ts';
import { noClose } from '../shared/module-types.ts';
import { createOrgService, type OrgService } from './org-service.ts';
import { createOrgStore } from './org-store.ts';

export type OrgsModule = HushModule<{ readonly orgs: OrgService }>;

/** Builds organizations, members and invitations on one store. */
export function buildOrgsModule(deps: { db: Db; auth: AuthService; audit: AuditService; now: () => Date }): OrgsModule {
  return { services: { orgs: createOrgService({ ...deps, store: createOrgStore() }) }, close: noClose };
}
