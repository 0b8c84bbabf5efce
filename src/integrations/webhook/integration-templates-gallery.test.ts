import { describe, expect, it } from 'vitest';
import { applyTemplate } from './integration-templates.ts';
import { parseWebhookConfig } from './webhook-config-fns.ts';
import { renderWebhookRequest } from './webhook-render-fns.ts';
import type { WebhookEvent } from './webhook-types.ts';

// One test per gallery target beyond the first three (integration-templates.test.ts): the
// request each one sends, as that service's API documents it.
const event: WebhookEvent = { name: 'temp', data: '21.5', publishedAt: '2024-01-01T00:00:00.000Z', coreid: 'c0ffee', eventId: 'e' };
const send = (slug: string, values: Record<string, string>, secrets: Record<string, string>) => {
  const config = parseWebhookConfig(applyTemplate(slug, values), { knownSecrets: new Set(Object.keys(secrets)), scope: 'sandbox' });
  expect(config.secrets).toEqual(Object.keys(secrets));
  return renderWebhookRequest(config, event, secrets);
};
const where = (url: string) => {
  const u = new URL(url);
  return { at: `${u.origin}${u.pathname}`, query: Object.fromEntries(u.searchParams) };
};
const formOf = (body: string | undefined) => Object.fromEntries(new URLSearchParams(body ?? ''));

describe('gallery templates', () => {
  it('ubidots: POSTs the value to the variable of the device named after the Particle device', () => {
    const req = send('ubidots', { event: 'temp', variable: 'temperature', secret: 'UBI' }, { UBI: 'BBFF-1' });
    expect(req).toMatchObject({ method: 'POST', headers: { 'X-Auth-Token': 'BBFF-1' } });
    expect(where(req.url).at).toBe('https://industrial.api.ubidots.com/api/v1.6/devices/c0ffee');
    expect(JSON.parse(req.body ?? '')).toEqual({ temperature: { value: '21.5', timestamp: event.publishedAt } });
    expect(() => applyTemplate('ubidots', { event: 'temp', variable: 'Bad Label', secret: 'UBI' })).toThrow(/variable "Bad Label" must be a variable label/);
  });

  it('thingspeak: form-encodes the write key and the chosen field', () => {
    const req = send('thingspeak', { event: 'temp', field: 'field3', secret: 'TS_KEY' }, { TS_KEY: 'W&K' });
    expect(req.method).toBe('POST');
    expect(where(req.url).at).toBe('https://api.thingspeak.com/update');
    expect(formOf(req.body)).toEqual({ api_key: 'W&K', field3: '21.5', created_at: event.publishedAt });
    expect(() => applyTemplate('thingspeak', { event: 'temp', field: 'field9', secret: 'TS_KEY' })).toThrow(/field "field9" must be one of/);
  });

  it('influxdb: writes one line-protocol point to the bucket with a token header', () => {
    const req = send('influxdb', { event: 'temp', url: 'https://eu.influx.example/', org: 'acme', bucket: 'sensors', secret: 'INFLUX' }, { INFLUX: 'tok' });
    expect(req.headers).toMatchObject({ Authorization: 'Token tok', 'Content-Type': 'text/plain; charset=utf-8' });
    expect(where(req.url)).toEqual({ at: 'https://eu.influx.example/api/v2/write', query: { org: 'acme', bucket: 'sensors', precision: 'ms' } });
    expect(req.body).toBe('particle,device=c0ffee,event=temp value=21.5');
  });

  it('losant, slack, discord and google-sheets keep the secret in the URL path of a fixed host', () => {
    const losant = send('losant', { event: 'temp', secret: 'LOSANT' }, { LOSANT: 'abc123' });
    expect(where(losant.url).at).toBe('https://triggers.losant.com/webhooks/abc123');
    expect(JSON.parse(losant.body ?? '')).toMatchObject({ event: 'temp', data: '21.5', coreid: 'c0ffee' });
    const slack = send('slack', { event: 'temp', secret: 'SLACK_PATH' }, { SLACK_PATH: 'T0/B0/xyz' });
    expect(where(slack.url).at).toBe('https://hooks.slack.com/services/T0/B0/xyz');
    expect(JSON.parse(slack.body ?? '')).toEqual({ text: 'temp from c0ffee: 21.5' });
    const discord = send('discord', { event: 'temp', secret: 'DISCORD' }, { DISCORD: '123/tok' });
    expect(where(discord.url).at).toBe('https://discord.com/api/webhooks/123/tok');
    expect(JSON.parse(discord.body ?? '')).toEqual({ username: 'Particle', content: 'temp from c0ffee: 21.5' });
    const sheets = send('google-sheets', { event: 'temp', secret: 'SHEET' }, { SHEET: 'AKfy' });
    expect(where(sheets.url).at).toBe('https://script.google.com/macros/s/AKfy/exec');
  });

  it('twilio-sms: basic auth with the account SID, form fields To, From and Body', () => {
    const sid = `AC${'a'.repeat(32)}`;
    const req = send('twilio-sms', { event: 'temp', account_sid: sid, from: '+15005550006', to: '+15551234567', secret: 'TWILIO' }, { TWILIO: 'auth' });
    expect(where(req.url).at).toBe(`https://api.twilio.com/2010-04-01/Accounts/${sid}/Messages.json`);
    expect(req.headers.Authorization).toBe(`Basic ${Buffer.from(`${sid}:auth`).toString('base64')}`);
    expect(formOf(req.body)).toEqual({ From: '+15005550006', To: '+15551234567', Body: 'temp: 21.5' });
    expect(() => applyTemplate('twilio-sms', { event: 'temp', account_sid: sid, from: '5550006', to: '+15551234567', secret: 'TWILIO' })).toThrow(/from "5550006" must be a phone number/);
  });

  it('an answer is text, never a template: braces are refused', () => {
    expect(() => applyTemplate('discord', { event: 'temp', username: '{{{OTHER}}}', secret: 'DISCORD' })).toThrow(/username .* must be plain text/);
  });
});
