import { searchDrugs } from './search';
import { kb } from './test-helpers.test-util';

const names = (q: string, n = 5) => searchDrugs(kb(), q, n).map((h) => `${h.tty} ${h.name}`);

describe('searchDrugs', () => {
  it('ranks the exact ingredient first', () => {
    const [top] = searchDrugs(kb(), 'simvastatin', 5);
    expect(top).toMatchObject({
      rxcui: '36567',
      tty: 'IN',
      score: 1000,
      ingredients: [{ rxcui: '36567', name: 'simvastatin' }],
    });
  });

  it('finds brand names, case-insensitively', () => {
    const hits = searchDrugs(kb(), 'ZOCOR', 5);
    expect(hits[0]).toMatchObject({ tty: 'BN', name: 'Zocor', rxcui: '196503' });
    expect(hits.slice(1).every((h) => h.brand === 'Zocor')).toBe(true);
  });

  it('matches word prefixes and partial names', () => {
    expect(names('simva')[0]).toBe('IN simvastatin');
    expect(names('amlo', 3)).toEqual([
      'IN amlodipine',
      'SCD amlodipine 5 MG Oral Tablet',
      'SCD amlodipine 10 MG Oral Tablet',
    ]);
    expect(names('metformin 500', 3)[0]).toBe('SCD metformin hydrochloride 500 MG Oral Tablet');
    expect(
      names('lisinopril hydrochlorothiazide', 20).every((n) => /lisinopril/.test(n) && /hydrochlorothiazide/.test(n)),
    ).toBe(true);
  });

  it('falls back to substring matches inside words', () => {
    const hits = names('vastatin', 10);
    expect(hits.some((n) => n.includes('simvastatin'))).toBe(true);
    expect(hits.some((n) => n.includes('pravastatin'))).toBe(true);
  });

  it('respects the limit and ignores empty queries', () => {
    expect(searchDrugs(kb(), 'a', 7)).toHaveLength(7);
    expect(searchDrugs(kb(), '   ', 10)).toEqual([]);
    expect(searchDrugs(kb(), 'zzzzqqq', 10)).toEqual([]);
  });
});
