import type { Request, Response } from 'express';
import type { Principal } from '../auth/principal';
import type { AuditInput, AuditLogger, AuditProxy } from './audit-types';

/** Who and where, taken from the request, so handlers only say what happened. */
export function requestAuditFields(
  req: Request,
  res: Response,
  principal?: Principal,
): Omit<AuditInput, 'action' | 'outcome'> {
  const p = principal ?? (res.locals.principal as Principal | undefined);
  return {
    ...(p ? { userId: p.userId, username: p.username, role: p.role } : {}),
    ...(p?.clientId ? { clientId: p.clientId } : {}),
    clientIp: req.ip,
    userAgent: req.get('user-agent')?.slice(0, 256),
    requestId: res.locals.requestId,
    // Set by the portal when the caller acts for another patient, so every record of the request is flagged.
    ...(res.locals.auditProxy ? { proxy: res.locals.auditProxy as AuditProxy } : {}),
  };
}

export function auditRequest(audit: AuditLogger, req: Request, res: Response, entry: AuditInput): void {
  audit.record({ ...requestAuditFields(req, res), ...entry });
}
