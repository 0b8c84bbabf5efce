import { http } from './http.ts';
import type { StreamEvent } from './logic-types.ts';

/** `/v1/devices/events` for the sandbox, `/v1/orgs/<slug>/events` for an org (publish and stream). */
export function eventsPath(prefix: string): string {
  return prefix === '/v1' ? '/v1/devices/events' : `${prefix}/events`;
}

/** Publishes into the stream of `prefix` (a product's when it is `/v1/products/<p>`, then optionally as one of its devices). */
export function publishEvent(prefix: string, name: string, data: string, asDeviceId?: string) {
  return http.post<{ ok: boolean }>(eventsPath(prefix), { name, data, ...(asDeviceId ? { as_device_id: asDeviceId } : {}) });
}

interface RawSse {
  event: string;
  data: string[];
}

/**
 * Incremental server-sent-events parser: feed it decoded text chunks in any split and it
 * calls `onEvent` once per complete event. Comments (`:ok`) and keep-alives are skipped.
 */
export function createSseParser(onEvent: (event: StreamEvent) => void): (chunk: string) => void {
  let buffer = '';
  let current: RawSse = { event: 'message', data: [] };
  const dispatch = () => {
    if (current.data.length > 0) {
      const text = current.data.join('\n');
      let payload: Partial<StreamEvent> = {};
      try {
        payload = JSON.parse(text) as Partial<StreamEvent>;
      } catch {
        payload = { data: text };
      }
      onEvent({
        name: current.event,
        data: payload.data ?? null,
        ttl: payload.ttl ?? 60,
        published_at: payload.published_at ?? new Date().toISOString(),
        coreid: payload.coreid ?? '',
      });
    }
    current = { event: 'message', data: [] };
  };
  return (chunk: string) => {
    buffer += chunk;
    let newline = buffer.search(/\r\n|\r|\n/);
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      const sepLength = buffer.startsWith('\r\n', newline) ? 2 : 1;
      buffer = buffer.slice(newline + sepLength);
      if (line === '') dispatch();
      else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') current.event = value;
        else if (field === 'data') current.data.push(value);
      }
      newline = buffer.search(/\r\n|\r|\n/);
    }
  };
}

/**
 * Opens the owner's live event stream with the session cookie and reads it until `signal`
 * aborts or the server closes it. Resolves when the stream ends.
 */
export async function readEventStream(
  prefix: string,
  onEvent: (event: StreamEvent) => void,
  signal: AbortSignal,
  onOpen?: () => void,
): Promise<void> {
  const res = await fetch(eventsPath(prefix), {
    credentials: 'same-origin',
    headers: { Accept: 'text/event-stream' },
    signal,
  });
  if (!res.ok || !res.body) throw new Error(`The event stream answered ${res.status}`);
  onOpen?.();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const push = createSseParser(onEvent);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    push(value);
  }
}
