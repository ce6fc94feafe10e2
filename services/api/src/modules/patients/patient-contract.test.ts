import { PatientEverything, PatientView, RegisterPatientBody, fhirBundle, fhirResource } from '@wintehr/contracts';

/** The wire contract the patient routes answer with: light FHIR checks that pass HAPI's elements through. */
describe('patient contract', () => {
  const patient = {
    resourceType: 'Patient',
    id: 'p1',
    birthDate: '1970-01-01',
    extension: [{ url: 'urn:x', valueString: 'kept' }],
  };

  it('checks the resource type and id of a FHIR resource and keeps every other element', () => {
    expect(fhirResource('Patient').parse(patient)).toEqual(patient);
    expect(fhirResource('Patient').safeParse({ ...patient, id: undefined }).success).toBe(false);
    expect(fhirResource('Condition').safeParse(patient).success).toBe(false);
  });

  it('checks each Bundle entry against the entry schema when one is given', () => {
    const bundle = (resource: object) => ({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ fullUrl: 'x', resource }],
    });
    expect(fhirBundle(fhirResource('Patient')).safeParse(bundle(patient)).success).toBe(true);
    expect(fhirBundle(fhirResource('Patient')).safeParse(bundle({ resourceType: 'Condition', id: 'c1' })).success).toBe(
      false,
    );
    expect(PatientEverything.safeParse(bundle({ resourceType: 'Condition', id: 'c1' })).success).toBe(true);
    expect(PatientEverything.safeParse({ resourceType: 'Patient', id: 'p1' }).success).toBe(false);
  });

  it('lets only a masked SSN leave the API', () => {
    const view = { id: 'p1', active: true, name: { given: ['Ann'], text: 'Ann' }, resource: patient };
    expect(PatientView.safeParse({ ...view, ssn: '***-**-6789' }).success).toBe(true);
    expect(PatientView.safeParse({ ...view, ssn: '123-45-6789' }).success).toBe(false);
  });

  it('normalises the SSN of a registration and refuses numbers never issued', () => {
    const body = { name: { family: 'Doe', given: ['Ann'] }, birthDate: '1970-01-01', gender: 'female' };
    expect(RegisterPatientBody.parse({ ...body, ssn: '123456789' }).ssn).toBe('123-45-6789');
    expect(RegisterPatientBody.safeParse({ ...body, ssn: '666-12-3456' }).success).toBe(false);
  });
});
