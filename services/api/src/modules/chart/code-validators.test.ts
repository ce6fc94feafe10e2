import { isCvx, isIcd10Cm, isLoinc, isRxcui, isSnomedConceptId, verhoeffValid } from '@wintehr/contracts';

describe('code validators', () => {
  it('accepts real SNOMED concept ids and rejects a wrong check digit or a description id', () => {
    for (const c of ['38341003', '44054006', '195967001', '91936005', '39579001', '271807003', '73211009'])
      expect(isSnomedConceptId(c)).toBe(true);
    expect(isSnomedConceptId('38341004')).toBe(false);
    expect(isSnomedConceptId('012345')).toBe(false);
    expect(verhoeffValid('2363')).toBe(true);
  });
  it('checks LOINC check digits', () => {
    for (const c of [
      '8867-4',
      '85354-9',
      '8480-6',
      '8462-4',
      '9279-1',
      '8310-5',
      '59408-5',
      '29463-7',
      '8302-2',
      '39156-5',
      '2345-7',
      '11506-3',
    ])
      expect(isLoinc(c)).toBe(true);
    expect(isLoinc('8867-5')).toBe(false);
    expect(isLoinc('8867')).toBe(false);
  });
  it('checks ICD-10-CM, RxNorm and CVX syntax', () => {
    expect(isIcd10Cm('I10')).toBe(true);
    expect(isIcd10Cm('E11.9')).toBe(true);
    expect(isIcd10Cm('U07.1')).toBe(true);
    expect(isIcd10Cm('11.9')).toBe(false);
    expect(isIcd10Cm('E11.')).toBe(false);
    expect(isRxcui('7980')).toBe(true);
    expect(isRxcui('0798')).toBe(false);
    expect(isCvx('140')).toBe(true);
    expect(isCvx('0')).toBe(false);
    expect(isCvx('1400')).toBe(false);
  });
});
