import {
  compartmentPatients,
  inPatientCompartment,
  isCompartmentType,
  patientIdOfReference,
  referencesOtherPatient,
} from './compartment';

const A = 'pat-a';
const ref = (r: string) => ({ reference: r });

describe('patientIdOfReference', () => {
  test.each([
    ['Patient/pat-a', 'pat-a'],
    ['Patient/pat-a/_history/3', 'pat-a'],
    ['Patient/', undefined],
    ['http://evil/fhir/Patient/pat-a', undefined],
    ['urn:uuid:1234', undefined],
    ['#p1', undefined],
    ['Practitioner/pat-a', undefined],
    ['Patient/pat-a?x=1', undefined],
    [42, undefined],
  ])('%s → %s', (r, id) => expect(patientIdOfReference(r)).toBe(id));
});

describe('inPatientCompartment', () => {
  test.each([
    ['the patient itself', { resourceType: 'Patient', id: A }, true],
    ['another patient', { resourceType: 'Patient', id: 'pat-b' }, false],
    ['Patient without id', { resourceType: 'Patient' }, false],
    ['Observation.subject = A', { resourceType: 'Observation', subject: ref(`Patient/${A}`) }, true],
    [
      'Observation.subject = A (versioned)',
      { resourceType: 'Observation', subject: ref(`Patient/${A}/_history/2`) },
      true,
    ],
    ['Observation.subject = B', { resourceType: 'Observation', subject: ref('Patient/pat-b') }, false],
    [
      'Observation subject B, performer A (hardening)',
      { resourceType: 'Observation', subject: ref('Patient/pat-b'), performer: [ref(`Patient/${A}`)] },
      false,
    ],
    [
      'Observation subject Group, performer A',
      { resourceType: 'Observation', subject: ref('Group/g'), performer: [ref(`Patient/${A}`)] },
      true,
    ],
    ['Observation without subject', { resourceType: 'Observation', code: {} }, false],
    [
      'Observation subject absolute URL to A',
      { resourceType: 'Observation', subject: ref(`http://localhost:8080/fhir/Patient/${A}`) },
      false,
    ],
    ['Observation subject display only', { resourceType: 'Observation', subject: { display: 'A' } }, false],
    ['Condition.subject = A', { resourceType: 'Condition', subject: ref(`Patient/${A}`) }, true],
    ['Encounter.subject = B', { resourceType: 'Encounter', subject: ref('Patient/pat-b') }, false],
    ['MedicationRequest.subject = A', { resourceType: 'MedicationRequest', subject: ref(`Patient/${A}`) }, true],
    ['AllergyIntolerance.patient = A', { resourceType: 'AllergyIntolerance', patient: ref(`Patient/${A}`) }, true],
    ['Immunization.patient = B', { resourceType: 'Immunization', patient: ref('Patient/pat-b') }, false],
    ['Coverage.beneficiary = A', { resourceType: 'Coverage', beneficiary: ref(`Patient/${A}`) }, true],
    [
      'Procedure.performer.actor = A, no subject',
      { resourceType: 'Procedure', performer: [{ actor: ref(`Patient/${A}`) }] },
      true,
    ],
    [
      'CareTeam.participant.member = A, no subject',
      { resourceType: 'CareTeam', participant: [{ member: ref('Practitioner/x') }, { member: ref(`Patient/${A}`) }] },
      true,
    ],
    [
      'Appointment with A and B',
      { resourceType: 'Appointment', participant: [{ actor: ref(`Patient/${A}`) }, { actor: ref('Patient/pat-b') }] },
      false,
    ],
    ['Group with member A', { resourceType: 'Group', member: [{ entity: ref(`Patient/${A}`) }] }, true],
    ['Practitioner (not a compartment type)', { resourceType: 'Practitioner', id: 'x' }, false],
    ['Medication (not a compartment type)', { resourceType: 'Medication', id: 'x' }, false],
    ['unknown type', { resourceType: 'Foo', subject: ref(`Patient/${A}`) }, false],
    [
      'contained Medication is fine',
      {
        resourceType: 'MedicationRequest',
        subject: ref(`Patient/${A}`),
        contained: [{ resourceType: 'Medication', id: 'm' }],
      },
      true,
    ],
    [
      'contained Patient is refused',
      { resourceType: 'Observation', subject: ref(`Patient/${A}`), contained: [{ resourceType: 'Patient', id: 'p' }] },
      false,
    ],
    [
      'contained resource about B is refused',
      {
        resourceType: 'DiagnosticReport',
        subject: ref(`Patient/${A}`),
        contained: [{ resourceType: 'Observation', subject: ref('Patient/pat-b') }],
      },
      false,
    ],
    ['contained not an array', { resourceType: 'Observation', subject: ref(`Patient/${A}`), contained: {} }, false],
    ['undefined', undefined, false],
  ])('%s', (_name, resource, expected) => {
    expect(inPatientCompartment(resource as never, A)).toBe(expected);
  });
});

describe('compartmentPatients and referencesOtherPatient', () => {
  test('primary wins over other', () => {
    const r = { resourceType: 'Observation', subject: ref('Patient/b'), performer: [ref('Patient/a')] };
    expect(compartmentPatients(r)).toEqual(['b']);
    expect(referencesOtherPatient(r, 'b')).toBe(true);
    expect(referencesOtherPatient(r, 'c')).toBe(true);
  });
  test('no patient refs', () => {
    expect(compartmentPatients({ resourceType: 'Observation' })).toEqual([]);
    expect(referencesOtherPatient({ resourceType: 'Medication' }, 'a')).toBe(false);
  });
  test('isCompartmentType', () => {
    expect(isCompartmentType('Patient')).toBe(true);
    expect(isCompartmentType('Observation')).toBe(true);
    expect(isCompartmentType('Practitioner')).toBe(false);
  });
});
