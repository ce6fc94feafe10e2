import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, NotFoundError, PayloadTooLargeError, ValidationError } from '../errors';
import { unavailableDependency } from '../db/unavailable';
import { pathOnly } from '../logger';
import { toErrorBody, toOperationOutcome } from './error-body';

/** Body-parser and other framework errors carry a `type`/`status`; turn the ones callers cause into 4xx. */
function normalise(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.too.large') return new PayloadTooLargeError();
  if (e?.type === 'entity.parse.failed') return new ValidationError('Malformed JSON body');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    return new ValidationError(e.message ?? 'Unsupported encoding');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError(e.status, 'BAD_REQUEST', e.message ?? 'Bad request');
  }
  // PostgreSQL or Redis gone (the fault run answered 500 while PostgreSQL was down): a 503 the client can retry.
  return unavailableDependency(err);
}

export const isFhirPath = (path: string) => path === '/fhir' || path.startsWith('/fhir/');

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId: string = res.locals.requestId ?? 'unknown';
    let appErr = normalise(err);
    if (!appErr) {
      // Unexpected: log the stack (never the request body) and answer without internals.
      logger.error({ err, requestId, method: req.method, path: pathOnly(req.originalUrl) }, 'unhandled error');
      appErr = new AppError(500, 'INTERNAL_ERROR', 'An unexpected error occurred');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [k, v] of Object.entries(appErr.headers)) res.setHeader(k, v);
    const path = pathOnly(req.originalUrl);
    if (isFhirPath(path)) {
      res
        .status(appErr.status)
        .type('application/fhir+json')
        .send(JSON.stringify(toOperationOutcome(appErr, requestId)));
    } else {
      res.status(appErr.status).json(toErrorBody(appErr, path, requestId));
    }
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No route for ${req.method} ${pathOnly(req.originalUrl)}`));
};
