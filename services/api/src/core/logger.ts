import pino, { type Logger } from 'pino';

/**
 * Plain logs never carry PHI or secrets: request logs hold the method, the route pattern and the status,
 * never query strings or bodies; the redact list is the safety net for anything that slips through.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.secret',
  '*.ssn',
  '*.body',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wintehr-api' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/**
 * The path of a URL without its query string, which may contain names, birth dates or MRNs, and without the imaging
 * share tokens that some paths carry (a bearer credential for a study: whoever reads the log could open it).
 */
export function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return (q === -1 ? url : url.slice(0, q)).replace(/wsh_[A-Za-z0-9_-]+/g, 'wsh_[REDACTED]');
}
