import type { ProxyGrant } from '@wintehr/contracts';
import type { GrantRow } from './proxy-grants.repository';
import { grantState } from './proxy-tier';

/** One grant as the chart shows it, its status and tier judged today (no internal user ids leave this file). */
export function grantView(row: GrantRow, birthDate: string | undefined, now: Date, timeZone: string): ProxyGrant {
  const state = grantState(
    { birthDate, grantedAt: row.granted_at, validUntil: row.valid_until, revokedAt: row.revoked_at },
    now,
    timeZone,
  );
  return {
    id: row.id,
    patientId: row.subject_patient_id,
    proxyUsername: row.proxy_username,
    proxyName: row.proxy_name,
    relationship: row.relationship,
    relatedPersonId: row.related_person_id,
    grantedBy: row.granted_by_name,
    grantedAt: row.granted_at.toISOString(),
    validUntil: row.valid_until?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    status: state.status,
    tier: state.status === 'active' ? state.tier : null,
  };
}
