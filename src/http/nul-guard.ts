import type { FastifyInstance } from 'fastify';
import { HushError } from '../errors/errors.ts';

const NUL = '\u0000';
const MAX_SHOWN = 100;

const shown = (where: string) => (where.length > MAX_SHOWN ? `${where.slice(0, MAX_SHOWN)}…` : where);

/** The path of the first string (or key) holding U+0000 in a parsed body; walks without recursion. */
export function findNul(value: unknown): string | null {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [v, where] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (v.includes(NUL)) return where;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${where}[${i}]`]);
      continue;
    }
    for (const [k, x] of Object.entries(v)) {
      const at = where === '' ? k : `${where}.${k}`;
      if (k.includes(NUL)) return at;
      stack.push([x, at]);
    }
  }
  return null;
}

/**
 * Refuses U+0000 in path parameters, query parameters and body fields with a 400 naming
 * where it was: PostgreSQL text cannot hold it (the query would fail with a 500), and no
 * name, id or setting has a use for it. Runs after the auth hook (401 comes first).
 * Routes with `config.allowNulInBody` (secret values, stored encrypted) skip the body check.
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (req) => {
    const params = findNul(req.params);
    if (params !== null) throw new HushError('bad_request', 'the URL path contains a NUL character (%00), which is not accepted');
    const query = findNul(req.query);
    if (query !== null) throw new HushError('bad_request', `query parameter '${shown(query)}' contains a NUL character (%00), which is not accepted`);
    if (req.routeOptions.config?.allowNulInBody) return;
    const body = findNul(req.body);
    if (body !== null) {
      throw new HushError('bad_request', body === '' ? 'the request body contains a NUL character (\\u0000), which is not accepted' : `request body field '${shown(body)}' contains a NUL character (\\u0000), which is not accepted`);
    }
  });
}
