/**
 * The one registry of coded errors. Domain modules throw `HushError`s with a code from
 * `ERROR_CODES`; only the HTTP error handler maps a code to a status and the Particle
 * error body. Messages speak to users, quote the identifier they sent and never carry a
 * secret value.
 */
export const ERROR_CODES = {
  bad_request: 400,
  validation_failed: 400,
  invalid_name: 400,
  name_in_use: 400,
  secret_in_use: 400,
  invalid_grant: 400,
  unsupported_grant_type: 400,
  invalid_client: 401,
  unauthorized: 401,
  invalid_token: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  integrity_error: 500,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface HushErrorOptions {
  /** Extra fields merged into the error body (e.g. `retry_after`). Never a secret value. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class HushError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: HushErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HushError';
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export const isHushError = (e: unknown): e is HushError => e instanceof HushError;
