/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): each signed request
 * carries `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, a
 * space-separated list of `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per key.
 * Pure; the keys are secret values and never leave this module other than as HMACs.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { RenderedRequest } from './webhook-types.ts';

export const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
const SIGNATURE_HEADER_SET: ReadonlySet<string> = new Set(SIGNATURE_HEADERS);
const PREFIX = 'whsec_';

/** The HMAC key of a secret value: the base64 after `whsec_` (as Standard Webhooks libraries read it), else the UTF-8 bytes. */
export function signingKeyBytes(value: string): Buffer {
  if (value.startsWith(PREFIX)) {
    const decoded = Buffer.from(value.slice(PREFIX.length), 'base64');
    if (decoded.length > 0) return decoded;
  }
  return Buffer.from(value, 'utf8');
}

/** The key as a KeyObject, made once per value so each signature does not copy it again. */
export const signingKey = (value: string): KeyObject => createSecretKey(signingKeyBytes(value));

/** The id a receiver deduplicates on: the same for every attempt of one event's delivery to one integration. */
export function webhookMessageId(integrationId: string, eventId: string): string {
  return `msg_${eventId}_${integrationId}`;
}

/** `v1,<sig>` for each key, newest first, space-separated. */
export function signatureHeader(keys: readonly (Buffer | KeyObject)[], id: string, timestamp: number, body: string): string {
  const content = `${id}.${timestamp}.${body}`;
  let out = '';
  for (const k of keys) out += `${out === '' ? '' : ' '}v1,${createHmac('sha256', k).update(content, 'utf8').digest('base64')}`;
  return out;
}

/** The request with the three signature headers added (replacing any of the same names). */
export function signRequest(req: RenderedRequest, s: { readonly id: string; readonly timestamp: number; readonly keys: readonly (Buffer | KeyObject)[] }): RenderedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (!SIGNATURE_HEADER_SET.has(k.toLowerCase())) headers[k] = v;
  headers['webhook-id'] = s.id;
  headers['webhook-timestamp'] = String(s.timestamp);
  headers['webhook-signature'] = signatureHeader(s.keys, s.id, s.timestamp, req.body ?? '');
  return { ...req, headers };
}
