import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const VALID_INCOMING = /^[A-Za-z0-9._:-]{8,128}$/;

/** Every request carries an id (the caller's X-Request-ID when well-formed), echoed back and logged. */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const id = incoming && VALID_INCOMING.test(incoming) ? incoming : `req-${randomUUID()}`;
  res.locals.requestId = id;
  res.setHeader('X-Request-ID', id);
  next();
};
