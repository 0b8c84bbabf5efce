import type { AuthService } from '../auth/auth-service.ts';
import type { Db } from '../store/database-types.ts';
import type { HushModule } from '../shared/module-types.ts';
import { createAuditService, type AuditService } from './audit-service.ts';
import type { AuditStream } from './audit-stream.ts';
import { createAuditTrailService, type AuditTrailService } from './audit-trail-service.ts';

export type AuditModule = HushModule<{ readonly audit: AuditService; readonly trail: AuditTrailService }>;

/** Builds the audit trail (writing, with its optional stream sinks, and reading); `close` flushes the sinks. */
export function buildAuditModule(deps: { db: Db; now: () => Date; stream?: AuditStream; auth: Pick<AuthService, 'emailsByIds' | 'userByEmail'> }): AuditModule {
  const audit = createAuditService({ db: deps.db, now: deps.now, stream: deps.stream });
  return { services: { audit, trail: createAuditTrailService({ audit, auth: deps.auth }) }, close: () => audit.close() };
}
