import { ServiceUnavailableError } from '../errors';

/** SQLSTATEs that mean "the database is not there right now", not "this statement is wrong". */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
const LOST_CONNECTION = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /not queryable/,
  /^Connection is closed/,
  /Reached the max retries per request limit/,
];

/**
 * A PostgreSQL or Redis client error that means the server is gone (refused, reset, shutting down, recovering) as a
 * 503 with Retry-After — what a caller can act on — instead of a 500. Anything else is not ours to classify.
 */
export function unavailableDependency(err: unknown): ServiceUnavailableError | undefined {
  const e = err as { code?: unknown; message?: unknown; name?: unknown } | null;
  if (!e || typeof e !== 'object') return undefined;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const sqlClass08 = /^08[0-9A-Z]{3}$/.test(code);
  if (
    sqlClass08 ||
    UNAVAILABLE_SQLSTATES.has(code) ||
    SOCKET_CODES.has(code) ||
    e.name === 'MaxRetriesPerRequestError' ||
    LOST_CONNECTION.some((re) => re.test(message))
  )
    return new ServiceUnavailableError(
      'DEPENDENCY_UNAVAILABLE',
      'A service the API depends on (database or cache) is unavailable; try again shortly',
    );
  return undefined;
}
