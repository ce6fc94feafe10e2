/** Prefetch templates shared by the services, built from the same search parameters the business API uses. */
import { SAFETY_QUERIES } from '../../drug-safety/patient-safety-context';
import { prefetchQuery } from '../prefetch-template';

const P = '{{context.patientId}}';

/** What the medication-safety engine needs from the chart (keys match SafetyBundles). */
export const SAFETY_PREFETCH = {
  patient: `Patient/${P}`,
  medicationRequests: prefetchQuery('MedicationRequest', { patient: P, ...SAFETY_QUERIES.medicationRequests }),
  medicationStatements: prefetchQuery('MedicationStatement', { patient: P, ...SAFETY_QUERIES.medicationStatements }),
  allergies: prefetchQuery('AllergyIntolerance', { patient: P, ...SAFETY_QUERIES.allergies }),
  observations: prefetchQuery('Observation', { patient: P, ...SAFETY_QUERIES.observations }),
} as const;
export const SAFETY_KEYS = Object.keys(SAFETY_PREFETCH) as (keyof typeof SAFETY_PREFETCH)[];

export const SERVICE_REQUEST_PREFETCH = {
  serviceRequests: prefetchQuery('ServiceRequest', {
    patient: P,
    status: 'active,completed,on-hold',
    _sort: '-authored',
    _count: 100,
  }),
} as const;

export const PATIENT_VIEW_PREFETCH = {
  patient: SAFETY_PREFETCH.patient,
  medicationRequests: SAFETY_PREFETCH.medicationRequests,
  medicationStatements: SAFETY_PREFETCH.medicationStatements,
  allergies: SAFETY_PREFETCH.allergies,
  // R4 defines no Observation `interpretation` search parameter, so recent results are fetched and filtered here.
  recentResults: prefetchQuery('Observation', {
    patient: P,
    category: 'laboratory,vital-signs',
    _sort: '-date',
    _count: 100,
  }),
  conditions: prefetchQuery('Condition', { patient: P, 'clinical-status': 'active', _count: 200 }),
  procedures: prefetchQuery('Procedure', { patient: P, status: 'completed', _sort: '-date', _count: 100 }),
  screeningObservations: prefetchQuery('Observation', {
    patient: P,
    _sort: '-date',
    _count: 50,
    code: [
      '4548-4',
      '17856-6',
      '4549-2',
      '59261-8',
      '41995-2',
      '29771-3',
      '57905-2',
      '56490-6',
      '56491-4',
      '2335-8',
      '27396-1',
      '77353-1',
      '77354-9',
    ]
      .map((c) => `http://loinc.org|${c}`)
      .join(','),
  }),
  diagnosticReports: prefetchQuery('DiagnosticReport', { patient: P, _sort: '-date', _count: 100 }),
  immunizations: prefetchQuery('Immunization', { patient: P, _sort: '-date', _count: 100 }),
} as const;
