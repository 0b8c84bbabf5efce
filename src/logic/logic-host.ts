import { HushError } from '../errors/errors.ts';
import type { Logger } from '../logging/logger.ts';
import { createApiCalls, type ApiCallDeps } from './logic-api-calls.ts';
import { createLedgerCalls, type LedgerCallDeps, type LogicCallRun } from './logic-ledger-calls.ts';
import type { HostHandler } from './runtime/index.ts';

export interface LogicHostDeps {
  readonly ledger?: LedgerCallDeps;
  readonly api?: ApiCallDeps;
  readonly logger: Logger;
}

/**
 * The host calls of Logic runs: a handler per run, scoped to the run's owner. A refusal
 * (HushError) reaches the function as its message; anything else is logged here and the
 * function sees a generic error (the cause may name internals).
 */
export type LogicHostFactory = (run: LogicCallRun & { readonly mask: (text: string) => string }) => HostHandler;

export function createLogicHost(deps: LogicHostDeps): LogicHostFactory {
  const ledger = deps.ledger ? createLedgerCalls(deps.ledger) : undefined;
  const api = deps.api ? createApiCalls(deps.api) : undefined;
  return (run) => {
    const ledgerCalls = ledger?.(run);
    const apiCalls = api?.(run);
    return async (method, args) => {
      try {
        if (method.startsWith('ledger.') && ledgerCalls) return await ledgerCalls(method, args);
        if (method.startsWith('api.') && apiCalls) return await apiCalls(method, args);
        throw new HushError('not_found', `${method.split('.')[0]} calls are not available`);
      } catch (err) {
        if (err instanceof HushError) throw new Error(err.message);
        deps.logger.error({ err: run.mask(String(err)), fn: run.functionId, method }, 'a Logic host call failed');
        throw new Error('the call failed inside Hush; try again');
      }
    };
  };
}
