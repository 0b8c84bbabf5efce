import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routeInput } from '../http/route-input.ts';
import type { PausedHost } from './host-health-store.ts';
import type { HostHealthService } from './host-health-service.ts';
import type { IntegrationScope } from './integration-service.ts';

const listInput = routeInput({
  summary: "The owner's paused webhook target hosts",
  description: 'A host is paused when errors outnumber successes over the window (HUSH_HOST_HEALTH_*); its deliveries wait, one probe at a time, and are sent once it answers.',
});
const resumeInput = routeInput({ summary: 'Resume a paused host at once: its waiting deliveries are sent now' });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** The host name is shown as the owner's masker shows it (it may come from a secret). */
export const pausedHostJson = (h: PausedHost) => ({
  id: h.id, host: h.host, paused_at: iso(h.pausedAtMs), errors: h.errors, successes: h.successes, last_error: h.lastError,
  next_probe_at: iso(h.probeAtMs), probe_interval_ms: h.probeIntervalMs, probes: h.probes, probing: h.probeUntilMs !== null,
});

/** `…/hosts` and `…/hosts/:hostId/resume` under an integration base path (`/v1/integrations`, `/v1/orgs/:org/webhooks`, …). */
export function registerHostHealthRoutes(app: FastifyInstance, base: string, hosts: HostHealthService, scopeOf: (req: FastifyRequest) => Promise<IntegrationScope>): void {
  app.get(`${base}/hosts`, listInput.options, async (req) => ({ ok: true, hosts: (await hosts.list(await scopeOf(req))).map(pausedHostJson) }));
  app.post<{ Params: { hostId: string } }>(`${base}/hosts/:hostId/resume`, resumeInput.options, async (req) => ({
    ok: true, host: pausedHostJson(await hosts.resume(await scopeOf(req), req.params.hostId)),
  }));
}
