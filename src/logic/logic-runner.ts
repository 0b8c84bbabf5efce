import type { EnvReader } from '../env/env-service.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { HushEvent } from '../events/event-types.ts';
import type { MaskerProvider, TextMasker } from '../masking/masking-types.ts';
import { maskDeep } from '../masking/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import { createOwnerContextLoader, type OwnerContext } from '../secrets/owner-secrets-context.ts';
import type { LogicHostFactory } from './logic-host.ts';
import { EXECUTE_FUNCTION_ID, MAX_LOGIC_CHAIN_DEPTH } from './logic-types.ts';
import { ledgerChangeContext } from './logic-ledger-trigger-fns.ts';
import type { LedgerInstanceChange } from '../ledger/ledger-types.ts';
import type { LogEntry, LogicContext, LogicRuntime, RunLimits, RunResult } from './runtime/index.ts';
import type { WorkObserver } from '../metrics/work-metrics.ts';

export const maskLogs = (m: TextMasker, logs: readonly LogEntry[]): LogEntry[] =>
  logs.map((l) => ({ level: l.level, timestamp: l.timestamp, args: l.args.map((a) => maskDeep(m, a)) }));

export interface RunInput {
  readonly owner: string;
  readonly functionId: string;
  readonly code: string;
  readonly secretNames: readonly string[];
  /** Give the function `env`: the rolled-out environment of the event's product and device (the owner's for scheduled runs). */
  readonly useEnv?: boolean;
  readonly trigger: { readonly triggeredAt: string; readonly triggerEventId?: string };
  readonly event?: HushEvent;
  readonly scheduled?: { readonly scheduledAt: string; readonly startAt: string; readonly endAt?: string };
  /** The instance change of a LedgerChange-triggered run (with the depth of the run that wrote it). */
  readonly ledgerChange?: Omit<LedgerInstanceChange, 'owner'>;
  /** The id the run is stored under (deployed runs), for the audit of its ledger writes. */
  readonly runId?: string;
  /** The user who executed the code (execute runs). */
  readonly executedBy?: string;
  /** Use secrets' pending values where they have one (an execute testing a staged rotation). */
  readonly usePendingSecrets?: boolean;
}

export interface MaskedRun {
  readonly result: RunResult;
  readonly logs: LogEntry[];
  readonly err: string | null;
}

/** The context a function receives: only its listed secrets (null when one no longer exists) and its environment. */
export function buildLogicContext(input: RunInput, values: Readonly<Record<string, string>>, env: Readonly<Record<string, string>> = {}): LogicContext {
  const secrets: Record<string, string | null> = {};
  for (const n of input.secretNames) secrets[n] = Object.hasOwn(values, n) ? (values[n] as string) : null;
  // Spec §8.3: `ownerId` is the user or organization ID itself (the API's `owner_id` adds a `user:`/`org:` prefix).
  const ownerId = input.owner.replace(/^(user|org):/, '');
  const base = { functionInfo: { ownerId, logicFunctionId: input.functionId }, trigger: input.trigger, secrets, env };
  const e = input.event;
  if (!e && input.ledgerChange) return { ...base, ledgerChange: ledgerChangeContext(input.ledgerChange) };
  return e
    ? {
        ...base,
        event: {
          eventName: e.name,
          ...(e.data !== null ? { eventData: e.data } : {}),
          publishedAt: e.publishedAt,
          deviceId: e.deviceId ?? e.coreid,
          ...(e.productId !== null ? { productId: e.productId } : {}),
          ...(e.userId ? { userId: e.userId } : {}),
        },
      }
    : { ...base, scheduled: input.scheduled ?? { scheduledAt: input.trigger.triggeredAt, startAt: input.trigger.triggeredAt } };
}

const chainEndWarning = (depth: number): LogEntry => ({
  level: 'Warning',
  timestamp: new Date().toISOString(),
  args: [`The events this run published trigger no Logic functions: they end a chain of ${depth} Logic runs, the most one event may set off.`],
});

