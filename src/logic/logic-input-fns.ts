import { Cron } from 'croner';
import { z } from 'zod';
import { HushError } from '../errors/errors.ts';
import { secretNameList } from '../secrets/secret-names-input.ts';
import { parseInput } from '../shared/parse-fns.ts';
import type { LedgerChangeType } from '../ledger/ledger-types.ts';
import { readLedgerTrigger } from './logic-ledger-trigger-fns.ts';
import type { LogicTriggerType } from './logic-types.ts';

/** Fields clients echo back from GET (the CLI's enable/disable round trip); accepted and ignored. */
const readOnly = {
  id: z.unknown().optional(),
  owner_id: z.unknown().optional(),
  version: z.unknown().optional(),
  created_at: z.unknown().optional(),
  updated_at: z.unknown().optional(),
  created_by: z.unknown().optional(),
  updated_by: z.unknown().optional(),
  today_stats: z.unknown().optional(),
  org_slug: z.unknown().optional(),
  product_id: z.unknown().optional(),
};

const triggerSchema = z.strictObject({
  id: z.string().optional(),
  type: z.string(),
  enabled: z.boolean().optional(),
  event_name: z.string().optional(),
  event: z.string().optional(),
  product_id: z.union([z.number(), z.string()]).nullable().optional(),
  cron: z.string().optional(),
  ledger_name: z.string().optional(),
  ledger: z.string().optional(),
  change_type: z.string().optional(),
  instance_scope: z.union([z.string(), z.number(), z.looseObject({ value: z.union([z.string(), z.number()]).nullable().optional() })]).nullable().optional(),
  start_at: z.string().nullable().optional(),
  end_at: z.string().nullable().optional(),
  logic_function_id: z.unknown().optional(),
  version: z.unknown().optional(),
  last_scheduled_at: z.unknown().optional(),
  next_unscheduled_at: z.unknown().optional(),
  created_at: z.unknown().optional(),
  updated_at: z.unknown().optional(),
});

const functionSchema = z.strictObject({
  ...readOnly,
  name: z.string().optional(),
  description: z.string().max(2000).nullable().optional(),
  enabled: z.boolean().optional(),
  source: z.strictObject({ type: z.string().optional(), code: z.string().max(512 * 1024) }).optional(),
  secrets: secretNameList.max(100).nullable().optional(),
  api_username: z.string().nullable().optional(),
  use_env: z.boolean().nullable().optional(),
  template_slug: z.string().nullable().optional(),
  logic_triggers: z.array(triggerSchema).optional(),
});

export type LogicFunctionInput = z.infer<typeof functionSchema>;

/** What readFunctionBody accepts, for the API document: the function, bare or wrapped. */
export const functionBodySchema = z.union([z.strictObject({ logic_function: functionSchema }), functionSchema]);

export interface TriggerInput {
  readonly id?: string;
  readonly type: LogicTriggerType;
  readonly enabled: boolean;
  readonly eventName: string | null;
  readonly ledgerName: string | null;
  readonly changeType: LedgerChangeType | null;
  readonly instanceScope: string | null;
  readonly productId: number | null;
  readonly cron: string | null;
  readonly startAt: string | null;
  readonly endAt: string | null;
}

/** Reads `{logic_function: {...}}` (what clients send) or the bare object. */
export function readFunctionBody(body: unknown): LogicFunctionInput {
  const b = (body ?? {}) as Record<string, unknown>;
  const inner = b && typeof b === 'object' && 'logic_function' in b ? b.logic_function : b;
  if (b && typeof b === 'object' && 'logic_function' in b && Object.keys(b).length > 1) {
    throw new HushError('validation_failed', `unknown field${Object.keys(b).length > 2 ? 's' : ''} beside logic_function: ${Object.keys(b).filter((k) => k !== 'logic_function').map((k) => `'${k}'`).join(', ')}`);
  }
  return parseInput(functionSchema, inner, 'logic_function');
}

/** Normalizes a 4- or 5-field cron (UTC, at most once a minute); throws a 400 naming it. */
export function normalizeCron(raw: string): { cron: string; next: (after: Date) => Date | null } {
  const parts = raw.trim().split(/\s+/);
  if (parts.length === 6 || parts.length === 7) {
    throw new HushError('validation_failed', `cron '${raw}' has seconds: schedules run at most once a minute (use 5 fields: minute hour day month weekday)`);
  }
  if (parts.length < 4 || parts.length > 7) {
    throw new HushError('validation_failed', `cron '${raw}' is not valid: give 4 or 5 fields (minute hour day-of-month month [day-of-week])`);
  }
  const cron = parts.length === 4 ? `${parts.join(' ')} *` : parts.join(' ');
  try {
    const c = new Cron(cron, { paused: true, timezone: 'UTC', mode: '5-part' });
    return { cron, next: (after) => c.nextRun(after) };
  } catch (e) {
    throw new HushError('validation_failed', `cron '${raw}' is not valid: ${e instanceof Error ? e.message.replace(/^CronPattern: /, '') : String(e)}`);
  }
}

