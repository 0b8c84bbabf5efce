import type { AuditService } from '../audit/audit-service.ts';
import type { ProductService } from '../events/product-service.ts';
import type { Db } from '../store/database-types.ts';
import { createLedgerDefinitionService, type LedgerDefinitionService } from './ledger-definition-service.ts';
import { createLedgerInstanceService, type LedgerInstanceService } from './ledger-instance-service.ts';

export interface LedgerModule {
  readonly services: { readonly ledgerDefinitions: LedgerDefinitionService; readonly ledgerInstances: LedgerInstanceService };
}

/** Builds the Ledger services (definitions and instances) on one store. */
export function buildLedgerModule(deps: {
  db: Db; audit: Pick<AuditService, 'record'>; products: Pick<ProductService, 'list' | 'deviceOf'>; now: () => Date; keepVersions?: number;
}): LedgerModule {
  return {
    services: {
      ledgerDefinitions: createLedgerDefinitionService(deps),
      ledgerInstances: createLedgerInstanceService(deps),
    },
  };
}
