import { afterEach, describe, expect, it } from 'vitest';
import { respondWith, startHttpSink, type HttpSink } from '../../test/support/http-sink.ts';
import { createHttpAuditSink } from './http-audit-sink.ts';

describe('HTTP audit sink', () => {
  const sinks: HttpSink[] = [];
  afterEach(async () => Promise.all(sinks.splice(0).map((s) => s.close())));

  it('holds at most bufferMax entries while the endpoint fails, then sends a dropped count before them', async () => {
    const accepted: string[] = [];
    const target = await startHttpSink({ handler: respondWith(500) });
    sinks.push(target);
    const errors: string[] = [];
    const sink = createHttpAuditSink({ url: `${target.url}/a`, batch: 100, flushMs: 30, bufferMax: 3, onError: (m) => errors.push(m) });
    const lines = [1, 2, 3, 4, 5].map((n) => JSON.stringify({ n }));
    expect(lines.map((l) => sink.write(l))).toEqual([true, true, true, false, false]);
    expect(sink.writable()).toBe(false); // full
    await target.waitFor(1);
    target.setHandler((req, res) => {
      accepted.push(req.body);
      respondWith(200)(req, res);
    });
    for (let i = 0; accepted.length === 0; i++) {
      if (i > 400) throw new Error('the buffered batch never arrived');
      await new Promise((r) => setTimeout(r, 25));
    }
    const got = accepted[0]!.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(got[0]).toMatchObject({ type: 'audit.dropped', count: 2 });
    expect(got.slice(1)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    // The endpoint has the batch before the sink has read the 200 that frees its buffer.
    for (let i = 0; !sink.writable(); i++) {
      if (i > 400) throw new Error('the buffer was never freed after the batch was accepted');
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(errors).toEqual([expect.stringMatching(/^audit HTTP sink: the audit endpoint answered 500; retrying$/)]);
    // Sent on close without waiting for the flush interval.
    expect(sink.write('{"n":6}')).toBe(true);
    await sink.close();
    expect(accepted.at(-1)).toBe('{"n":6}\n');
  });
});
