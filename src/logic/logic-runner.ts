import type { EventBus } from '../events/event-bus.ts';
import type { HushEvent } from '../events/event-types.ts';
import type { MaskerProvider, TextMasker } from '../integrations/delivery-log-fns.ts';
import type { Logger } from '../logging/logger.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import type { LogEntry, LogicContext, LogicRuntime, RunLimits, RunResult } from './runtime/index.ts';

/** Masks every string inside a log argument (objects keep their shape). */
export function maskValue(m: TextMasker, v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return m.mask(v);
  if (depth > 20 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => maskValue(m, x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[m.mask(k)] = maskValue(m, x, depth + 1);
  return out;
}

export const maskLogs = (m: TextMasker, logs: readonly LogEntry[]): LogEntry[] =>
  logs.map((l) => ({ level: l.level, timestamp: l.timestamp, args: l.args.map((a) => maskValue(m, a)) }));

export interface RunInput {
  readonly owner: string;
  readonly functionId: string;
  readonly code: string;
  readonly secretNames: readonly string[];
  readonly trigger: { readonly triggeredAt: string; readonly triggerEventId?: string };
  readonly event?: HushEvent;
  readonly scheduled?: { readonly scheduledAt: string; readonly startAt: string; readonly endAt?: string };
}

export interface MaskedRun {
  readonly result: RunResult;
  readonly logs: LogEntry[];
  readonly err: string | null;
}

/**
 * Runs one Logic function: resolves its selected secrets (read fresh, so a replaced
 * value is used by the next run), runs it in a fresh sandbox, masks logs and errors
 * with the owner's masker, then publishes what the function published.
 */
export function createLogicRunner(deps: {
  runtime: Pick<LogicRuntime, 'run'>;
  resolver: Pick<SecretResolver, 'values'>;
  maskers: MaskerProvider;
  bus: Pick<EventBus, 'publish'>;
  logger: Logger;
  limits?: Partial<RunLimits>;
}) {
  return async (input: RunInput): Promise<MaskedRun> => {
    const values = await deps.resolver.values(input.owner, input.secretNames);
    const secrets: Record<string, string | null> = {};
    for (const n of input.secretNames) secrets[n] = values[n] ?? null;
    const base = { functionInfo: { ownerId: input.owner, logicFunctionId: input.functionId }, trigger: input.trigger, secrets, env: {} };
    const e = input.event;
    const context: LogicContext = e
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
    const result = await deps.runtime.run({ code: input.code, context, limits: deps.limits });
    const masker = await deps.maskers.forOwner(input.owner);
    for (const p of result.publishes) {
      await deps.bus
        .publish({ owner: input.owner, name: p.name, data: p.data ?? null, productId: p.productId ?? e?.productId ?? null, deviceId: p.asDeviceId ?? null, coreid: p.asDeviceId ?? 'api', source: 'logic' })
        .catch((err: unknown) => deps.logger.warn({ err: masker.mask(String(err)), fn: input.functionId }, 'a Logic publish was refused'));
    }
    return { result, logs: maskLogs(masker, result.logs), err: result.err === undefined ? null : masker.mask(result.err) };
  };
}

export type LogicRunner = ReturnType<typeof createLogicRunner>;
