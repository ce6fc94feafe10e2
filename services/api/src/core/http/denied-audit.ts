import type { ErrorRequestHandler } from 'express';
import type { AuditLogger } from '../audit/audit-types';
import { requestAuditFields } from '../audit/request-audit';
import { AppError } from '../errors';
import { pathOnly } from '../logger';

/** Codes whose audit record was already written where the decision was made. */
const AUDITED_AT_SOURCE = new Set([
  'PATIENT_ACCESS_DENIED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'INVALID_MFA_CODE',
  'MFA_CODE_REPLAYED',
  'REFRESH_TOKEN_REUSED',
  'INVALID_REFRESH_TOKEN',
]);

/**
 * Every refused request (401 bad/expired/revoked token, 403 missing permission) is an audit event: an
 * attempt to reach data or an action the caller may not have. The route pattern is recorded, never the
 * query string (it can carry PHI).
 */
export function deniedAudit(audit: AuditLogger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (err instanceof AppError && (err.status === 401 || err.status === 403) && !AUDITED_AT_SOURCE.has(err.code)) {
      const details = err.details && !Array.isArray(err.details) ? err.details : {};
      audit.record({
        ...requestAuditFields(req, res),
        action: err.status === 401 ? 'access.unauthenticated' : 'access.forbidden',
        outcome: 'denied',
        details: {
          method: req.method,
          route:
            (req.route as { path?: string } | undefined)?.path ??
            pathOnly(req.originalUrl).replace(/\/[^/]*\d[^/]*/g, '/:id'),
          code: err.code,
          ...('reason' in details ? { reason: details.reason } : {}),
          ...('permission' in details ? { permission: details.permission } : {}),
        },
      });
    }
    next(err);
  };
}
