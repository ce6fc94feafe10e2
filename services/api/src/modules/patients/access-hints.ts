import type { AccessBasis } from '../../core/auth/patient-access';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';

/**
 * For a page of search results: which patients the caller already has a relationship with, so the UI can
 * open those charts directly and offer break-the-glass for the others. Batched (one SQL query, at most two
 * HAPI searches) instead of one access check per result.
 */
export async function accessHints(
  deps: Pick<AppDeps, 'pg' | 'fhir'>,
  p: Principal,
  ids: string[],
): Promise<Map<string, AccessBasis>> {
  const out = new Map<string, AccessBasis>();
  if (!ids.length) return out;
  if (p.role === 'patient') {
    for (const id of ids) if (id === p.patientId) out.set(id, 'self');
    return out;
  }
  const { rows } = await deps.pg.query<{ patient_id: string; basis: AccessBasis }>(
    `SELECT patient_id, 'assignment' AS basis FROM patient_assignments WHERE user_id = $1 AND patient_id = ANY($2) AND (expires_at IS NULL OR expires_at > now())
     UNION ALL
     SELECT patient_id, 'break-glass' FROM break_glass_grants WHERE user_id = $1 AND patient_id = ANY($2) AND expires_at > now()`,
    [p.userId, ids],
  );
  for (const r of rows) if (!out.has(r.patient_id)) out.set(r.patient_id, r.basis);
  const rest = ids.filter((id) => !out.has(id));
  if (p.practitionerId && rest.length) {
    const who = `Practitioner/${p.practitionerId}`;
    const patients = rest.map((id) => `Patient/${id}`).join(',');
    const [teams, encounters] = await Promise.all([
      deps.fhir.searchResources('CareTeam', {
        subject: patients,
        participant: who,
        status: 'active',
        _elements: 'subject',
        _count: 200,
      }),
      deps.fhir.searchResources('Encounter', {
        subject: patients,
        participant: who,
        _elements: 'subject',
        _count: 200,
      }),
    ]);
    for (const t of teams) {
      const id = t.subject?.reference?.split('/')[1];
      if (id && !out.has(id)) out.set(id, 'care-team');
    }
    for (const e of encounters) {
      const id = e.subject?.reference?.split('/')[1];
      if (id && !out.has(id)) out.set(id, 'encounter');
    }
  }
  return out;
}
