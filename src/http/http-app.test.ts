import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../logging/logger.ts';
import { createHttpApp } from './http-app.ts';

/** Sends `head` and then nothing more; resolves with what the server answered once it closes. */
function slowRequest(port: number, head: string): Promise<{ reply: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let reply = '';
    socket.on('data', (d) => (reply += d.toString('utf8')));
    socket.on('close', () => resolve({ reply, ms: Date.now() - started }));
    socket.on('error', () => undefined);
  });
}

describe('createHttpApp request deadline (slowloris)', () => {
  let app: FastifyInstance;
  let port = 0;
  beforeAll(async () => {
    app = await createHttpApp({ logger: createLogger({ level: 'silent' }), auth: { authenticate: async () => null }, requestTimeoutMs: 600 });
    app.post('/echo', { config: { public: true } }, async (req) => ({ ok: true, body: req.body }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => app?.close());

  it('closes a request whose body never finishes arriving, with a 408 Particle body', async () => {
    const r = await slowRequest(port, 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":');
    expect(r.ms).toBeLessThan(5_000);
    expect(r.reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(r.reply.slice(r.reply.indexOf('\r\n\r\n') + 4))).toEqual({ ok: false, error: 'the request was not received in time' });
  });

  it('closes a connection whose headers never finish', async () => {
    const r = await slowRequest(port, 'POST /echo HTTP/1.1\r\nHost: x\r\nX-Slow: a');
    expect(r.ms).toBeLessThan(5_000);
  });

  it('still answers ordinary requests', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await res.json()).toEqual({ ok: true, body: { a: 1 } });
  });
});

describe('createHttpApp behind a proxy (HUSH_TRUST_PROXY)', () => {
  const apps: FastifyInstance[] = [];
  afterAll(async () => Promise.all(apps.map((a) => a.close())));

  /** The client address and protocol a request with forwarded headers is seen with. */
  async function seenAs(trustProxy: boolean | readonly string[] | undefined) {
    const app = await createHttpApp({ logger: createLogger({ level: 'silent' }), auth: { authenticate: async () => null }, trustProxy });
    apps.push(app);
    app.get('/who', { config: { public: true } }, async (req) => ({ ip: req.ip, protocol: req.protocol }));
    const r = await app.inject({ method: 'GET', url: '/who', remoteAddress: '10.1.2.3', headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' } });
    return r.json() as { ip: string; protocol: string };
  }

  it('believes forwarded headers only from the proxies it was told of', async () => {
    expect(await seenAs(undefined)).toEqual({ ip: '10.1.2.3', protocol: 'http' });
    expect(await seenAs(['10.0.0.0/8'])).toEqual({ ip: '203.0.113.7', protocol: 'https' });
    expect(await seenAs(['192.168.0.1'])).toEqual({ ip: '10.1.2.3', protocol: 'http' });
    expect(await seenAs(true)).toEqual({ ip: '203.0.113.7', protocol: 'https' });
  });
});
