/**
 * The Logic sandbox runtime: runs Logic functions (ES modules with a default-exported
 * function, spec §8.2) in fresh QuickJS sandboxes on a pool of worker threads.
 */
export { createLogicRuntime, type LogicRuntimeOptions } from './logic-runtime.ts';
export {
  DEFAULT_LIMITS,
  resolveLimits,
  type LogEntry,
  type LogicRuntime,
  type PublishRequest,
  type ResolvedLimits,
  type RunLimits,
  type RunRequest,
  type RunResult,
  type RunStatus,
  type ValidateResult,
  type WorkerStats,
} from './runtime-types.ts';
export type {
  LogicContext,
  LogicEventContext,
  LogicEventInfo,
  LogicFunctionInfo,
  LogicLedgerChangeContext,
  LogicLedgerChangeInfo,
  LogicScheduledContext,
  LogicScheduledInfo,
  LogicTriggerInfo,
} from './logic-context-types.ts';
export { MAX_PUBLISH_BYTES_PER_RUN } from './particle-core-module.ts';
export { MAX_LEDGER_BYTES_PER_RUN, MAX_LEDGER_CALLS_PER_RUN, type LedgerScopeOptions } from './particle-ledger-module.ts';
export type { HostHandler } from './host-bridge-types.ts';
