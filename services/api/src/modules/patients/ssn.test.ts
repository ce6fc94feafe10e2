import { normalizeSsn } from '@wintehr/contracts';
import { maskPatientSsn, maskSsn } from './ssn';

describe('SSN handling', () => {
  it('normalises valid numbers and rejects impossible ones', () => {
    expect(normalizeSsn('123456789')).toBe('123-45-6789');
    expect(normalizeSsn(' 123-45-6789 ')).toBe('123-45-6789');
    expect(normalizeSsn('000-12-3456')).toBeUndefined();
    expect(normalizeSsn('666-12-3456')).toBeUndefined();
    expect(normalizeSsn('123-00-3456')).toBeUndefined();
    expect(normalizeSsn('123-45-0000')).toBeUndefined();
    expect(normalizeSsn('12-345-6789')).toBeUndefined();
    expect(normalizeSsn('999-34-0002')).toBeUndefined();
    expect(normalizeSsn('999-34-0002', true)).toBe('999-34-0002');
  });
  it('masks all but the last four digits', () => {
    expect(maskSsn('123-45-6789')).toBe('***-**-6789');
    expect(maskSsn('12')).toBe('***-**-****');
    expect(maskSsn(undefined)).toBeUndefined();
  });
  it('masks every SSN identifier of a Patient, by system or by SS type, and nothing else', () => {
    const p: fhir4.Patient = {
      resourceType: 'Patient',
      identifier: [
        { system: 'urn:wintehr:mrn', value: 'MRN-1000001' },
        { system: 'http://hl7.org/fhir/sid/us-ssn', value: '123-45-6789' },
        { type: { coding: [{ code: 'SS' }] }, system: 'urn:other', value: '987654321' },
      ],
    };
    const masked = maskPatientSsn(p);
    expect(masked.identifier!.map((i) => i.value)).toEqual(['MRN-1000001', '***-**-6789', '***-**-4321']);
    expect(JSON.stringify(masked)).not.toContain('6789"'.replace('"', '-')); // sanity: no full number
    expect(JSON.stringify(masked)).not.toContain('123-45');
    expect(p.identifier![1]!.value).toBe('123-45-6789'); // input untouched
  });
});
