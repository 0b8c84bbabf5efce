import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const CONSOLE_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** The console's Content-Security-Policy: nothing inline, nothing from elsewhere. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const API_PREFIXES = ['/v1/', '/oauth/', '/healthz', '/readyz'];

/** Serves the built console at `/`, with SPA fallback for its client-side routes. */
export async function registerConsole(app: FastifyInstance, distDir = CONSOLE_DIST): Promise<void> {
  const built = fs.existsSync(path.join(distDir, 'index.html'));
  app.addHook('onSend', async (req, reply, payload) => {
    if (!API_PREFIXES.some((p) => req.url.startsWith(p))) {
      reply.header('Content-Security-Policy', CONSOLE_CSP);
      reply.header('X-Frame-Options', 'DENY');
      if (req.url.startsWith('/assets/')) reply.header('Cache-Control', 'public, max-age=31536000, immutable');
    }
    return payload;
  });
  const page = (_req: unknown, reply: { type(t: string): unknown; sendFile?(f: string): unknown; send(b: string): unknown }) =>
    built && reply.sendFile
      ? reply.sendFile('index.html')
      : (reply.type('text/plain; charset=utf-8'), reply.send('The Hush console is not built. Run `npm run build` (npm start does this for you).\n'));
  // One encapsulated context for the console: its onRoute hook marks the static file
  // routes public (the browser loads them before signing in), and `index: false` leaves
  // `/` to the page route below instead of registering it twice.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    // preCompressed: the build writes .br and .gz next to the assets (web/vite.config.ts).
    if (built) await scope.register(fastifyStatic, { root: distDir, prefix: '/', index: false, wildcard: false, cacheControl: false, preCompressed: true });
    for (const route of ['/', '/login', '/sandbox/*', '/orgs/*']) {
      scope.get(route, { config: { public: true } }, (req, reply) => page(req, reply as never));
    }
  });
}
