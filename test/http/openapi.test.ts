import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpApp } from '../../src/http/http-app.ts';
import { registerOpenApiRoute } from '../../src/http/openapi/openapi-routes.ts';
import { routeInput } from '../../src/http/route-input.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { parseRouteTree } from '../support/route-tree-fns.ts';
import { api, startTestServer, type TestServer } from '../support/test-server.ts';

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any>; securitySchemes: Record<string, any>; responses: Record<string, any> }; security: unknown[] };

/** The API part of the router, as the documented rule draws it: `/v1/**` and `/oauth/**`. */
const isApi = (url: string) => /^\/(v1|oauth)(\/|$)/.test(url);

/**
 * Every (method, path) of the API that Fastify's router holds, from its public dump of the
 * route tree (`printRoutes`), each confirmed with `hasRoute`. HEAD twins of GET routes
 * (Fastify adds one to every GET) are left out, as the document leaves them out.
 */
function routerRoutes(app: FastifyInstance): Set<string> {
  const all = parseRouteTree(app.printRoutes());
  for (const r of all) expect(app.hasRoute(r), `${r.method} ${r.url}`).toBe(true);
  const gets = new Set(all.filter((r) => r.method === 'GET').map((r) => r.url));
  return new Set(
    all.filter((r) => isApi(r.url) && !(r.method === 'HEAD' && gets.has(r.url))).map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`),
  );
}

const operations = (doc: Doc) => Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => ({ method: m.toUpperCase(), path })));

async function validate(doc: unknown): Promise<void> {
  const validator = new Validator();
  const res = await validator.validate(structuredClone(doc) as Parameters<Validator['validate']>[0]);
  expect(res.errors ?? []).toEqual([]);
  expect(res.valid).toBe(true);
  expect(validator.version).toBe('3.1');
  // Every $ref resolves (throws otherwise).
  expect(() => validator.resolveRefs()).not.toThrow();
}

/** The request body schema of an operation, through its `$ref`. */
function bodySchema(doc: Doc, path: string, method: string, type = 'application/json') {
  const ref: string = doc.paths[path][method].requestBody.content[type].schema.$ref;
  return doc.components.schemas[ref.replace('#/components/schemas/', '')];
}

describe('GET /v1/openapi.json on a real server', () => {
  let s: TestServer;
  let doc: Doc;
  beforeAll(async () => {
    s = await startTestServer();
    const r = await api(s.url, 'GET', '/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    doc = r.body;
  });
  afterAll(async () => s?.stop());

  it('is served without a token and passes an OpenAPI 3.1 validator', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await validate(doc);
  });

  it('lists exactly the API routes the router holds, and no other', () => {
    const documented = operations(doc);
    const registered = routerRoutes(s.app);
    expect(registered.size).toBeGreaterThan(100);
    const listed = new Set(documented.map((o) => `${o.method} ${o.path}`));
    expect(listed.size).toBe(documented.length);
    expect(listed).toEqual(registered);
    for (const op of ['POST /oauth/token', 'GET /v1/openapi.json', 'PUT /v1/orgs/{org}/secrets/{name}', 'GET /v1/products/{product}/devices/{device}/events/{prefix}']) expect(listed).toContain(op);
    // Operator and console endpoints are not part of the API document.
    for (const path of ['/healthz', '/readyz', '/metrics', '/', '/login', '/index.html']) expect(doc.paths[path]).toBeUndefined();
    expect(documented.some((o) => o.method === 'HEAD')).toBe(false);
  });

  it('carries the request bodies routes validate with (secret create, webhook create)', async () => {
    const secret = bodySchema(doc, '/v1/secrets', 'post');
    expect(Object.keys(secret.properties).sort()).toEqual(['expires_at', 'name', 'pending', 'rotation_period_days', 'secret', 'value']);
    expect(secret.additionalProperties).toBe(false);
    expect(bodySchema(doc, '/v1/secrets', 'post', 'application/x-www-form-urlencoded')).toBe(secret);
    expect(bodySchema(doc, '/v1/orgs/{org}/secrets/{name}', 'put')).toEqual(secret);

    const webhook = bodySchema(doc, '/v1/webhooks', 'post');
    expect(webhook.properties).toMatchObject({ event: { type: 'string' }, url: { type: 'string' }, name: { type: 'string', maxLength: 255 }, requestType: { type: 'string' } });
    expect(webhook.properties.headers.type).toBe('object');
    expect(bodySchema(doc, '/v1/products/{product}/integrations', 'post')).toEqual(webhook);

    // The document says what validation does: a field it does not list is refused.
    const u = await s.user();
    const bad = await api(s.url, 'POST', '/v1/secrets', { token: u.token, json: { name: 'A_KEY', value: 'long enough value', colour: 'red' } });
    expect(bad.status).toBe(400);
    expect(secret.properties.colour).toBeUndefined();

    expect(doc.paths['/v1/audit'].get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', maximum: 1000 }) })]));
    expect(doc.paths['/v1/console/session'].post.requestBody.content).toHaveProperty(['application/json']);
    expect(doc.paths['/v1/console/session'].post.requestBody.content).not.toHaveProperty(['application/x-www-form-urlencoded']);
    expect(doc.paths['/v1/orgs/{org}/secrets/{name}'].get.parameters).toEqual([
      { name: 'org', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });

  it('has the Particle error body and the auth schemes as components', async () => {
    const error = doc.components.schemas.Error;
    expect(error.required).toEqual(['ok', 'error']);
    expect(error.properties.ok).toMatchObject({ const: false });
    expect(error.properties.error_description.type).toBe('string');
    expect(doc.components.responses.Error.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.paths['/v1/secrets'].get.responses.default).toEqual({ $ref: '#/components/responses/Error' });
    // A real error answer has the documented shape.
    const r = await api(s.url, 'GET', '/v1/secrets');
    expect(r.status).toBe(401);
    expect(Object.keys(r.body).filter((k) => !(k in error.properties))).toEqual([]);

    expect(doc.components.securitySchemes).toMatchObject({
      bearerToken: { type: 'http', scheme: 'bearer' },
      accessTokenQuery: { type: 'apiKey', in: 'query', name: 'access_token' },
      consoleSession: { type: 'apiKey', in: 'cookie', name: 'hush_session' },
    });
    expect(doc.security).toEqual([{ bearerToken: [] }, { accessTokenQuery: [] }, { consoleSession: [] }]);
    // Public routes say so; the others take the document's schemes.
    for (const [path, method] of [['/oauth/token', 'post'], ['/v1/openapi.json', 'get'], ['/v1/console/session', 'get'], ['/v1/access_tokens/{token}', 'delete']]) {
      expect(doc.paths[path][method].security, `${method} ${path}`).toEqual([]);
    }
    expect(doc.paths['/v1/secrets'].post.security).toBeUndefined();
  });
});

describe('the OpenAPI mechanism', () => {
  it('lists routes registered later, with or without a declared schema', async () => {
    const app = await createHttpApp({ logger: createLogger({ level: 'silent' }), auth: { authenticate: async () => null } });
    registerOpenApiRoute(app);
    // A module added later: one plain route, one declaring its input.
    await app.register(async (scope) => {
      scope.get('/v1/env/:name', async () => ({}));
      const put = routeInput({ summary: 'Set a variable', body: z.strictObject({ value: z.string().max(10) }), query: z.object({ scope: z.enum(['a', 'b']) }), public: true });
      scope.put('/v1/env/:name', put.options, async (req) => ({ ok: true, value: put.body(req).value, scope: put.query(req).scope }));
      scope.get('/readyz', { config: { public: true } }, async () => ({ ok: true }));
    });
    const r = await app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json() as Doc;
    await validate(doc);
    expect(Object.keys(doc.paths).sort()).toEqual(['/v1/env/{name}', '/v1/openapi.json']);
    expect(Object.keys(doc.paths['/v1/env/{name}']).sort()).toEqual(['get', 'put']);
    const put = doc.paths['/v1/env/{name}'].put;
    expect(put.summary).toBe('Set a variable');
    expect(put.security).toEqual([]);
    expect(doc.paths['/v1/env/{name}'].get.security).toBeUndefined();
    expect(put.requestBody.required).toBe(true);
    expect(doc.components.schemas[put.requestBody.content['application/json'].schema.$ref.split('/').pop()]).toMatchObject({ properties: { value: { type: 'string', maxLength: 10 } }, required: ['value'] });
    expect(put.parameters).toEqual([
      { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'scope', in: 'query', required: true, schema: { type: 'string', enum: ['a', 'b'] } },
    ]);
    // The handler parses with the declared schemas: same rules, Particle error body.
    const bad = await app.inject({ method: 'PUT', url: '/v1/env/X?scope=c', payload: { value: 'ok' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ ok: false, error: expect.stringMatching(/^invalid query: scope/) });
    await app.close();
  });
});
