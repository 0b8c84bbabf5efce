import { describe, expect, it } from 'vitest';
import type { HushEvent } from '../events/event-types.ts';
import { deadLetterEvent, type DeadLetter } from './dead-letter-store.ts';

const event = (name: string) => ({ id: 'e1', owner: 'user:u1', name, data: 'payload', publishedAt: '2026-01-01T00:00:00.000Z', coreid: 'dev', source: 'device' }) as unknown as HushEvent;
const letter = (name: string): DeadLetter => ({
  id: 'd1', integrationId: 'i1', owner: 'user:u1', event: event(name), attempts: 3, lastStatus: 503, lastError: 'error status 503', deadAt: '2026-01-01T00:01:00.000Z', replayOf: null,
});
const masker = { mask: (t: string) => t.replaceAll('s3cret-token', '[[SENSITIVE]]') };

describe('deadLetterEvent', () => {
  it('announces metadata only on the owner stream, as a system event, masked', () => {
    const e = deadLetterEvent(letter('temp/s3cret-token'), masker);
    expect(e).toMatchObject({ owner: 'user:u1', name: 'hush/delivery/dead', source: 'system', coreid: 'hush' });
    expect(JSON.parse(e?.data ?? '')).toEqual({ integration_id: 'i1', delivery_id: 'd1', event: 'temp/[[SENSITIVE]]', attempts: 3, last_status: 503 });
    expect(e?.data).not.toContain('payload');
  });

  it('does not announce the death of a delivery of its own event (no alert loop)', () => {
    expect(deadLetterEvent(letter('hush/delivery/dead'), masker)).toBeNull();
  });
});
