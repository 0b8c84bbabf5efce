import { z } from 'zod';
import type { HushError } from './errors.ts';

/**
 * The Particle error body: `{ok:false, error}` plus `error_description` where clients read
 * it, and extra fields some errors carry (`retry_after`, `field`). Also the OpenAPI
 * document's `Error` component.
 */
export const errorBodySchema = z
  .object({
    ok: z.literal(false),
    error: z.string().meta({ description: 'The message; for OAuth-style errors (invalid_grant, invalid_token, …) the code' }),
    error_description: z.string().optional().meta({ description: 'The message of an OAuth-style error' }),
  })
  .catchall(z.unknown());

export type ErrorBody = z.infer<typeof errorBodySchema>;

const OAUTH_CODES = new Set(['invalid_grant', 'unsupported_grant_type', 'invalid_client', 'invalid_token', 'unauthorized']);

export function errorBody(e: HushError): ErrorBody {
  // OAuth-style errors carry the code in `error` (the CLI classifies on it) and the text in
  // `error_description`; all others carry the human message in `error`.
  if (OAUTH_CODES.has(e.code)) return { ok: false, error: e.code === 'unauthorized' ? 'invalid_request' : e.code, error_description: e.message, ...e.details };
  return { ok: false, error: e.message, ...e.details };
}
