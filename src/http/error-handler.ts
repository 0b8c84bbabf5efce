import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HushError, isHushError } from '../errors/errors.ts';
import { errorBody, errorBodySchema, type ErrorBody } from '../errors/error-body.ts';

export { errorBody, errorBodySchema, type ErrorBody };


/** Maps Fastify's own errors (parsing, limits, validation) to Hush errors. */
function fromFastify(e: FastifyError): HushError {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HushError('payload_too_large', 'request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HushError('unsupported_media_type', 'unsupported content type: send application/json or application/x-www-form-urlencoded');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HushError('bad_request', 'request body is empty but Content-Type is application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HushError('bad_request', 'request body is not valid JSON');
    default:
      break;
  }
  if (e instanceof SyntaxError || e.name === 'SyntaxError') return new HushError('bad_request', 'request body is not valid JSON');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new HushError(e.statusCode === 404 ? 'not_found' : e.statusCode === 413 ? 'payload_too_large' : e.statusCode === 415 ? 'unsupported_media_type' : 'bad_request', e.message);
  }
  return new HushError('internal', 'internal server error');
}

/**
 * Errors Fastify's router raises before any route or hook runs (a malformed percent-escape,
 * an over-long path parameter): answered with the Particle body like every other error.
 */
export function frameworkErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const path = req.url.split('?')[0];
  const shown = path.length > 80 ? `${path.slice(0, 80)}…` : path;
  const e =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new HushError('bad_request', `a path segment of ${shown} is too long`)
      : err.code === 'FST_ERR_BAD_URL'
        ? new HushError('bad_request', `the URL path ${shown} is not valid (bad percent-encoding)`)
        : fromFastify(err);
  void reply.status(e.status).send(errorBody(e));
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const e = isHushError(err) ? err : fromFastify(err);
    if (e.status >= 500) req.log.error({ err: { message: err.message, code: (err as { code?: string }).code, stack: err.stack } }, 'request failed');
    if ((e.code === 'too_many_requests' || e.code === 'unavailable') && typeof e.details?.retry_after === 'number') reply.header('Retry-After', String(e.details.retry_after));
    void reply.status(e.status).send(errorBody(e));
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ ok: false, error: `Not found: ${req.method} ${req.url.split('?')[0]}` });
  });
}
