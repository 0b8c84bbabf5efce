import { describe, expect, test } from 'vitest';
import type { StreamEvent } from './logic-types.ts';
import { createSseParser, eventsPath } from './events-api.ts';

describe('server-sent events parser', () => {
  test('parses named events split across chunks and skips comments', () => {
    const events: StreamEvent[] = [];
    const push = createSseParser((e) => events.push(e));
    const payload = JSON.stringify({ data: '21.5', ttl: 60, published_at: '2026-01-01T00:00:00.000Z', coreid: 'dev1' });
    const text = `:ok\n\nevent: temp\ndata: ${payload}\n\nevent: hook-response/temp/0\r\ndata: {"data":"ok","ttl":60,"published_at":"2026-01-01T00:00:01.000Z","coreid":"particle-internal"}\r\n\r\n`;
    for (let i = 0; i < text.length; i += 7) push(text.slice(i, i + 7));
    expect(events).toEqual([
      { name: 'temp', data: '21.5', ttl: 60, published_at: '2026-01-01T00:00:00.000Z', coreid: 'dev1' },
      { name: 'hook-response/temp/0', data: 'ok', ttl: 60, published_at: '2026-01-01T00:00:01.000Z', coreid: 'particle-internal' },
    ]);
  });

  test('stream paths per scope', () => {
    expect(eventsPath('/v1')).toBe('/v1/devices/events');
    expect(eventsPath('/v1/orgs/acme')).toBe('/v1/orgs/acme/events');
  });
});
