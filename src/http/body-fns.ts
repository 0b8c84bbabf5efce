import qs from 'qs';
import { HushError } from '../errors/errors.ts';

export { describeIssues, parseInput } from '../shared/parse-fns.ts';

/**
 * Form bodies are read the way particle-api-js writes them (superagent encodes `form:` with
 * qs), so nested fields arrive as objects and arrays: `secret[value]=…`, `headers[X-Key]=…`,
 * `secrets[]=A`. Keys that would touch Object.prototype are dropped by qs; limits refuse
 * rather than silently truncate.
 */
export function parseFormBody(text: string): Record<string, unknown> {
  try {
    return qs.parse(text, { depth: 32, strictDepth: true, arrayLimit: 1000, parameterLimit: 10_000, throwOnLimitExceeded: true, allowPrototypes: false });
  } catch (e) {
    // qs's messages name limits, never the input.
    throw new HushError('bad_request', `invalid form body: ${e instanceof Error ? e.message : String(e)}`);
  }
}
