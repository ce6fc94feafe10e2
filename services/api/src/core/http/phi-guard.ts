import type { Request, Response } from 'express';
import type { AuditInput } from '../audit/audit-types';
import { requestAuditFields } from '../audit/request-audit';
import type { AccessBasis } from '../auth/patient-access';
import type { Principal } from '../auth/principal';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';

export interface PhiAccess {
  basis: AccessBasis;
  /** Name the resource once it is known (e.g. after a create), so the audit record carries its id. */
  setResource(resourceType: string, resourceId?: string): void;
  /** Non-PHI facts for the audit record (counts, reason codes, override flags). */
  note(details: Record<string, unknown>): void;
}

interface Ctx {
  req: Request;
  res: Response;
  principal: Principal;
}

/**
 * The check every patient-level business endpoint makes: may this user reach this patient's chart? A denial
 * is audited and answered 403 (with a hint that break-the-glass exists for staff). An allowed request is
 * audited once its response is sent, with the outcome taken from the final status code, so the record says
 * what actually happened, including failures after the check.
 */
export async function requirePatientAccess(
  deps: Pick<AppDeps, 'access' | 'audit'>,
  ctx: Ctx,
  patientId: string,
  what: { action: string; resourceType?: string; resourceId?: string },
): Promise<PhiAccess> {
  const base: Omit<AuditInput, 'outcome'> = {
    ...requestAuditFields(ctx.req, ctx.res, ctx.principal),
    ...what,
    patientId,
  };
  const decision = await deps.access.check(ctx.principal, patientId);
  if (!decision.allowed) {
    deps.audit.record({ ...base, outcome: 'denied', details: { reason: decision.reason } });
    throw new AppError(403, 'PATIENT_ACCESS_DENIED', 'You have no care relationship with this patient', {
      patientId,
      ...(ctx.principal.role !== 'patient' ? { breakGlass: `/api/patients/${patientId}/break-glass` } : {}),
    });
  }
  const entry: Omit<AuditInput, 'outcome'> = {
    ...base,
    purposeOfUse: purposeOf(decision.basis),
    details: { basis: decision.basis },
  };
  ctx.res.once('finish', () => {
    const status = ctx.res.statusCode;
    deps.audit.record({
      ...entry,
      outcome: status < 400 ? 'success' : status === 403 ? 'denied' : 'failure',
      details: { ...entry.details, status },
    });
  });
  return {
    basis: decision.basis,
    setResource(resourceType, resourceId) {
      entry.resourceType = resourceType;
      entry.resourceId = resourceId;
    },
    note(details) {
      entry.details = { ...entry.details, ...details };
    },
  };
}

function purposeOf(basis: AccessBasis): string {
  if (basis === 'break-glass') return 'ETREAT';
  if (basis === 'self') return 'PATRQT';
  return 'TREAT';
}
