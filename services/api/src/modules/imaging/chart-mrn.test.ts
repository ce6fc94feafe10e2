import { mrnOf } from './imaging.service';

describe("the chart's MRN (what DICOM PatientID must carry)", () => {
  it('reads the MRN of registered and of seeded patients, never the SSN', () => {
    const ssn = { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-01-0001' };
    expect(
      mrnOf({ resourceType: 'Patient', identifier: [ssn, { system: 'urn:wintehr:mrn', value: 'MRN-0000018' }] }),
    ).toBe('MRN-0000018');
    expect(
      mrnOf({
        resourceType: 'Patient',
        identifier: [ssn, { system: 'urn:oid:2.16.840.1.113883.3.9999.1', value: 'MRN-000001' }],
      }),
    ).toBe('MRN-000001');
    expect(
      mrnOf({ resourceType: 'Patient', identifier: [ssn, { type: { coding: [{ code: 'MR' }] }, value: 'X-1' }] }),
    ).toBe('X-1');
    expect(mrnOf({ resourceType: 'Patient', identifier: [ssn] })).toBeUndefined();
  });
});
