import { formatMrn, isGeneratedMrn, luhnCheckDigit, mrnOf } from './mrn';

describe('MRN generation', () => {
  it('pads to six digits and appends a Luhn check digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(formatMrn(100000)).toBe(`MRN-100000${luhnCheckDigit('100000')}`);
    expect(formatMrn(42)).toMatch(/^MRN-000042\d$/);
    expect(formatMrn('12345678')).toMatch(/^MRN-12345678\d$/);
  });
  it('gives distinct numbers for distinct sequence values', () => {
    const seen = new Set(Array.from({ length: 1000 }, (_, i) => formatMrn(100000 + i)));
    expect(seen.size).toBe(1000);
  });
  it('detects a single mistyped digit', () => {
    const mrn = formatMrn(123456);
    expect(isGeneratedMrn(mrn)).toBe(true);
    const wrong = mrn.slice(0, 5) + String((Number(mrn[5]) + 1) % 10) + mrn.slice(6);
    expect(isGeneratedMrn(wrong)).toBe(false);
    expect(isGeneratedMrn('MRN-12')).toBe(false);
  });
  it('rejects a non-integer sequence', () => {
    expect(() => formatMrn(-1)).toThrow(TypeError);
  });
  it('reads our MRN or an MR-typed identifier', () => {
    expect(
      mrnOf({
        resourceType: 'Patient',
        identifier: [
          { system: 'x', value: 'no' },
          { system: 'urn:wintehr:mrn', value: 'MRN-1' },
        ],
      }),
    ).toBe('MRN-1');
    expect(
      mrnOf({
        resourceType: 'Patient',
        identifier: [{ type: { coding: [{ code: 'MR' }] }, system: 'urn:oid:1', value: 'MRN-000003' }],
      }),
    ).toBe('MRN-000003');
    expect(mrnOf({ resourceType: 'Patient' })).toBeUndefined();
  });
});
