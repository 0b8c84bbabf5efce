import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from './openapi-document.ts';

export const OPENAPI_PATH = '/v1/openapi.json';

/**
 * The routes the API document lists: everything under `/v1` and `/oauth`. The console's
 * pages and files, `/healthz`, `/readyz` and `/metrics` are operator or browser
 * endpoints, deliberately left out.
 */
export const isApiRoute = (url: string): boolean => /^\/(v1|oauth)(\/|$)/.test(url);

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * `GET /v1/openapi.json`: the OpenAPI 3.1 document of every API route registered on `app`
 * (from `app.routeCatalog`), built on first request, when no route can be added any more.
 * Public, like Particle's API reference: it describes the API, it holds no data.
 */
export function registerOpenApiRoute(app: FastifyInstance): void {
  let doc: string | null = null;
  app.get(OPENAPI_PATH, { config: { public: true, doc: { summary: 'This OpenAPI document' } } }, async (_req, reply) => {
    doc ??= JSON.stringify(
      buildOpenApiDocument(
        app.routeCatalog.routes().filter((r) => isApiRoute(r.url)),
        {
          title: 'Hush API',
          version: pkg.version,
          description: 'Hush speaks the Particle Cloud API v1 for secrets, events, integrations, Logic and ledgers. Generated from the schemas the server validates requests with.',
        },
      ),
    );
    return reply.type('application/json; charset=utf-8').send(doc);
  });
}
