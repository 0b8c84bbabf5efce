import type { AuditService } from '../audit/audit-service.ts';
import type { ProductService } from '../events/product-service.ts';
import type { Db } from '../store/database-types.ts';
import { noClose } from '../shared/module-types.ts';
import { createLedgerDefinitionService, type LedgerDefinitionService } from './ledger-definition-service.ts';
import { createLedgerInstanceService, type LedgerInstanceService } from './ledger-instance-service.ts';
import type { LedgerChangeHook } from './ledger-types.ts';

export interface LedgerModule {
  close(): Promise<void>;
  readonly services: { readonly ledgerDefinitions: LedgerDefinitionService; readonly ledgerInstances: LedgerInstanceService };
  /** Registers a port told of every instance change inside its transaction (Logic's LedgerChange triggers). */
  onInstanceChange(hook: LedgerChangeHook): void;
}

/** Builds the Ledger services (definitions and instances) on one store. */
export function buildLedgerModule(deps: {
  db: Db; audit: Pick<AuditService, 'record'>; products: Pick<ProductService, 'list' | 'deviceOf'>; now: () => Date; keepVersions?: number;
}): LedgerModule {
  const changeHooks: LedgerChangeHook[] = [];
  return {
    services: {
      ledgerDefinitions: createLedgerDefinitionService(deps),
      ledgerInstances: createLedgerInstanceService({ ...deps, changeHooks }),
    },
    onInstanceChange: (hook) => void changeHooks.push(hook),
    close: noClose,
  };
}
