import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { routeInput } from '../http/route-input.ts';
import type { DeliveryHistoryService, Replay } from './delivery-history-service.ts';
import type { IntegrationScope } from './integration-service.ts';

const isoTime = z.iso.datetime({ offset: true });
const historyQuery = z.strictObject({
  status: z.enum(['sent', 'failed', 'dead']).optional(),
  since: isoTime.optional(),
  before: z.string().regex(/^[0-9a-f]{1,64}$/, 'a cursor from next_before').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const replayAllBody = z.strictObject({ since: isoTime });
const historyInput = routeInput({
  summary: "An integration's delivery attempts, newest first",
  description: 'Every attempt kept for the retention (HUSH_DEAD_LETTER_RETENTION_DAYS). `status=dead` lists dead letters (their last attempt); page on with `before=<next_before>`.',
  query: historyQuery,
});
const replayOneInput = routeInput({ summary: 'Replay one dead letter as a new delivery (current secrets and configuration)' });
const replayAllInput = routeInput({ summary: 'Replay every dead letter since a time, each once', body: replayAllBody });

const replayJson = (r: Replay) => ({ id: r.id, replay_of: r.replayOf });

/** `…/:id/deliveries`, its replays, under one integration base path (`/v1/integrations`, `/v1/orgs/:org/webhooks`, …). */
export function registerDeliveryHistoryRoutes(app: FastifyInstance, base: string, history: DeliveryHistoryService, scopeOf: (req: FastifyRequest) => Promise<IntegrationScope>): void {
  type P = { id: string; deliveryId: string };
  app.get<{ Params: P }>(`${base}/:id/deliveries`, historyInput.options, async (req) => {
    const q = historyInput.query(req);
    return { ok: true, ...(await history.history(await scopeOf(req), req.params.id, q)) };
  });
  app.post<{ Params: P }>(`${base}/:id/deliveries/replay`, replayAllInput.options, async (req) => {
    const { since } = replayAllInput.body(req);
    const made = await history.replayAllSince(await scopeOf(req), req.params.id, new Date(since).toISOString());
    return { ok: true, replayed: made.length, deliveries: made.map(replayJson) };
  });
  app.post<{ Params: P }>(`${base}/:id/deliveries/:deliveryId/replay`, replayOneInput.options, async (req, reply) => {
    const made = await history.replayOne(await scopeOf(req), req.params.id, req.params.deliveryId);
    return reply.status(202).send({ ok: true, delivery: replayJson(made) });
  });
}
