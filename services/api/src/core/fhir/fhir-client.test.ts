import { toQueryString, versionFromEtag } from './fhir-client';

describe('toQueryString', () => {
  it('repeats keys for arrays, skips undefined and encodes values', () => {
    expect(
      toQueryString({ patient: '123', date: ['ge2020-01-01', 'le2020-12-31'], code: undefined, name: 'O Brien&co' }),
    ).toBe('?patient=123&date=ge2020-01-01&date=le2020-12-31&name=O+Brien%26co');
  });
  it('is empty without parameters', () => {
    expect(toQueryString({})).toBe('');
    expect(toQueryString(undefined)).toBe('');
  });
});

describe('versionFromEtag', () => {
  it('reads weak and strong ETags', () => {
    expect(versionFromEtag('W/"3"')).toBe('3');
    expect(versionFromEtag('"12"')).toBe('12');
    expect(versionFromEtag('nonsense')).toBeUndefined();
  });
});
