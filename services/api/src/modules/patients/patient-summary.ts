import { activeAllergies, allergyRecordState } from '../chart/allergy-rules';
import type { AppDeps } from '../../core/deps';
import { notFound } from '../../core/errors';
import type { PatientSummary } from '@wintehr/contracts';
import { toPatientView } from './patient-mapping';

/** The newest vital-signs Observation per LOINC code (input newest first, as HAPI sorts with -date). */
export function latestVitals(obs: readonly fhir4.Observation[]): PatientSummary['vitals'] {
  const seen = new Map<string, PatientSummary['vitals'][number]>();
  for (const o of obs) {
    const c = o.code.coding?.find((x) => x.system === 'http://loinc.org') ?? o.code.coding?.[0];
    if (!c?.code || seen.has(c.code) || !o.id) continue;
    seen.set(c.code, {
      id: o.id,
      code: c.code,
      display: c.display ?? o.code.text,
      effective: o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued,
      value: o.valueQuantity?.value,
      unit: o.valueQuantity?.unit ?? o.valueQuantity?.code,
      ...(o.component?.length
        ? {
            components: o.component.map((k) => ({
              code: k.code.coding?.[0]?.code ?? '',
              value: k.valueQuantity?.value,
              unit: k.valueQuantity?.unit ?? k.valueQuantity?.code,
            })),
          }
        : {}),
    });
  }
  return [...seen.values()];
}

const ACTIVE_PROBLEM = new Set(['active', 'recurrence', 'relapse']);
const ACTIVE_MED = new Set(['active', 'on-hold']);

/**
 * The chart's lists from one revinclude search (Patient + its Conditions, MedicationRequests, allergies and
 * Coverage), filtered here: measured on the demo data this costs HAPI about a quarter of five separate
 * searches. Inactive rows travel too, which is fine for charts of normal size (HAPI caps includes at 1000).
 */
export function splitChartBundle(
  bundle: fhir4.Bundle,
): Omit<PatientSummary, 'vitals' | 'appointments' | 'patient'> & { patient?: fhir4.Patient } {
  const all = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is fhir4.FhirResource => !!r);
  const of = <K extends fhir4.FhirResource['resourceType']>(t: K) =>
    all.filter((r): r is Extract<fhir4.FhirResource, { resourceType: K }> => r.resourceType === t);
  const code = (cc?: fhir4.CodeableConcept) => cc?.coding?.[0]?.code ?? '';
  return {
    patient: of('Patient')[0],
    problems: of('Condition')
      .filter((c) => ACTIVE_PROBLEM.has(code(c.clinicalStatus)))
      .sort((a, b) => (b.recordedDate ?? b.onsetDateTime ?? '').localeCompare(a.recordedDate ?? a.onsetDateTime ?? '')),
    medications: of('MedicationRequest')
      .filter((m) => ACTIVE_MED.has(m.status))
      .sort((a, b) => (b.authoredOn ?? '').localeCompare(a.authoredOn ?? '')),
    // The banner lists allergies still asserted; "no known allergies" and "not recorded" are told apart by the state.
    allergies: activeAllergies(of('AllergyIntolerance')),
    allergyState: allergyRecordState(of('AllergyIntolerance')),
    coverage: of('Coverage').filter((c) => c.status === 'active'),
  };
}

/** One response for the chart header: three HAPI searches in parallel. */
export async function patientSummary(deps: Pick<AppDeps, 'fhir'>, id: string): Promise<PatientSummary> {
  const now = new Date().toISOString();
  const [chart, vitals, appointments] = await Promise.all([
    deps.fhir.search('Patient', {
      _id: id,
      _revinclude: [
        'Condition:patient',
        'MedicationRequest:patient',
        'AllergyIntolerance:patient',
        'Coverage:beneficiary',
      ],
    }),
    // Only what latestVitals reads: a third of the payload HAPI has to serialise.
    deps.fhir.searchResources('Observation', {
      patient: id,
      category: 'vital-signs',
      _sort: '-date',
      _count: 100,
      _elements: 'code,effective,value,component,issued',
    }),
    deps.fhir.searchResources('Appointment', {
      patient: id,
      date: `ge${now}`,
      status: 'proposed,pending,booked',
      _sort: 'date',
      _count: 10,
    }),
  ]);
  const { patient, ...lists } = splitChartBundle(chart);
  if (!patient) throw notFound('Patient', id);
  return { patient: toPatientView(patient), ...lists, vitals: latestVitals(vitals), appointments };
}
