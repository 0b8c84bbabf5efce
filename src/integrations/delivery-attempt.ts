import type { HushEvent, PublishInput } from '../events/event-types.ts';
import { selectedSecrets, type OwnerContext } from './delivery-context.ts';
import type { FinishedAttempt } from './delivery-finisher.ts';
import type { HostHealth } from './host-health.ts';
import { SLEEPING_TEXT } from './host-window-fns.ts';
import { maskedLogEntry, maskedResult } from './delivery-log-fns.ts';
import type { IntegrationRecord } from './integration-store.ts';
import { nextRetryDelayMs } from './retry-schedule.ts';
import type { SigningKeys } from './signing-keys.ts';
import { renderWebhookRequest } from './webhook/webhook-render-fns.ts';
import { responseEvents, type RetryPolicy } from './webhook/webhook-response-fns.ts';
import { signRequest, webhookMessageId } from './webhook/webhook-signing-fns.ts';
import type { WebhookSender } from './webhook/webhook-sender.ts';
import type { RenderedRequest, SendResult, WebhookEvent } from './webhook/webhook-types.ts';

export const toWebhookEvent = (e: HushEvent): WebhookEvent => ({
  name: e.name,
  data: e.data ?? undefined,
  publishedAt: e.publishedAt,
  coreid: e.coreid,
  productId: e.productId ?? undefined,
  eventId: e.id,
  userId: e.userId ?? undefined,
});

/** One rendered and sent attempt, with everything the finisher records. */
export interface Attempt {
  readonly result: SendResult;
  /** held: not sent, its host is paused (host health); the delivery waits `delay` without counting an attempt. */
  readonly outcome: 'success' | 'retry' | 'error' | 'held';
  readonly delay: number | undefined;
  readonly finished: Omit<FinishedAttempt, 'deliveryId' | 'action'>;
}

/**
 * The hook events of a final attempt. `result.body` is already masked, so response events
 * (and response templates rendered from it) cannot echo a secret back; error events are
 * masked whole, since they may name a host or quote what was sent.
 */
function hookInputs(integration: IntegrationRecord, hush: HushEvent, event: WebhookEvent, req: RenderedRequest | null, result: SendResult, owner: OwnerContext): PublishInput[] {
  return responseEvents(result, { event, config: integration.config, requestUrl: req?.url ?? integration.config.url, mask: (text) => owner.masker.mask(text) }).map((h) => ({
    owner: hush.owner, name: h.name, data: result.ok ? h.data : owner.masker.mask(h.data), coreid: h.coreid, productId: hush.productId, source: 'hook' as const,
  }));
}

/**
 * Adds the Standard Webhooks headers when the integration names a signing secret. A missing
 * key fails the attempt rather than send an unsigned request the receiver would trust less.
 */
async function signed(req: RenderedRequest, integration: IntegrationRecord, hush: HushEvent, values: Readonly<Record<string, string>>, keys: SigningKeys | undefined, now: Date): Promise<RenderedRequest> {
  const name = integration.config.signingSecret;
  if (name === undefined) return req;
  const current = values[name];
  if (current === undefined || keys === undefined) throw new Error(`signing secret ${name} is not available`);
  const timestamp = Math.floor(now.getTime() / 1000);
  return signRequest(req, { id: webhookMessageId(integration.id, hush.id), timestamp, keys: await keys.keysFor(hush.owner, name, current) });
}

/** What Particle publishes for a request skipped because its host sleeps. */
const sleeping: SendResult = { ok: false, durationMs: 0, error: SLEEPING_TEXT, errorKind: 'paused' };

/** An attempt held back for a paused host: no log entry, no counters, no hook events. */
const heldAttempt = (integration: IntegrationRecord, hush: HushEvent, hostId: string, delay: number): Attempt => ({
  result: sleeping, outcome: 'held', delay, finished: { integrationId: integration.id, owner: hush.owner, log: null, final: null, hookEvents: [], retryDelayMs: delay, heldHost: hostId },
});

/**
 * One delivery attempt: renders with the integration's selected secrets only, sends
 * (never throws), decides retry vs final outcome, and prepares the masked log entry,
 * counters and hook events for the finisher.
 */
export function createAttempter(deps: { readonly sender: WebhookSender; readonly retry: RetryPolicy; readonly now: () => Date; readonly signing?: SigningKeys; readonly hosts?: Pick<HostHealth, 'admit'> }) {
  /** `queuedAtMs`: a queued delivery, which host health may hold back (test sends always go). */
  return async (integration: IntegrationRecord, hush: HushEvent, attemptNo: number, canRetry: boolean, owner: OwnerContext, queuedAtMs?: number): Promise<Attempt> => {
    const { config } = integration;
    const event = toWebhookEvent(hush);
    let req: RenderedRequest | null = null;
    let result: SendResult;
    let pausedNow = false;
    try {
      const values = selectedSecrets(owner.values, config.secrets);
      owner.recordUse?.({ kind: 'integration', id: integration.id }, config.secrets);
      req = await signed(renderWebhookRequest(config, event, values), integration, hush, values, deps.signing, deps.now());
      // Host health (per owner and host): held attempts are not sent; a sent one's outcome is counted.
      const pass = deps.hosts && queuedAtMs !== undefined ? await deps.hosts.admit({ owner: hush.owner, url: req.url, masker: owner.masker, queuedAtMs }) : null;
      if (pass?.kind === 'hold') return heldAttempt(integration, hush, pass.hostId, pass.delayMs);
      if (pass?.kind === 'expired') result = sleeping;
      else {
        result = await deps.sender.send(req, { rejectUnauthorized: config.rejectUnauthorized });
        pausedNow = (await pass?.done(result)) ?? false;
      }
    } catch (e) {
      result = { ok: false, durationMs: 0, error: e instanceof Error ? e.message : String(e), errorKind: 'invalid' };
    }
    // Masked once, here: the log entry, the hook events and the test answer all show this copy.
    result = maskedResult(owner.masker, result);
    const delay = result.ok || !canRetry ? undefined : nextRetryDelayMs({ schedule: config.retrySchedule, defaults: deps.retry, attempt: attemptNo, result, now: deps.now() });
    const outcome: Exclude<Attempt['outcome'], 'held'> = result.ok ? 'success' : delay !== undefined ? 'retry' : 'error';
    const at = deps.now().toISOString();
    return {
      result,
      outcome,
      delay,
      finished: {
        integrationId: integration.id,
        owner: hush.owner,
        log: maskedLogEntry(owner.masker, { time: at, attempt: attemptNo, outcome, req, result }),
        final: outcome === 'retry' ? null : { ok: result.ok, at, httpStatus: result.status ?? null },
        hookEvents: [
          ...(outcome === 'retry' ? [] : hookInputs(integration, hush, event, req, result, owner)),
          // The pause is announced once, by the attempt that caused it, with Particle's text.
          ...(pausedNow ? hookInputs(integration, hush, event, req, sleeping, owner).slice(1) : []),
        ],
        ...(delay === undefined ? {} : { retryDelayMs: delay }),
      },
    };
  };
}
