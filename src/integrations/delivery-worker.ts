import { randomBytes } from 'node:crypto';
import type { EventBus } from '../events/event-bus.ts';
import type { Db } from '../store/database-types.ts';
import type { HushEvent } from '../events/event-types.ts';
import type { Logger } from '../logging/logger.ts';
import type { SecretResolver } from '../secrets/secret-resolver.ts';
import type { DeliveryQueue, Delivery } from './delivery-queue.ts';
import { integrationMatches } from './delivery-queue.ts';
import type { DeliveryLogStore } from './delivery-log-store.ts';
import { maskedLogEntry, type MaskerProvider } from './delivery-log-fns.ts';
import type { IntegrationRecord, IntegrationStore } from './integration-store.ts';
import { renderWebhookRequest } from './webhook/webhook-render-fns.ts';
import { responseEvents, retryPolicy, type RetryPolicy } from './webhook/webhook-response-fns.ts';
import type { WebhookSender } from './webhook/webhook-sender.ts';
import type { RenderedRequest, SendResult, WebhookEvent } from './webhook/webhook-types.ts';

export interface DeliveryWorkerDeps {
  readonly db: Db;
  readonly queue: DeliveryQueue;
  readonly integrations: IntegrationStore;
  readonly logs: DeliveryLogStore;
  readonly resolver: Pick<SecretResolver, 'values'>;
  readonly maskers: MaskerProvider;
  readonly sender: WebhookSender;
  readonly bus: Pick<EventBus, 'publish'>;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  /** Longest sleep between polls when nothing wakes the worker (default 1 s). */
  readonly pollMs?: number;
}

export const toWebhookEvent = (e: HushEvent): WebhookEvent => ({
  name: e.name,
  data: e.data ?? undefined,
  publishedAt: e.publishedAt,
  coreid: e.coreid,
  productId: e.productId ?? undefined,
  eventId: e.id,
  userId: e.userId ?? undefined,
});

/** Claims queued deliveries and sends them, outside any transaction. */
export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const node = randomBytes(8).toString('hex');
  const concurrency = deps.concurrency ?? 32;
  const retry = deps.retry ?? retryPolicy();
  let inflight = 0;
  let running = false;
  let wakeUp: (() => void) | null = null;
  let loopDone: Promise<void> = Promise.resolve();
  const active = new Set<Promise<void>>();

  /** One send with masked logging and counters; decides retry vs final outcome. */
  const attempt = async (integration: IntegrationRecord, hush: HushEvent, attemptNo: number, canRetry: boolean) => {
    const { config } = integration;
    const event = toWebhookEvent(hush);
    let req: RenderedRequest | null = null;
    let result: SendResult;
    try {
      const secrets = await deps.resolver.values(hush.owner, config.secrets);
      req = renderWebhookRequest(config, event, secrets);
      result = await deps.sender.send(req, { rejectUnauthorized: config.rejectUnauthorized });
    } catch (e) {
      result = { ok: false, durationMs: 0, error: e instanceof Error ? e.message : String(e), errorKind: 'invalid' };
    }
    const delay = result.ok || !canRetry ? undefined : retry.nextDelayMs(attemptNo, result);
    const outcome: 'success' | 'retry' | 'error' = result.ok ? 'success' : delay !== undefined ? 'retry' : 'error';
    const at = deps.now().toISOString();
    const masker = await deps.maskers.forOwner(hush.owner);
    await deps.logs.append(integration.id, hush.owner, maskedLogEntry(masker, { time: at, attempt: attemptNo, outcome, req, result }));
    if (outcome !== 'retry') await deps.integrations.recordOutcome(deps.db, integration.id, result.ok, at, result.status ?? null);
    return { event, req, result, masker, outcome, delay };
  };

  const publishHookEvents = async (integration: IntegrationRecord, hush: HushEvent, a: Awaited<ReturnType<typeof attempt>>) => {
    const { result, masker } = a;
    const safe = result.ok ? result : { ...result, error: result.error ? masker.mask(result.error) : result.error };
    for (const h of responseEvents(safe, { event: a.event, config: integration.config, requestUrl: a.req?.url ?? integration.config.url })) {
      await deps.bus
        .publish({ owner: hush.owner, name: h.name, data: h.data, coreid: h.coreid, productId: hush.productId, source: 'hook' })
        .catch((err: unknown) => deps.logger.warn({ err: String(err), integration: integration.id }, 'could not publish a hook event'));
    }
  };

  const process1 = async (d: Delivery) => {
    const integration = await deps.integrations.byId(deps.db, d.integrationId);
    // Deleted or disabled since the event was accepted: the delivery is dropped.
    if (!integration || !integrationMatches(integration, d.event)) return deps.queue.complete(d.id, node);
    const a = await attempt(integration, d.event, d.attempts, true);
    if (a.outcome === 'retry') return deps.queue.retryLater(d.id, node, a.delay ?? 0);
    await deps.queue.complete(d.id, node);
    await publishHookEvents(integration, d.event, a);
  };

  const run = (d: Delivery) => {
    inflight++;
    const p = process1(d)
      .catch((err: unknown) => deps.logger.error({ err: String(err), delivery: d.id }, 'delivery failed unexpectedly; it will be retried when its lease expires'))
      .finally(() => {
        inflight--;
        active.delete(p);
        wakeUp?.();
      });
    active.add(p);
  };

  const loop = async () => {
    while (running) {
      let claimed = 0;
      if (inflight < concurrency) {
        try {
          const batch = await deps.queue.claim(node, concurrency - inflight);
          claimed = batch.length;
          batch.forEach(run);
        } catch (err) {
          deps.logger.warn({ err: String(err) }, 'claiming deliveries failed');
        }
      }
      if (claimed > 0 && inflight < concurrency) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deps.pollMs ?? 1000);
        wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wakeUp = null;
    }
  };

  return {
    node,
    start() {
      if (running) return;
      running = true;
      loopDone = loop();
    },
    wake: () => wakeUp?.(),
    async stop() {
      running = false;
      wakeUp?.();
      await loopDone;
      await Promise.allSettled([...active]);
    },
    inflight: () => inflight,
    /** `POST …/integrations/:id/test`: one immediate attempt, logged, without retries. */
    async test(integration: IntegrationRecord, hush: HushEvent) {
      const a = await attempt(integration, hush, 1, false);
      await publishHookEvents(integration, hush, a);
      return {
        pass: a.result.ok,
        status: a.result.status ?? null,
        data: a.masker.mask(a.result.body ?? '').slice(0, 2048),
        error: a.result.ok ? null : a.masker.mask(a.result.error ?? `HTTP ${a.result.status}`),
      };
    },
  };
}

