/** A small chart in the real HAPI for the CDS and drug-safety integration tests (and the benchmark). */
import type { FhirClient } from '../../core/fhir/fhir-client';

export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const SIMVASTATIN_40 = '198211';
export const CLARITHROMYCIN_500 = '197517';
export const AMOXICILLIN_500 = '308192';
export const LISINOPRIL_10 = '314076';

export interface TestChart {
  patientId: string;
  simvastatinId: string;
  allergyId: string;
}

/** Patient (female, 60) on simvastatin, with a confirmed high-criticality penicillin allergy and a recent weight. */
export async function createTestChart(fhir: FhirClient, marker: string): Promise<TestChart> {
  const patient = await fhir.create<fhir4.Patient>({
    resourceType: 'Patient',
    active: true,
    gender: 'female',
    birthDate: `${new Date().getUTCFullYear() - 60}-01-15`,
    identifier: [{ system: 'urn:wintehr:mrn', value: `MRN-${marker}` }],
    name: [{ family: 'Cdstest', given: ['Pat'] }],
  });
  const subject = { reference: `Patient/${patient.id}` };
  const [med, allergy] = await Promise.all([
    fhir.create<fhir4.MedicationRequest>({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject,
      authoredOn: new Date().toISOString(),
      medicationCodeableConcept: {
        coding: [{ system: RXNORM, code: SIMVASTATIN_40, display: 'simvastatin 40 MG Oral Tablet' }],
      },
    }),
    fhir.create<fhir4.AllergyIntolerance>({
      resourceType: 'AllergyIntolerance',
      patient: subject,
      criticality: 'high',
      category: ['medication'],
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }],
      },
      verificationStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' },
        ],
      },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '91936005', display: 'Allergy to penicillin' }] },
    }),
    fhir.create<fhir4.Observation>({
      resourceType: 'Observation',
      status: 'final',
      subject,
      effectiveDateTime: new Date().toISOString(),
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
      valueQuantity: { value: 70, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    }),
  ]);
  return { patientId: patient.id!, simvastatinId: med.id!, allergyId: allergy.id! };
}

export function draftMedicationRequest(
  id: string,
  patientId: string,
  code: string,
  display: string,
): fhir4.MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: { coding: [{ system: RXNORM, code, display }] },
    dosageInstruction: [{ text: 'as directed' }],
  };
}

export function draftOrders(...resources: fhir4.FhirResource[]): fhir4.Bundle {
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}
