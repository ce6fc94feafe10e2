import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pathOnly } from '../logger';

/** One line per request: no query string, no headers, no body (PHI and secrets stay out of logs). */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      logger[level](
        {
          requestId: res.locals.requestId,
          method: req.method,
          path: pathOnly(req.originalUrl),
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}
