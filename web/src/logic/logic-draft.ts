/** The Logic editor's form state and its conversion to the API body. Pure. */
import type { LogicFunction, LogicFunctionInput, LogicTrigger } from '../api/logic-types.ts';

export interface TriggerDraft {
  /** Local key for React lists. */
  readonly key: string;
  readonly id?: string;
  readonly type: 'Event' | 'Scheduled' | 'LedgerChange';
  readonly event_name: string;
  readonly product_id: number | null;
  readonly cron: string;
  readonly start_at: string;
  readonly end_at: string;
  /** LedgerChange: the ledger, set or delete, and optionally one instance. */
  readonly ledger_name: string;
  readonly change_type: 'set' | 'delete';
  readonly instance_scope: string;
  readonly enabled: boolean;
}

export interface LogicDraft {
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly code: string;
  readonly secrets: readonly string[];
  readonly triggers: readonly TriggerDraft[];
  /** `use_env`: runs get the rolled-out environment variables as `env`. */
  readonly useEnv: boolean;
}

export const DEFAULT_CODE = `import Particle from 'particle:core';

export default function main({ event, secrets }) {
  // Selected secrets are available as secrets.NAME; logs show [[SENSITIVE]] instead of their values.
  console.log('received', event.eventName, event.eventData);
}
`;

export const EMPTY_LOGIC: LogicDraft = {
  name: '',
  description: '',
  enabled: true,
  code: DEFAULT_CODE,
  secrets: [],
  triggers: [],
  useEnv: false,
};

let counter = 0;
export function newTrigger(type: TriggerDraft['type']): TriggerDraft {
  counter += 1;
  return { key: `t${counter}`, type, event_name: '', product_id: null, cron: '*/15 * * * *', start_at: '', end_at: '', ledger_name: '', change_type: 'set', instance_scope: '', enabled: true };
}

export function draftFromFunction(fn: LogicFunction): LogicDraft {
  return {
    name: fn.name,
    description: fn.description ?? '',
    enabled: fn.enabled,
    code: fn.source?.code ?? '',
    secrets: fn.secrets ?? [],
    useEnv: fn.use_env === true,
    triggers: (fn.logic_triggers ?? []).map((t) => ({
      ...newTrigger(t.type),
      id: t.id,
      enabled: t.enabled,
      ...(t.type === 'Event'
        ? { event_name: t.event_name ?? '', product_id: t.product_id ?? null }
        : t.type === 'LedgerChange'
          ? { ledger_name: t.ledger_name ?? '', change_type: t.change_type === 'delete' ? ('delete' as const) : ('set' as const), instance_scope: t.instance_scope ?? '' }
          : { cron: t.cron ?? '', start_at: t.start_at ?? '', end_at: t.end_at ?? '' }),
    })),
  };
}

function triggerToApi(t: TriggerDraft): LogicTrigger {
  const id = t.id ? { id: t.id } : {};
  if (t.type === 'Event') {
    return { ...id, type: 'Event', event_name: t.event_name.trim(), product_id: t.product_id ?? 0, enabled: t.enabled };
  }
  if (t.type === 'LedgerChange') {
    return { ...id, type: 'LedgerChange', ledger_name: t.ledger_name.trim(), change_type: t.change_type, instance_scope: t.instance_scope.trim() || null, enabled: t.enabled };
  }
  return {
    ...id,
    type: 'Scheduled',
    cron: t.cron.trim(),
    start_at: t.start_at.trim() || undefined,
    end_at: t.end_at.trim() || null,
    enabled: t.enabled,
  };
}

export function draftToInput(d: LogicDraft): LogicFunctionInput {
  return {
    name: d.name.trim(),
    description: d.description,
    enabled: d.enabled,
    source: { type: 'JavaScript', code: d.code },
    secrets: [...d.secrets],
    logic_triggers: d.triggers.map(triggerToApi),
    use_env: d.useEnv,
  };
}

/** The whole function as a PUT body, e.g. to flip `enabled` from the list. */
export function functionToInput(fn: LogicFunction, patch: Partial<LogicFunctionInput> = {}): LogicFunctionInput {
  return {
    name: fn.name,
    description: fn.description ?? '',
    enabled: fn.enabled,
    source: fn.source,
    secrets: fn.secrets ?? [],
    logic_triggers: fn.logic_triggers ?? [],
    use_env: fn.use_env === true,
    ...patch,
  };
}

export interface LogicProblems {
  name?: string;
  code?: string;
  triggers: Record<string, string>;
}

export function logicProblems(d: LogicDraft): LogicProblems {
  const problems: LogicProblems = { triggers: {} };
  if (!d.name.trim()) problems.name = 'Name is required';
  if (!/export\s+default\s+function/.test(d.code)) problems.code = 'The code must contain export default function …';
  for (const t of d.triggers) {
    if (t.type === 'Event') {
      if (!t.event_name.trim()) problems.triggers[t.key] = 'An event trigger needs the exact event name';
      else if (t.product_id === null) problems.triggers[t.key] = 'An event trigger needs a product';
    } else if (t.type === 'LedgerChange') {
      if (!t.ledger_name.trim()) problems.triggers[t.key] = 'A ledger trigger needs a ledger';
    } else {
      const fields = t.cron.trim().split(/\s+/).filter(Boolean).length;
      if (fields < 4 || fields > 5) problems.triggers[t.key] = 'The schedule needs 4 or 5 cron fields (minute hour day month [weekday])';
    }
  }
  return problems;
}

export function hasProblems(p: LogicProblems): boolean {
  return Boolean(p.name || p.code || Object.keys(p.triggers).length);
}

export function describeTriggers(triggers: readonly LogicTrigger[] | undefined): string {
  if (!triggers?.length) return 'No triggers';
  return triggers
    .map((t) => (t.type === 'Event' ? `Event “${t.event_name}”` : t.type === 'LedgerChange' ? `Ledger “${t.ledger_name}” ${t.change_type}` : `Schedule ${t.cron}`))
    .join(', ');
}
