import { toFhirPatient, toPatientView } from './patient-mapping';

const demo = {
  name: { family: 'Reddy', given: ['Carmen'] },
  birthDate: '1961-11-22',
  gender: 'female' as const,
  phone: '(410) 555-0151',
  ssn: '123-45-6789',
  address: { line: ['1 Main St'], city: 'Baltimore', state: 'MD', postalCode: '21201', country: 'US' },
};

describe('patient mapping', () => {
  it('builds a Patient with the MRN and the SSN only as identifiers', () => {
    const p = toFhirPatient(demo, { mrn: 'MRN-1000001' });
    expect(p.identifier).toEqual([
      expect.objectContaining({ system: 'urn:wintehr:mrn', value: 'MRN-1000001' }),
      expect.objectContaining({ system: 'http://hl7.org/fhir/sid/us-ssn', value: '123-45-6789' }),
    ]);
    expect(p.name![0]!.text).toBe('Carmen Reddy');
    expect(p.telecom![0]!.value).toBe('(410) 555-0151');
  });
  it('keeps the MRN and foreign data on update and replaces the SSN only when given', () => {
    const existing: fhir4.Patient = {
      ...toFhirPatient(demo, { mrn: 'MRN-1000001' }),
      id: 'p1',
      generalPractitioner: [{ reference: 'Practitioner/1' }],
    };
    const noSsn = toFhirPatient({ ...demo, ssn: undefined, phone: undefined }, { existing });
    expect(noSsn.identifier!.map((i) => i.value)).toEqual(['MRN-1000001', '123-45-6789']);
    expect(noSsn.generalPractitioner).toHaveLength(1);
    expect(noSsn.telecom).toBeUndefined();
    const newSsn = toFhirPatient({ ...demo, ssn: '223-45-6789' }, { existing });
    expect(newSsn.identifier!.map((i) => i.value)).toEqual(['MRN-1000001', '223-45-6789']);
  });
  it('shows the SSN masked everywhere in the view, with the age', () => {
    const p = { ...toFhirPatient(demo, { mrn: 'MRN-1000001' }), id: 'p1', meta: { versionId: '3' } };
    const v = toPatientView(p, new Date('2026-11-23T00:00:00Z'));
    expect(v.ssn).toBe('***-**-6789');
    expect(v.age).toBe(65);
    expect(v.version).toBe('3');
    expect(v.mrn).toBe('MRN-1000001');
    expect(JSON.stringify(v)).not.toContain('123-45-6789');
  });
});