const isoOrNull = (field: string, v: string | null | undefined): string | null => {
  if (v === undefined || v === null || v === '') return null;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new HushError('validation_failed', `${field} '${v}' is not an ISO date`);
  return new Date(t).toISOString();
};

const NOT_LEDGER = { ledgerName: null, changeType: null, instanceScope: null } as const;

/**
 * Validates triggers: types, names, products, cron, count limit. A function of a product
 * (`ownProduct`) has event triggers for that product only; one naming no product gets it.
 *
 * Elsewhere a trigger may name no product (0 or null): it then matches the owner's events
 * of that name whatever their product. Spec §8.1 says Particle's event triggers must name
 * a product; Hush deliberately does not require one, because its sandbox and org streams
 * carry events without a product (`/v1/devices/events`) and the CLI's `lf create` template
 * and `lf execute` default send no product (or 0). Whether a named product is the owner's
 * is checked by the service (it needs the store).
 */
export function readTriggers(list: LogicFunctionInput['logic_triggers'], maxTriggers: number, ownProduct: number | null = null): TriggerInput[] {
  const triggers = list ?? [];
  if (triggers.length > maxTriggers) throw new HushError('validation_failed', `a Logic function may have at most ${maxTriggers} triggers, got ${triggers.length}`);
  return triggers.map((t, i) => {
    const where = `logic_triggers[${i}]`;
    const given = t.product_id === undefined || t.product_id === null || t.product_id === '' ? null : Number(t.product_id);
    const productId = ownProduct !== null && !given ? ownProduct : given;
    // Product ids are PostgreSQL integers: larger numbers are refused here, not by the insert.
    if (productId !== null && (!Number.isInteger(productId) || productId < 0 || productId > 2_147_483_647)) {
      throw new HushError('validation_failed', `${where}.product_id must be a product id`);
    }
    if (ownProduct !== null && productId !== ownProduct) {
      throw new HushError('validation_failed', `${where}.product_id must be ${ownProduct}: this function belongs to product ${ownProduct}`);
    }
    if (t.type === 'Event') {
      const name = t.event_name ?? t.event;
      if (!name || name.length > 64) throw new HushError('validation_failed', `${where}.event_name is required (1–64 characters)`);
      return { id: t.id, type: 'Event', enabled: t.enabled ?? true, eventName: name, productId: productId || null, cron: null, startAt: null, endAt: null, ...NOT_LEDGER };
    }
    if (t.type === 'Scheduled') {
      if (!t.cron) throw new HushError('validation_failed', `${where}.cron is required for a Scheduled trigger`);
      const { cron } = normalizeCron(t.cron);
      const startAt = isoOrNull(`${where}.start_at`, t.start_at);
      const endAt = isoOrNull(`${where}.end_at`, t.end_at);
      if (startAt && endAt && endAt <= startAt) throw new HushError('validation_failed', `${where}.end_at must be after start_at`);
      return { id: t.id, type: 'Scheduled', enabled: t.enabled ?? true, eventName: null, productId: productId || null, cron, startAt, endAt, ...NOT_LEDGER };
    }
    if (t.type === 'LedgerChange') {
      return { id: t.id, type: 'LedgerChange', enabled: t.enabled ?? true, eventName: null, productId: null, cron: null, startAt: null, endAt: null, ...readLedgerTrigger(t, where) };
    }
    throw new HushError('validation_failed', `${where}.type must be Event, Scheduled or LedgerChange, got '${t.type}'`);
  });
}

/**
 * The first run of a schedule being saved (ms since the epoch); throws a 400 when there is
 * none: a pattern no calendar matches (`0 0 31 2 *`), or a start_at/end_at window with no
 * matching time after `now`. Saving such a trigger would silently never run it.
 */
export function firstRunMs(where: string, raw: string, startAt: string | null, endAt: string | null, now: Date): number {
  const { cron } = normalizeCron(raw);
  const next = nextRunMs(cron, startAt, endAt, now);
  if (next !== null) return next;
  if (nextRunMs(cron, null, null, now) === null) throw new HushError('validation_failed', `${where}.cron '${raw}' never fires`);
  const from = startAt && Date.parse(startAt) > now.getTime() ? 'start_at' : 'now';
  throw new HushError('validation_failed', `${where}.cron '${raw}' has no run between ${from} and end_at`);
}

/** First scheduled time at or after max(now, start_at), before end_at; null when none. */
export function nextRunMs(cron: string, startAt: string | null, endAt: string | null, after: Date): number | null {
  const { next } = normalizeCron(cron);
  const from = startAt && Date.parse(startAt) > after.getTime() ? new Date(Date.parse(startAt) - 1) : after;
  const n = next(from);
  if (!n) return null;
  if (endAt && n.getTime() > Date.parse(endAt)) return null;
  return n.getTime();
}
