import { SESSION_COOKIE } from '../auth-hook.ts';
import { errorBodySchema } from '../error-handler.ts';
import { bodyRequired, queryParameters, SchemaComponents } from './openapi-schema-fns.ts';
import { toOpenApiPaths, type OpenApiPath } from './openapi-path-fns.ts';
import type { CatalogRoute } from './route-catalog.ts';

type Json = Record<string, unknown>;

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const SECURITY_SCHEMES = {
  bearerToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An access token from `POST /oauth/token`, sent as `Authorization: Bearer <token>`. As on Particle, the token may instead be sent as an ' +
      '`access_token` field of a JSON or form body (OpenAPI has no body-located scheme; the field is removed before the body is validated).',
  },
  accessTokenQuery: { type: 'apiKey', in: 'query', name: 'access_token', description: 'The access token as a query parameter (as Particle allows).' },
  consoleSession: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The console session cookie set by `POST /v1/console/session`; requests other than GET/HEAD/OPTIONS must also send `X-CSRF-Token` (the `csrf_token` of that answer).',
  },
} as const;

/** `/v1/orgs/{org}/secrets/{name}` → `secrets`: the resource, past the owner prefixes. */
function tagOf(path: string): string {
  const parts = path.split('/').filter((s) => s !== '' && !s.startsWith('{'));
  if (parts[0] === 'v1') parts.shift();
  while (parts.length > 1 && ['orgs', 'products', 'user'].includes(parts[0])) parts.shift();
  return parts[0] ?? 'api';
}

function operationIdOf(method: string, path: string, taken: Set<string>): string {
  const base = `${method}_${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

const pascal = (id: string) => id.replace(/(^|_)([a-z0-9])/gi, (_m, _u, c: string) => c.toUpperCase());

function operation(route: CatalogRoute, method: string, p: OpenApiPath, components: SchemaComponents, taken: Set<string>): Json {
  const doc = route.config.doc ?? {};
  const operationId = operationIdOf(method, p.path, taken);
  const parameters: Json[] = p.params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (doc.query) parameters.push(...queryParameters(doc.query));
  const op: Json = { operationId, tags: [tagOf(p.path)] };
  if (doc.summary) op.summary = doc.summary;
  if (doc.description) op.description = doc.description;
  if (parameters.length > 0) op.parameters = parameters;
  if (doc.body) {
    const schema = components.ref(doc.body, `${pascal(operationId)}Body`);
    const types = doc.jsonOnly ? ['application/json'] : ['application/json', 'application/x-www-form-urlencoded'];
    op.requestBody = { required: bodyRequired(doc.body), content: Object.fromEntries(types.map((t) => [t, { schema }])) };
  }
  op.responses = { '2XX': { description: 'Success' }, default: { $ref: '#/components/responses/Error' } };
  if (route.config.public) op.security = [];
  return op;
}

/**
 * The OpenAPI 3.1 document of `routes`: one operation per (method, path), parameters from
 * the path, body and query schemas from each route's `config.doc` (the zod schemas its
 * handler parses with), the Particle error body and the auth schemes as components. A HEAD
 * route beside a GET on the same URL (Fastify adds one to every GET) is not listed.
 */
export function buildOpenApiDocument(routes: readonly CatalogRoute[], info: OpenApiInfo): Json {
  const components = new SchemaComponents();
  const errorRef = components.ref(errorBodySchema, 'Error');
  const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
  const taken = new Set<string>();
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const method = route.method.toLowerCase();
    if (!METHODS.has(method) || (method === 'head' && gets.has(route.url))) continue;
    for (const p of toOpenApiPaths(route.url)) {
      const item = (paths[p.path] ??= {});
      item[method] = operation(route, method, p, components, taken);
    }
  }
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    openapi: '3.1.0',
    info,
    paths: sorted,
    components: {
      schemas: components.render(),
      responses: { Error: { description: 'An error, in the Particle error shape', content: { 'application/json': { schema: errorRef } } } },
      securitySchemes: SECURITY_SCHEMES,
    },
    security: Object.keys(SECURITY_SCHEMES).map((name) => ({ [name]: [] })),
  };
}
