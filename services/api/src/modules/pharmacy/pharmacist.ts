import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError } from '../../core/errors';

export interface Pharmacist {
  userId: string;
  orgId: string;
  /** The Practitioner recorded as performer of dispenses (required for dispense/return, not for reading). */
  practitionerId?: string;
}

/**
 * The pharmacy the signed-in user works for (users.pharmacy_org_id). Read from the database on every request,
 * not from the token, so an admin moving a pharmacist to another pharmacy takes effect at once.
 */
export async function pharmacistOf(deps: Pick<AppDeps, 'pg'>, principal: Principal): Promise<Pharmacist> {
  const { rows } = await deps.pg.query<{ pharmacy_org_id: string | null }>(
    'SELECT pharmacy_org_id FROM users WHERE id = $1',
    [principal.userId],
  );
  const orgId = rows[0]?.pharmacy_org_id;
  if (!orgId)
    throw new AppError(403, 'NO_PHARMACY', 'Your account is not assigned to a pharmacy', { reason: 'NO_PHARMACY' });
  return {
    userId: principal.userId,
    orgId,
    ...(principal.practitionerId ? { practitionerId: principal.practitionerId } : {}),
  };
}

export function requirePractitioner(p: Pharmacist): string {
  if (!p.practitionerId)
    throw new AppError(
      403,
      'NO_PRACTITIONER',
      'Your account is not linked to a Practitioner, so it cannot sign dispenses',
      { reason: 'NO_PRACTITIONER' },
    );
  return p.practitionerId;
}

/** Is this Organization an in-house pharmacy (does any active pharmacist work there)? */
export async function isInHousePharmacy(deps: Pick<AppDeps, 'pg'>, orgId: string): Promise<boolean> {
  const { rows } = await deps.pg.query(
    'SELECT 1 FROM users WHERE pharmacy_org_id = $1 AND role = $2 AND NOT disabled LIMIT 1',
    [orgId, 'pharmacist'],
  );
  return rows.length > 0;
}
