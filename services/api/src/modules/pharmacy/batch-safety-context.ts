import type { AppDeps } from '../../core/deps';
import {
  contextFromPrefetch,
  loadPatientSafetyContext,
  SAFETY_QUERIES,
  type PatientSafetyContext,
} from '../drug-safety/patient-safety-context';
import { idFromReference } from '../../core/fhir/fhir-kit';
import { toQueryString, type SearchParams } from '../../core/fhir/fhir-client';

const CHUNK = 10;
const PAGE = 1000;

/** Pure: the entries of `bundle` that belong to `patientId` (by subject/patient), plus every included entry. */
export function bundleFor(bundle: fhir4.Bundle, patientId: string): fhir4.Bundle {
  const entry = (bundle.entry ?? []).filter((e) => {
    if (e.search?.mode === 'include') return true;
    const r = e.resource as { subject?: fhir4.Reference; patient?: fhir4.Reference } | undefined;
    return idFromReference((r?.subject ?? r?.patient)?.reference, 'Patient') === patientId;
  });
  return { resourceType: 'Bundle', type: 'searchset', entry };
}

const truncated = (b: fhir4.Bundle) => (b.link ?? []).some((l) => l.relation === 'next');

/**
 * Safety contexts for many patients with one batch of six searches per 10 patients instead of six per patient (the queue
 * screens every item it lists). The per-patient split is the same pure contextFromPrefetch the single-patient
 * loader uses. A chunk whose results do not fit one page falls back to the per-patient loader, so nothing is
 * silently cut. Patients whose context fails are returned as the error.
 */
export async function loadSafetyContexts(
  deps: Pick<AppDeps, 'fhir'>,
  patientIds: readonly string[],
  now = new Date(),
): Promise<Map<string, PatientSafetyContext | Error>> {
  const out = new Map<string, PatientSafetyContext | Error>();
  const chunks: string[][] = [];
  for (let i = 0; i < patientIds.length; i += CHUNK) chunks.push(patientIds.slice(i, i + CHUNK));
  await Promise.all(
    chunks.map(async (ids) => {
      const patient = ids.join(',');
      try {
        const q = (type: string, params: SearchParams) => `${type}${toQueryString({ ...params, _count: PAGE })}`;
        // One FHIR batch per chunk: one round trip, the same searches the single-patient loader runs.
        const [patients, medicationRequests, medicationStatements, allergies, observations, conditions] =
          (await deps.fhir.batchGet(
            [
              q('Patient', { _id: patient }),
              q('MedicationRequest', { patient, ...SAFETY_QUERIES.medicationRequests }),
              q('MedicationStatement', { patient, ...SAFETY_QUERIES.medicationStatements }),
              q('AllergyIntolerance', { patient, ...SAFETY_QUERIES.allergies }),
              q('Observation', { patient, ...SAFETY_QUERIES.observations }),
              q('Condition', { patient, ...SAFETY_QUERIES.conditions }),
            ],
            'batch safety contexts',
          )) as [fhir4.Bundle, fhir4.Bundle, fhir4.Bundle, fhir4.Bundle, fhir4.Bundle, fhir4.Bundle];
        if ([medicationRequests, medicationStatements, allergies, observations, conditions].some(truncated))
          throw new Error('more results than one page');
        for (const id of ids) {
          const p = (patients.entry ?? []).map((e) => e.resource as fhir4.Patient).find((r) => r?.id === id);
          if (!p) {
            out.set(id, new Error('patient not found'));
            continue;
          }
          out.set(
            id,
            contextFromPrefetch(
              {
                patient: p,
                medicationRequests: bundleFor(medicationRequests, id),
                medicationStatements: bundleFor(medicationStatements, id),
                allergies: bundleFor(allergies, id),
                observations: bundleFor(observations, id),
                conditions: bundleFor(conditions, id),
              },
              now,
            ),
          );
        }
      } catch {
        await Promise.all(
          ids.map(async (id) => out.set(id, await loadPatientSafetyContext(deps.fhir, id, now).catch((e: Error) => e))),
        );
      }
    }),
  );
  return out;
}
