import type { AuditService } from '../audit/audit-service.ts';
import type { OrgService } from '../orgs/org-service.ts';
import type { Db } from '../store/database-types.ts';
import { noClose } from '../shared/module-types.ts';
import { createEnvService, type EnvReader, type EnvService } from './env-service.ts';

export interface EnvModule {
  close(): Promise<void>;
  readonly services: { readonly env: EnvService };
  /** The rolled-out environment, for Logic runs. */
  readonly reader: EnvReader;
}

/** Builds environment variables (sandbox, org, product and device scopes) on one store. */
export function buildEnvModule(deps: { db: Db; audit: Pick<AuditService, 'record'>; orgs: Pick<OrgService, 'sandboxScope' | 'orgScope'>; now: () => Date }): EnvModule {
  const env = createEnvService(deps);
  return { services: { env }, reader: env, close: noClose };
}
