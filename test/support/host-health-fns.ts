import { respondWith, type HttpSink, type SinkHandler } from './http-sink.ts';

/** The first probe waits this long in host health tests. */
export const PROBE_MS = 200;

/** Host health on for a test server: four attempts may pause a host, probes every 200–800 ms. */
export const HOST_HEALTH_TEST_ENV: Readonly<Record<string, string>> = { HUSH_HOST_HEALTH_MIN_SAMPLES: '4', HUSH_HOST_PROBE_MS: String(PROBE_MS), HUSH_HOST_PROBE_MAX_MS: '800' };

/** Sets a sink to answer 200 to the first `oks` requests, then 503 until `heal()`; it counts the 200s per event data (`d` of the JSON body). */
export function flakySink(sink: HttpSink, oks: number) {
  const delivered = new Map<string, number>();
  let served = 0;
  let healthy = false;
  const handler: SinkHandler = (req, res) => {
    if (!healthy && served++ >= oks) return respondWith(503, { ok: false })(req, res);
    const d = String(JSON.parse(req.body).d);
    delivered.set(d, (delivered.get(d) ?? 0) + 1);
    return respondWith(200)(req, res);
  };
  sink.setHandler(handler);
  return {
    delivered,
    heal: () => void (healthy = true),
  };
}
