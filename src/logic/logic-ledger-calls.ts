import type { Scope } from '../auth/scope-types.ts';
import { HushError } from '../errors/errors.ts';
import type { LedgerDefinitionService } from '../ledger/ledger-definition-service.ts';
import type { LedgerActor, LedgerInstanceService } from '../ledger/ledger-instance-service.ts';
import type { LedgerDefinition } from '../ledger/ledger-types.ts';
import type { OwnerRef } from '../shared/ids.ts';
import type { LedgerScopeOptions } from './runtime/index.ts';

export interface LedgerCallDeps {
  readonly definitions: Pick<LedgerDefinitionService, 'get'>;
  readonly instances: Pick<LedgerInstanceService, 'find' | 'set' | 'remove'>;
}

/** The run a host call comes from: its owner, function, run, and the trigger's device and product. */
export interface LogicCallRun {
  readonly owner: string;
  readonly functionId: string;
  /** The run's id (deployed runs); an execute has none. */
  readonly runId?: string;
  /** Who executed the code (execute runs). */
  readonly executedBy?: string;
  readonly deviceId?: string | null;
  readonly productId?: number | null;
  /** The chain depth of what this run writes (its ledger changes fire LedgerChange triggers only below MAX_LOGIC_CHAIN_DEPTH). */
  readonly depth?: number;
}

/**
 * The scope a Logic function acts in: its owner's, with the rights of the function's author
 * (who may write, or could not have deployed it); the principal names the function, so
 * services audit it as the actor.
 */
export function logicScope(run: Pick<LogicCallRun, 'owner' | 'functionId'>): Scope {
  const org = run.owner.startsWith('org:');
  return {
    owner: run.owner as OwnerRef, kind: org ? 'org' : 'sandbox', orgId: org ? run.owner.slice(4) : null, orgSlug: null, role: 'owner',
    principal: { userId: `logic:${run.functionId}`, email: '', tokenHash: '', clientId: 'logic', expiresAt: null },
  };
}

const refuse = (message: string) => new HushError('validation_failed', message);

/**
 * `Particle.ledger(name, scopeValues).get/set/delete` against the services the API uses.
 * The scope value follows the definition (particle_core.d.ts): none for owner scope, the
 * `productId` / `deviceId` passed, else the triggering event's.
 */
export function createLedgerCalls(deps: LedgerCallDeps) {
  return (run: LogicCallRun) => {
    const scope = logicScope(run);
    const actor: LedgerActor = {
      id: scope.principal.userId,
      depth: run.depth ?? 1,
      detail: run.runId ? `Logic function ${run.functionId}, run ${run.runId}` : `Logic execute run by ${run.executedBy ?? 'unknown'}`,
    };
    const definition = async (name: string): Promise<LedgerDefinition> => {
      const def = await deps.definitions.get(scope, name);
      if (def.archivedAt) throw new HushError('not_found', `ledger '${name}' is archived`);
      return def;
    };
    const scopeValue = (def: LedgerDefinition, options: LedgerScopeOptions): string => {
      if (def.scope === 'Owner') return scope.owner.slice(scope.owner.indexOf(':') + 1);
      if (def.scope === 'Product') {
        const id = options.productId ?? run.productId ?? null;
        if (id === null) throw refuse(`ledger '${def.name}' is product-scoped: pass { productId } (this run's trigger names no product)`);
        return String(id);
      }
      const id = options.deviceId ?? run.deviceId ?? null;
      if (id === null || id === '') throw refuse(`ledger '${def.name}' is device-scoped: pass { deviceId } (this run's trigger names no device)`);
      return id;
    };

    return async (method: string, args: readonly unknown[]): Promise<unknown> => {
      const [name, options] = args as [string, LedgerScopeOptions];
      const def = await definition(name);
      const v = scopeValue(def, options ?? {});
      switch (method) {
        case 'ledger.get': {
          const inst = await deps.instances.find(scope, name, v);
          return inst ? { updatedAt: inst.updatedAt, data: inst.data } : { updatedAt: null, data: {} };
        }
        case 'ledger.set': {
          if (def.direction === 'Upstream') throw refuse(`ledger '${name}' is device-to-cloud: only its devices write it (a Logic function may read it)`);
          await deps.instances.set(scope, name, v, JSON.parse(args[2] as string), args[3], actor);
          return null;
        }
        case 'ledger.delete':
          // Deleting what is not there leaves it not there: no error (a function may delete and recreate).
          if ((await deps.instances.find(scope, name, v)) !== null) await deps.instances.remove(scope, name, v, actor);
          return null;
        default:
          throw new Error(`unknown host call ${method}`);
      }
    };
  };
}
