/** One OpenAPI path for a Fastify route URL, with its path parameters in order. */
export interface OpenApiPath {
  readonly path: string;
  readonly params: readonly string[];
}

/** The name OpenAPI gets for Fastify's `*` (the rest of the path, slashes included). */
export const WILDCARD_PARAM = 'wildcard';

/** Index just past the `(regex)` that starts at `start`, honouring nesting and escapes. */
function endOfRegex(url: string, start: number): number {
  let depth = 0;
  for (let j = start; j < url.length; j++) {
    if (url[j] === '\\') j++;
    else if (url[j] === '(') depth++;
    else if (url[j] === ')' && --depth === 0) return j + 1;
  }
  return url.length;
}

function convert(url: string): OpenApiPath {
  let path = '';
  const params: string[] = [];
  for (let i = 0; i < url.length; i++) {
    const c = url[i];
    if (c === ':' && url[i + 1] === ':') {
      // `::` is a literal colon in Fastify (find-my-way).
      path += ':';
      i++;
    } else if (c === ':') {
      // A parameter name ends at `/`, `-`, `.` or a `(regex)` (find-my-way's rule).
      let j = i + 1;
      while (j < url.length && !'/-.('.includes(url[j])) j++;
      const name = url.slice(i + 1, j);
      if (url[j] === '(') j = endOfRegex(url, j);
      params.push(name);
      path += `{${name}}`;
      i = j - 1;
    } else if (c === '*') {
      params.push(WILDCARD_PARAM);
      path += `{${WILDCARD_PARAM}}`;
    } else {
      path += c;
    }
  }
  return { path, params };
}

/** Fastify's optional last parameter (`/a/:b?`), as find-my-way matches it. */
const OPTIONAL_PARAM = /(\/:[^/()]*?)\?(\/?)/;

/**
 * Converts a Fastify route URL to OpenAPI path templates: `/v1/secrets/:name` →
 * `/v1/secrets/{name}`; regex constraints are dropped, `::` is a literal colon, `*` is
 * `{wildcard}`, and an optional last parameter gives both paths (as the router registers them).
 */
export function toOpenApiPaths(url: string): OpenApiPath[] {
  if (OPTIONAL_PARAM.test(url)) {
    return [convert(url.replace(OPTIONAL_PARAM, '$1$2')), convert(url.replace(OPTIONAL_PARAM, '$2') || '/')];
  }
  return [convert(url)];
}
