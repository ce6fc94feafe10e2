/**
 * An in-memory chart as prefetch data (every key any service asks for) and draft orders, rich enough that every
 * rule has something to read: active medications (coded, by reference, contained), a coded allergy, weight and
 * creatinine, a recent lab order, an unacknowledged critical result and preventive-care evidence.
 */
import type { PrefetchData } from './cds-types';

export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const FIXTURE_NOW = new Date('2026-03-10T12:00:00Z');
const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const subject = { reference: 'Patient/p1' };

export const bundle = (...resources: fhir4.FhirResource[]): fhir4.Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource })),
});
const med = (id: string, code: string): fhir4.MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'active',
  intent: 'order',
  subject,
  medicationCodeableConcept: { coding: [{ system: RXNORM, code }] },
});

export function fixtureChart(): Record<string, fhir4.FhirResource> {
  return {
    patient: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1966-01-15' },
    // simvastatin, amoxicillin (conflicts with the penicillin allergy), and a Medication included by the search
    medicationRequests: bundle(med('m1', '198211'), med('m2', '308192'), {
      resourceType: 'Medication',
      id: 'x',
      code: { coding: [{ system: RXNORM, code: '314076' }] },
    }),
    medicationStatements: bundle({
      resourceType: 'MedicationStatement',
      id: 's1',
      status: 'active',
      subject,
      medicationReference: { reference: 'Medication/x' },
    }),
    allergies: bundle({
      resourceType: 'AllergyIntolerance',
      id: 'a1',
      patient: subject,
      criticality: 'high',
      category: ['medication'],
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      clinicalStatus: { coding: [{ code: 'active' }] },
      code: { coding: [{ system: SNOMED, code: '91936005', display: 'Allergy to penicillin' }], text: 'penicillin' },
    }),
    observations: bundle(
      {
        resourceType: 'Observation',
        id: 'w',
        status: 'final',
        code: { coding: [{ system: LOINC, code: '29463-7' }] },
        effectiveDateTime: '2026-01-01',
        valueQuantity: { value: 70, unit: 'kg', code: 'kg' },
      },
      {
        resourceType: 'Observation',
        id: 'cr',
        status: 'final',
        code: { coding: [{ system: LOINC, code: '2160-0' }] },
        effectivePeriod: { start: '2026-01-01' },
        valueQuantity: { value: 1.2, unit: 'mg/dL' },
      },
    ),
    serviceRequests: bundle({
      resourceType: 'ServiceRequest',
      id: 'sr1',
      status: 'active',
      intent: 'order',
      subject,
      authoredOn: '2026-03-10T08:00:00Z',
      category: [{ coding: [{ system: SNOMED, code: '108252007' }] }],
      code: { coding: [{ system: LOINC, code: '2345-7', display: 'Glucose' }], text: 'Glucose' },
    }),
    recentResults: bundle({
      resourceType: 'Observation',
      id: 'o1',
      status: 'final',
      subject,
      effectiveDateTime: '2026-03-09T10:00:00Z',
      code: { coding: [{ system: LOINC, code: '2823-3' }], text: 'Potassium' },
      valueQuantity: { value: 6.9, unit: 'mmol/L' },
      interpretation: [
        {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'HH' }],
          text: 'critical high',
        },
      ],
      extension: [{ url: 'http://example.org/other-extension', valueString: 'x' }],
    }),
    conditions: bundle({
      resourceType: 'Condition',
      id: 'c1',
      subject,
      code: { coding: [{ system: SNOMED, code: '44054006' }] },
    }),
    procedures: bundle({
      resourceType: 'Procedure',
      id: 'pr',
      status: 'completed',
      subject,
      code: { coding: [{ system: SNOMED, code: '73761001' }] },
      performedDateTime: '2020-01-01',
    }),
    screeningObservations: bundle({
      resourceType: 'Observation',
      id: 'a1c',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '4548-4' }] },
      effectiveDateTime: '2025-01-01',
    }),
    diagnosticReports: bundle({
      resourceType: 'DiagnosticReport',
      id: 'dr',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '24606-6' }] },
      effectiveDateTime: '2025-01-01',
    }),
    immunizations: bundle({
      resourceType: 'Immunization',
      id: 'im',
      status: 'completed',
      patient: subject,
      vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '150' }] },
      occurrenceDateTime: '2025-10-01',
    }),
  };
}

/** Draft clarithromycin (interacts with simvastatin), amoxicillin as a contained Medication, and a repeat glucose. */
export function fixtureDrafts(): fhir4.Bundle {
  return bundle(
    {
      resourceType: 'MedicationRequest',
      id: 'd1',
      status: 'draft',
      intent: 'order',
      subject,
      medicationCodeableConcept: {
        coding: [{ system: RXNORM, code: '197517', display: 'clarithromycin 500 MG Oral Tablet' }],
        text: 'clarithromycin',
      },
      dosageInstruction: [{ text: 'twice daily' }],
    },
    {
      resourceType: 'MedicationRequest',
      id: 'd3',
      status: 'draft',
      intent: 'order',
      subject,
      medicationReference: { reference: '#m' },
      contained: [{ resourceType: 'Medication', id: 'm', code: { coding: [{ system: RXNORM, code: '308192' }] } }],
    },
    {
      resourceType: 'ServiceRequest',
      id: 'd2',
      status: 'draft',
      intent: 'order',
      subject,
      category: [{ coding: [{ system: SNOMED, code: '108252007' }] }],
      code: { coding: [{ system: LOINC, code: '2345-7' }] },
    },
  );
}

export function prefetchData(values: Readonly<Record<string, unknown>>, keys: readonly string[]): PrefetchData {
  return { values: new Map(keys.map((k) => [k, (values[k] ?? null) as fhir4.FhirResource | null])), failed: new Map() };
}
