import { vi } from 'vitest';

export interface MockReply {
  readonly status?: number;
  readonly body?: unknown;
}

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

type Handler = (call: RecordedCall) => MockReply | Promise<MockReply>;

/**
 * Replaces global `fetch` with a tiny router keyed by "METHOD /path" (query string
 * ignored). Unknown routes answer 404 so a missing mock shows up as an error state.
 */
export function mockApi(routes: Record<string, Handler | MockReply>) {
  const calls: RecordedCall[] = [];
  const table = { ...routes };
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const call: RecordedCall = { method, path: url.pathname, headers, body };
    calls.push(call);
    const entry = table[`${method} ${url.pathname}`];
    const reply: MockReply = entry === undefined
      ? { status: 404, body: { ok: false, error: `no mock for ${method} ${url.pathname}` } }
      : typeof entry === 'function' ? await entry(call) : entry;
    const status = reply.status ?? 200;
    const text = reply.body === undefined || status === 204 ? null : JSON.stringify(reply.body);
    return new Response(text, { status, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    fetchMock,
    /** Adds or replaces a route. */
    on(route: string, handler: Handler | MockReply) {
      table[route] = handler;
    },
    /** Calls other than GET, for asserting what was written. */
    writes: () => calls.filter((c) => c.method !== 'GET'),
  };
}

export const CSRF = 'csrf-test-token';

export function sessionReply(orgs: unknown[] = []): MockReply {
  return { body: { user: { id: 'u1', username: 'ada' }, csrf_token: CSRF, orgs } };
}

export function secret(name: string, overrides: Record<string, unknown> = {}) {
  return {
    name,
    created_at: '2026-01-02T03:04:05.000Z',
    updated_at: '2026-01-03T03:04:05.000Z',
    created_by: 'u1',
    updated_by: 'u1',
    created_by_username: 'ada',
    updated_by_username: 'ada',
    last_accessed_at: null,
    usage_count: 0,
    integrations: [],
    logic_functions: [],
    ...overrides,
  };
}
