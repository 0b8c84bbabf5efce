import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { parseInput } from '../shared/parse-fns.ts';

/**
 * What a route declares about its input, in its route config (`config.doc`): the zod
 * schemas its handler parses with and a one-line summary. The OpenAPI document is built
 * from these declarations (src/http/openapi), so the document and the validation share
 * one schema object and cannot drift.
 */
export interface RouteDoc {
  readonly summary?: string;
  readonly description?: string;
  /** The request body schema (read as JSON or as a form, unless `jsonOnly`). */
  readonly body?: z.ZodType;
  /** The query string schema: an object schema, one parameter per key. */
  readonly query?: z.ZodType;
  /** The body is accepted as `application/json` only. */
  readonly jsonOnly?: boolean;
}

/** A route's declared input: the options to register it with, and parsers using the declared schemas. */
export interface RouteInput<B extends z.ZodType, Q extends z.ZodType> {
  /** Route options (`{ config }`) to pass to `app.get/post/…`; spread to add others (`bodyLimit`). */
  readonly options: { readonly config: FastifyContextConfig };
  readonly schemas: { readonly body: B; readonly query: Q };
  /** Parses `req.body` with the declared body schema; 400 naming the fields. */
  body(req: FastifyRequest, what?: string): z.infer<B>;
  /** Parses `req.query` with the declared query schema; 400 naming the fields. */
  query(req: FastifyRequest): z.infer<Q>;
}

export interface RouteInputSpec<B extends z.ZodType, Q extends z.ZodType> extends Omit<RouteDoc, 'body' | 'query'> {
  readonly body?: B;
  readonly query?: Q;
  /** Reachable without an access token. */
  readonly public?: boolean;
  /** Body fields may hold U+0000 (see FastifyContextConfig). */
  readonly allowNulInBody?: boolean;
}

/**
 * Declares a route's input where the route is registered:
 * `const create = routeInput({ summary, body: schema }); app.post(path, create.options, (req) => create.body(req))`.
 */
export function routeInput<B extends z.ZodType = z.ZodNever, Q extends z.ZodType = z.ZodNever>(spec: RouteInputSpec<B, Q>): RouteInput<B, Q> {
  const { public: isPublic, allowNulInBody, ...doc } = spec;
  const config: FastifyContextConfig = {
    doc,
    ...(isPublic ? { public: true } : {}),
    ...(allowNulInBody ? { allowNulInBody: true } : {}),
  };
  const declared = <T>(schema: T | undefined, what: string): T => {
    if (schema === undefined) throw new Error(`this route declares no ${what} schema`);
    return schema;
  };
  return {
    options: { config },
    schemas: { body: spec.body as B, query: spec.query as Q },
    body: (req, what) => parseInput(declared(spec.body, 'body'), req.body, what),
    query: (req) => parseInput(declared(spec.query, 'query'), req.query, 'query'),
  };
}
