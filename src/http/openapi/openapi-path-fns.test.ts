import { describe, expect, it } from 'vitest';
import { toOpenApiPaths } from './openapi-path-fns.ts';

const one = (url: string) => {
  const all = toOpenApiPaths(url);
  expect(all).toHaveLength(1);
  return all[0];
};

describe('toOpenApiPaths', () => {
  it('keeps static paths', () => {
    expect(one('/v1/openapi.json')).toEqual({ path: '/v1/openapi.json', params: [] });
    expect(one('/oauth/token')).toEqual({ path: '/oauth/token', params: [] });
  });

  it('turns :name into {name}, in order', () => {
    expect(one('/v1/orgs/:org/secrets/:name/versions/:version/restore')).toEqual({
      path: '/v1/orgs/{org}/secrets/{name}/versions/{version}/restore',
      params: ['org', 'name', 'version'],
    });
    expect(one('/v1/secrets/:name')).toEqual({ path: '/v1/secrets/{name}', params: ['name'] });
  });

  it('ends a name at - and . (several parameters in one segment)', () => {
    expect(one('/v1/files/:base.:ext')).toEqual({ path: '/v1/files/{base}.{ext}', params: ['base', 'ext'] });
    expect(one('/v1/range/:from-:to')).toEqual({ path: '/v1/range/{from}-{to}', params: ['from', 'to'] });
  });

  it('drops regex constraints, nested parentheses and escapes included', () => {
    expect(one('/v1/runs/:id(^\\d+)/logs')).toEqual({ path: '/v1/runs/{id}/logs', params: ['id'] });
    expect(one('/v1/x/:a(^(?:ab|c\\)d)$)-:b')).toEqual({ path: '/v1/x/{a}-{b}', params: ['a', 'b'] });
  });

  it('reads :: as a literal colon', () => {
    expect(one('/v1/name::verb')).toEqual({ path: '/v1/name:verb', params: [] });
  });

  it('names the wildcard', () => {
    expect(one('/orgs/*')).toEqual({ path: '/orgs/{wildcard}', params: ['wildcard'] });
  });

  it('gives both paths of an optional last parameter, as the router registers them', () => {
    expect(toOpenApiPaths('/v1/events/:prefix?')).toEqual([
      { path: '/v1/events/{prefix}', params: ['prefix'] },
      { path: '/v1/events', params: [] },
    ]);
  });
});
