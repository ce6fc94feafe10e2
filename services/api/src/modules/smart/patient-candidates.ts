import type { AppDeps } from '../../core/deps';
import type { UserRow } from '../../core/auth/users.repository';
import { patientIdOf } from '../../core/fhir/fhir-kit';

const label = (p: fhir4.Patient) => {
  const n = p.name?.[0];
  const name = [n?.given?.join(' '), n?.family].filter(Boolean).join(' ') || 'Unnamed patient';
  return `${name}${p.birthDate ? ` (born ${p.birthDate})` : ''} – ${p.id}`;
};

/**
 * Patients a staff user is related to, for the standalone-launch patient picker: explicit assignments plus
 * CareTeam membership and Encounter participation in HAPI. The final pick is still checked by deps.access.
 */
export async function candidatePatients(
  deps: Pick<AppDeps, 'pg' | 'fhir'>,
  user: UserRow,
  limit = 25,
): Promise<Array<{ id: string; label: string }>> {
  const ids = new Set<string>();
  const assigned = await deps.pg.query<{ patient_id: string }>(
    'SELECT patient_id FROM patient_assignments WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at DESC LIMIT $2',
    [user.id, limit],
  );
  assigned.rows.forEach((r) => ids.add(r.patient_id));
  if (user.fhir_practitioner_id) {
    const who = `Practitioner/${user.fhir_practitioner_id}`;
    const refs = (rs: Array<{ subject?: fhir4.Reference }>) =>
      rs.forEach((r) => {
        const id = patientIdOf(r.subject);
        if (id) ids.add(id);
      });
    const [teams, encounters] = await Promise.all([
      deps.fhir
        .searchResources('CareTeam', {
          participant: who,
          status: 'active',
          _count: String(limit),
          _elements: 'subject',
        })
        .catch(() => []),
      deps.fhir
        .searchResources('Encounter', { participant: who, _count: String(limit), _sort: '-date', _elements: 'subject' })
        .catch(() => []),
    ]);
    refs(teams);
    refs(encounters);
  }
  const list = [...ids].slice(0, limit);
  if (!list.length) return [];
  const patients = await deps.fhir
    .searchResources('Patient', { _id: list.join(','), _count: String(limit) })
    .catch(() => [] as fhir4.Patient[]);
  const byId = new Map(patients.map((p) => [p.id!, p]));
  return list.map((id) => ({ id, label: byId.has(id) ? label(byId.get(id)!) : `Patient ${id}` }));
}

export async function patientLabel(deps: Pick<AppDeps, 'fhir'>, id: string): Promise<string> {
  try {
    return label(await deps.fhir.read('Patient', id));
  } catch {
    return `Patient ${id}`;
  }
}
