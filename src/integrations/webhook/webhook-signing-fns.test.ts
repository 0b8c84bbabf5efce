import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signatureHeader, signingKeyBytes, signRequest, webhookMessageId } from './webhook-signing-fns.ts';

const ts = Math.floor(Date.now() / 1000);

describe('Standard Webhooks signing', () => {
  it('reads whsec_ values as base64 and others as UTF-8', () => {
    expect(signingKeyBytes('whsec_AQID').equals(Buffer.from([1, 2, 3]))).toBe(true);
    expect(signingKeyBytes('schlüssel').equals(Buffer.from('schlüssel', 'utf8'))).toBe(true);
  });

  it('produces headers the standardwebhooks package verifies, one signature per key', () => {
    const key = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const req = signRequest(
      { method: 'POST', url: 'https://x.test/h', headers: { 'Content-Type': 'application/json', 'Webhook-Id': 'user-set' }, body: '{"a":1}' },
      { id: webhookMessageId('int1', 'ev1'), timestamp: ts, keys: [signingKeyBytes('new-key'), signingKeyBytes(key)] },
    );
    expect(req.headers['Webhook-Id']).toBeUndefined();
    expect(req.headers['webhook-id']).toBe('msg_ev1_int1');
    expect(req.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(new Webhook(key).verify('{"a":1}', req.headers as Record<string, string>)).toEqual({ a: 1 });
    expect(new Webhook(Buffer.from('new-key'), { format: 'raw' }).verify('{"a":1}', req.headers as Record<string, string>)).toEqual({ a: 1 });
    expect(() => new Webhook(key).verify('{"a":2}', req.headers as Record<string, string>)).toThrow();
  });

  it('signs an empty body as the empty string', () => {
    const h = signatureHeader([Buffer.from('k')], 'msg_1', ts, '');
    expect(() => new Webhook(Buffer.from('k'), { format: 'raw' }).verify('', { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': h }, { jsonParse: false } as never)).not.toThrow();
  });
});
