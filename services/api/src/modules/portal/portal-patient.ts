import type { Principal } from '../../core/auth/principal';
import { forbidden } from '../../core/errors';

/**
 * The portal is the patient's own window on their record: the compartment comes from the token, never from the
 * request, and staff (who have their own chart) are refused rather than shown someone's portal.
 */
export function portalPatientId(principal: Principal): string {
  if (principal.role !== 'patient' || !principal.patientId)
    throw forbidden('The patient portal is for patients; staff use the chart', { role: principal.role });
  return principal.patientId;
}
