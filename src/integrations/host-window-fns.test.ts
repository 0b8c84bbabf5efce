import { describe, expect, it } from 'vitest';
import { createHostWindows, hostAnswered, hostSignal, nextProbeIntervalMs } from './host-window-fns.ts';

const cfg = { windowMs: 10_000, minSamples: 4, errorPercent: 50 };

describe('host windows', () => {
  it('pauses when errors outnumber successes over at least the minimum samples', () => {
    const w = createHostWindows(cfg);
    expect(w.record('h', false, 0)).toBeNull();
    expect(w.record('h', true, 1)).toBeNull();
    expect(w.record('h', false, 2)).toBeNull(); // 3 samples: below the minimum
    expect(w.record('h', true, 3)).toBeNull(); // a success never pauses
    expect(w.record('h', false, 4)).toEqual({ oks: 2, errors: 3 });
  });

  it('does not pause on a tie (errors must outnumber successes)', () => {
    const w = createHostWindows(cfg);
    for (let i = 0; i < 3; i++) w.record('h', true, i);
    expect(w.record('h', false, 10)).toBeNull();
    expect(w.record('h', false, 11)).toBeNull();
    expect(w.record('h', false, 12)).toBeNull(); // 3 to 3
    expect(w.record('h', false, 13)).toEqual({ oks: 3, errors: 4 });
  });

  it('forgets outcomes older than the window', () => {
    const w = createHostWindows(cfg);
    for (let i = 0; i < 10; i++) w.record('h', true, i);
    // Ten successes a window ago no longer count: three fresh errors are not enough samples…
    expect(w.record('h', false, 20_000)).toBeNull();
    expect(w.record('h', false, 20_001)).toBeNull();
    expect(w.record('h', false, 20_002)).toBeNull();
    // …the fourth is.
    expect(w.record('h', false, 20_003)).toEqual({ oks: 0, errors: 4 });
  });

  it('keeps hosts apart, and reset and sweep forget a host', () => {
    const w = createHostWindows(cfg);
    for (let i = 0; i < 3; i++) w.record('a', false, i);
    expect(w.record('b', false, 3)).toBeNull();
    w.reset('a');
    expect(w.record('a', false, 4)).toBeNull();
    expect(w.size()).toBe(2);
    w.sweep(50_000);
    expect(w.size()).toBe(0);
  });

  it('is off with a minimum of zero samples', () => {
    const w = createHostWindows({ ...cfg, minSamples: 0 });
    for (let i = 0; i < 100; i++) expect(w.record('h', false, i)).toBeNull();
  });

  it('honours another error percentage', () => {
    const w = createHostWindows({ ...cfg, errorPercent: 80 });
    for (let i = 0; i < 2; i++) w.record('h', true, i);
    for (let i = 0; i < 7; i++) expect(w.record('h', false, 10 + i)).toBeNull(); // 7 of 9: 77%
    expect(w.record('h', false, 20)).toBeNull(); // 8 of 10: 80% is not above 80%…
    expect(w.record('h', false, 21)).toEqual({ oks: 2, errors: 9 }); // …9 of 11 is
  });
});

describe('host signals', () => {
  it('counts network errors, timeouts, 429 and 5xx as errors; other answers as none', () => {
    expect(hostSignal({ ok: true, status: 200, durationMs: 1 })).toBe('ok');
    expect(hostSignal({ ok: false, status: 503, durationMs: 1 })).toBe('error');
    expect(hostSignal({ ok: false, status: 429, durationMs: 1 })).toBe('error');
    expect(hostSignal({ ok: false, errorKind: 'timeout', durationMs: 1 })).toBe('error');
    expect(hostSignal({ ok: false, errorKind: 'network', durationMs: 1 })).toBe('error');
    expect(hostSignal({ ok: false, status: 404, durationMs: 1 })).toBe('none');
    expect(hostSignal({ ok: false, errorKind: 'refused', durationMs: 0 })).toBe('none');
    expect(hostSignal({ ok: false, errorKind: 'invalid', durationMs: 0 })).toBe('none');
  });

  it('finds a probed host answering on a success or a 4xx, not on an error', () => {
    expect(hostAnswered({ ok: true, status: 204, durationMs: 1 })).toBe(true);
    expect(hostAnswered({ ok: false, status: 404, durationMs: 1 })).toBe(true);
    expect(hostAnswered({ ok: false, status: 500, durationMs: 1 })).toBe(false);
    expect(hostAnswered({ ok: false, errorKind: 'timeout', durationMs: 1 })).toBe(false);
    expect(hostAnswered({ ok: false, errorKind: 'tls', durationMs: 1 })).toBe(false);
  });

  it('doubles the probe interval up to its maximum', () => {
    expect(nextProbeIntervalMs(1000, 5000)).toBe(2000);
    expect(nextProbeIntervalMs(4000, 5000)).toBe(5000);
  });
});
