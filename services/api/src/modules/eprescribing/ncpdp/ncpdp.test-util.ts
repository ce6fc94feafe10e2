import { FHIR_SYSTEMS } from './codes';

/** FHIR fixtures for the SCRIPT tests: a complete, valid prescription that each test varies. */
export const VALID_NPI = '1234567893';
export const VALID_DEA = 'AB1234563';

export function fhirFixture() {
  const patient: fhir4.Patient = {
    resourceType: 'Patient',
    id: 'p1',
    gender: 'female',
    birthDate: '1980-05-17',
    name: [{ use: 'official', family: "O'Neil & Sons", given: ['Jane', 'Q'] }],
    address: [
      { use: 'home', line: ['12 Main St', 'Apt 4'], city: 'Springfield', state: 'il', postalCode: '62701-1234' },
    ],
    telecom: [{ system: 'phone', value: '(217) 555-0101' }],
  };
  const practitioner: fhir4.Practitioner = {
    resourceType: 'Practitioner',
    id: 'pr1',
    name: [{ family: 'Wilson', given: ['Gregory'] }],
    identifier: [{ system: FHIR_SYSTEMS.npi, value: VALID_NPI }],
    address: [{ use: 'work', line: ['1 Clinic Way'], city: 'Springfield', state: 'IL', postalCode: '62702' }],
    telecom: [{ system: 'phone', use: 'work', value: '2175550199' }],
  };
  const pharmacy: fhir4.Organization = {
    resourceType: 'Organization',
    id: 'org1',
    name: 'Elm Street Pharmacy',
    identifier: [{ system: FHIR_SYSTEMS.ncpdp, value: '0999017' }],
    address: [{ line: ['5 Elm St'], city: 'Springfield', state: 'IL', postalCode: '62703' }],
    telecom: [{ system: 'phone', value: '217-555-0123' }],
  };
  const medicationRequest: fhir4.MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: 'mr1',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    requester: { reference: 'Practitioner/pr1' },
    authoredOn: '2026-11-23T10:15:00Z',
    medicationCodeableConcept: {
      text: 'Lisinopril 10 MG Oral Tablet',
      coding: [
        { system: FHIR_SYSTEMS.rxnorm, code: '314076' },
        { system: FHIR_SYSTEMS.ndc, code: '00093-1111-01' },
      ],
    },
    dosageInstruction: [{ text: 'Take 1 tablet by mouth once daily' }],
    dispenseRequest: {
      quantity: { value: 30, unit: 'tablet' },
      numberOfRepeatsAllowed: 3,
      expectedSupplyDuration: { value: 30, unit: 'days', code: 'd' },
      performer: { reference: 'Organization/org1' },
    },
    substitution: { allowedBoolean: true },
  };
  return { patient, practitioner, pharmacy, medicationRequest };
}
