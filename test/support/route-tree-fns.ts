/** A route as Fastify's router reports it. */
export interface Route {
  readonly method: string;
  readonly url: string;
}

/**
 * Reads `printRoutes()` (the radix tree, common prefixes shown as their own nodes): a
 * route's URL is the concatenation of the segments from the root down to its node.
 * (`commonPrefix: false` is not used: it drops the prefix of wildcard routes.)
 */
export function parseRouteTree(tree: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([ │├└─]*)(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    if (m[3]) for (const method of m[3].split(', ')) routes.push({ method, url: stack.join('') });
  }
  return routes;
}
