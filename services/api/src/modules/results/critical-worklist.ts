import type { CriticalWorklist } from '@wintehr/contracts';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { idFromReference } from '../../core/fhir/fhir-kit';
import { criticalRuntime } from './critical-runtime';
import { worklistItem, type AlertRow } from './critical-view';

/**
 * The critical results waiting for this clinician: every open alert on a patient they answer for — they ordered
 * it, were notified by escalation, are assigned to the patient, or are on the patient's active care team. The
 * alert table is brought up to date with HAPI first, so a value that arrived by any road is on the list.
 */
export async function criticalWorklist(
  deps: AppDeps,
  principal: Principal,
  opts: { patientId?: string } = {},
): Promise<CriticalWorklist> {
  await criticalRuntime(deps).fresh();
  const { rows } = await deps.pg.query<AlertRow & { mine: boolean }>(
    `SELECT report_id, focus_type, patient_id, service_request_id, observation_ids, critical_codes, created_at, deadline_at,
            escalation_level, ordering_practitioner_id,
            (a.ordering_practitioner_id = $1 OR $1 = ANY(a.notified_practitioner_ids)
              OR a.patient_id IN (SELECT patient_id FROM patient_assignments WHERE user_id = $2 AND (expires_at IS NULL OR expires_at > now()))) AS mine
     FROM critical_result_alerts a WHERE acknowledged_at IS NULL AND ($3::text IS NULL OR patient_id = $3)
     ORDER BY deadline_at LIMIT 2000`,
    [principal.practitionerId ?? '', principal.userId, opts.patientId ?? null],
  );
  const careTeam = await careTeamPatients(
    deps,
    principal,
    rows.filter((r) => !r.mine).map((r) => r.patient_id),
  );
  const open = rows.filter((r) => r.mine || careTeam.has(r.patient_id));
  const [patients, observations] = await Promise.all([
    deps.fhir.readMany(
      'Patient',
      open.map((r) => r.patient_id),
      { elements: 'name,birthDate' },
    ),
    deps.fhir.readMany(
      'Observation',
      open.flatMap((r) => r.observation_ids),
      { elements: 'status,code,valueQuantity,interpretation,referenceRange' },
    ),
  ]);
  const now = Date.now();
  const items = open.map((r) => worklistItem(r, observations, patients.get(r.patient_id), now));
  return { total: items.length, items };
}

async function careTeamPatients(deps: AppDeps, principal: Principal, patientIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (!principal.practitionerId) return found;
  const unique = [...new Set(patientIds)];
  for (let i = 0; i < unique.length; i += 100) {
    const teams = await deps.fhir.searchAll('CareTeam', {
      participant: `Practitioner/${principal.practitionerId}`,
      status: 'active',
      patient: unique.slice(i, i + 100).join(','),
      _elements: 'subject',
      _count: 500,
    });
    for (const t of teams) {
      const id = idFromReference(t.subject?.reference, 'Patient');
      if (id) found.add(id);
    }
  }
  return found;
}
