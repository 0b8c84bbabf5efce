/** Where an event came from; hook-generated events never trigger webhooks. */
export type EventSource = 'api' | 'device' | 'hook' | 'logic' | 'system';

/** One published event, as every consumer (SSE, webhooks, Logic) sees it. */
export interface HushEvent {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly data: string | null;
  readonly ttl: number;
  readonly isPublic: boolean;
  readonly publishedAt: string;
  /** The device id, `api` for API publishes, `particle-internal` for hook events. */
  readonly coreid: string;
  readonly productId: number | null;
  readonly deviceId: string | null;
  readonly userId: string | null;
  readonly source: EventSource;
  /**
   * How many Logic runs in a row led to this event: 1 for an event a function published
   * in response to an ordinary event, 2 for one published in response to that, and so on.
   * Absent for events not published by Logic. Bounds Logic→event→Logic chains.
   */
  readonly logicDepth?: number;
}

export interface PublishInput {
  readonly owner: string;
  readonly name: string;
  readonly data?: string | null;
  readonly ttl?: number;
  readonly isPublic?: boolean;
  readonly coreid?: string;
  readonly productId?: number | null;
  readonly deviceId?: string | null;
  readonly userId?: string | null;
  readonly source: EventSource;
  readonly logicDepth?: number;
}

/** What a subscriber wants: one owner's events, optionally narrowed. */
export interface EventFilter {
  readonly owner?: string;
  readonly prefix?: string;
  readonly productId?: number;
  readonly deviceId?: string;
}

export const matchesFilter = (e: HushEvent, f: EventFilter): boolean =>
  (f.owner === undefined || e.owner === f.owner) &&
  (f.prefix === undefined || e.name.startsWith(f.prefix)) &&
  (f.productId === undefined || e.productId === f.productId) &&
  (f.deviceId === undefined || e.deviceId === f.deviceId || e.coreid === f.deviceId);

/** The JSON of an SSE `data:` line (spec §6.2). */
export function sseData(e: HushEvent): Record<string, unknown> {
  return {
    data: e.data ?? null,
    ttl: e.ttl,
    published_at: e.publishedAt,
    coreid: e.coreid,
    public: e.isPublic,
    ...(e.productId !== null ? { productID: e.productId } : {}),
    ...(e.userId ? { userid: e.userId } : {}),
  };
}

export const EVENT_NAME_MAX = 64;
/** Data limit for events published through the API. */
export const API_EVENT_DATA_MAX_BYTES = 16 * 1024;
/** Data limit for internal events (hook responses and Logic, spec: up to 100 KB). */
export const INTERNAL_EVENT_DATA_MAX_BYTES = 100 * 1024;