export interface LogicRunnerDeps {
  readonly runtime: Pick<LogicRuntime, 'run'>;
  readonly resolver: Pick<SecretResolver, 'values' | 'ownerVersion'> & Partial<Pick<SecretResolver, 'recordUse'>>;
  readonly maskers: MaskerProvider;
  readonly bus: Pick<EventBus, 'publish'>;
  readonly logger: Logger;
  readonly limits?: Partial<RunLimits>;
  readonly observe?: Pick<WorkObserver, 'logicRun'>;
  readonly env?: EnvReader;
  /** Answers the runs' host calls (Particle.ledger); without it they throw inside the run. */
  readonly host?: LogicHostFactory;
}

/**
 * Runs Logic functions: each in a fresh sandbox with the values of its selected secrets,
 * logs, errors and published events masked with a masker that covers those values, then
 * publishes what the function published. `run` reads the secrets for one run (execute); the run queue reads
 * them once per batch and owner through `contexts` and calls `runWith`.
 */
export function createLogicRunner(deps: LogicRunnerDeps) {
  const contexts = createOwnerContextLoader({ resolver: deps.resolver, maskers: deps.maskers });

  const runWith = async (input: RunInput, owner: OwnerContext): Promise<MaskedRun> => {
    const masker = owner.masker;
    // Access by consumer: deployed functions only (an execute run belongs to no function).
    if (input.functionId !== EXECUTE_FUNCTION_ID) owner.recordUse?.({ kind: 'logic', id: input.functionId }, input.secretNames);
    const e = input.event;
    // A LedgerChange-triggered run defaults its ledger calls (and environment) to the changed instance's device or product.
    const changed = input.ledgerChange?.scope;
    const deviceId = e ? (e.deviceId ?? null) : changed?.type === 'Device' ? changed.value : null;
    const productId = e ? e.productId : changed?.type === 'Product' ? Number(changed.value) : null;
    // Events published and ledger changes written by this run are one step deeper in the chain that started it.
    const logicDepth = (e ? (e.logicDepth ?? 0) : (input.ledgerChange?.depth ?? 0)) + 1;
    const host = deps.host?.({
      owner: input.owner, functionId: input.functionId, runId: input.runId, executedBy: input.executedBy, deviceId, productId, depth: logicDepth, mask: (text) => masker.mask(text),
    });
    const env = input.useEnv && deps.env ? await deps.env.liveEnv(input.owner, productId, e ? (e.deviceId ?? e.coreid) : deviceId) : {};
    // The owner key makes execute and deployed runs share one fair budget in the sandbox pool.
    const result = await deps.runtime.run({ owner: input.owner, code: input.code, context: buildLogicContext(input, owner.values, env), limits: deps.limits, host });
    deps.observe?.logicRun(result.status, result.durationMs / 1000);
    // Published events pass through the owner's masker like the run's logs (design §3), before
    // the bus stores, broadcasts, matches or delivers them: webhooks receive the masked data too.
    const publishes = result.publishes.map((p) => ({ ...p, name: masker.mask(p.name), data: p.data === undefined ? undefined : masker.mask(p.data) }));
    for (const p of publishes) {
      await deps.bus
        .publish({ owner: input.owner, name: p.name, data: p.data ?? null, productId: p.productId ?? productId, deviceId: p.asDeviceId ?? null, coreid: p.asDeviceId ?? 'api', source: 'logic', logicDepth })
        .catch((err: unknown) => deps.logger.warn({ err: masker.mask(String(err)), fn: input.functionId }, 'a Logic publish was refused'));
    }
    const logs = maskLogs(masker, result.logs);
    if (logicDepth >= MAX_LOGIC_CHAIN_DEPTH && result.publishes.length > 0) logs.push(chainEndWarning(logicDepth));
    return { result: { ...result, publishes }, logs, err: result.err === undefined ? null : masker.mask(result.err) };
  };

  return {
    contexts,
    runWith,
    /** One run with freshly read secrets. */
    run: async (input: RunInput): Promise<MaskedRun> => runWith(input, await contexts.fresh(input.owner, input.secretNames, { pending: input.usePendingSecrets === true })),
  };
}

export type LogicRunner = ReturnType<typeof createLogicRunner>;
