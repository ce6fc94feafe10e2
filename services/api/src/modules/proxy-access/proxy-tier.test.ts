import { ageOn, grantState, localDay, parseBirthDate, type GrantFacts } from './proxy-tier';

const UTC = 'UTC';
const CHICAGO = 'America/Chicago';

function grant(birthDate: string | undefined, grantedAt: string, over: Partial<GrantFacts> = {}): GrantFacts {
  return { birthDate, grantedAt: new Date(grantedAt), validUntil: null, revokedAt: null, ...over };
}
const at = (iso: string) => new Date(iso);

describe('ageOn', () => {
  const birth = parseBirthDate('2014-06-15')!;
  it('counts a year completed on the birthday itself, not the day before', () => {
    expect(ageOn(birth, { y: 2026, m: 6, d: 14 })).toBe(11);
    expect(ageOn(birth, { y: 2026, m: 6, d: 15 })).toBe(12);
  });

  it('gives someone born on 29 February their birthday on 1 March in a common year', () => {
    const leap = parseBirthDate('2008-02-29')!;
    expect(ageOn(leap, { y: 2026, m: 2, d: 28 })).toBe(17);
    expect(ageOn(leap, { y: 2026, m: 3, d: 1 })).toBe(18);
    expect(ageOn(leap, { y: 2028, m: 2, d: 29 })).toBe(20);
  });
});

describe('parseBirthDate', () => {
  it('reads a partial date as its earliest day and refuses nonsense', () => {
    expect(parseBirthDate('2014')).toEqual({ y: 2014, m: 1, d: 1 });
    expect(parseBirthDate('2014-07')).toEqual({ y: 2014, m: 7, d: 1 });
    expect(parseBirthDate('2014-13-01')).toBeUndefined();
    expect(parseBirthDate('14/06/2014')).toBeUndefined();
  });
});

describe('localDay', () => {
  it('is the calendar day where the clinic is, not in UTC', () => {
    // 03:00 UTC on 15 June is still the evening of 14 June in Chicago.
    expect(localDay(at('2026-06-15T03:00:00Z'), CHICAGO)).toEqual({ y: 2026, m: 6, d: 14 });
    expect(localDay(at('2026-06-15T03:00:00Z'), UTC)).toEqual({ y: 2026, m: 6, d: 15 });
  });
});

describe('grantState by age', () => {
  const child = grant('2014-06-15', '2020-01-10T12:00:00Z');

  it('is full until the 12th birthday and limited from that day', () => {
    expect(grantState(child, at('2026-06-14T12:00:00Z'), UTC)).toEqual({ status: 'active', tier: 'full' });
    expect(grantState(child, at('2026-06-15T00:00:00Z'), UTC)).toEqual({ status: 'active', tier: 'limited' });
  });

  it('turns limited at the start of the birthday in the clinic time zone', () => {
    // 04:59 UTC on the birthday is 23:59 the day before in Chicago (CDT, UTC-5): still full there.
    expect(grantState(child, at('2026-06-15T04:59:00Z'), CHICAGO)).toEqual({ status: 'active', tier: 'full' });
    expect(grantState(child, at('2026-06-15T05:00:00Z'), CHICAGO)).toEqual({ status: 'active', tier: 'limited' });
  });

  it('is limited through the day before the 18th birthday and ends on it', () => {
    expect(grantState(child, at('2032-06-14T23:59:59Z'), UTC)).toEqual({ status: 'active', tier: 'limited' });
    expect(grantState(child, at('2032-06-15T00:00:00Z'), UTC)).toEqual({ status: 'aged-out' });
    expect(grantState(child, at('2040-01-01T00:00:00Z'), UTC)).toEqual({ status: 'aged-out' });
  });

  it('ends at 18 for a child born on 29 February on 1 March of a common year', () => {
    const leap = grant('2008-02-29', '2015-01-01T00:00:00Z');
    expect(grantState(leap, at('2026-02-28T23:00:00Z'), UTC)).toEqual({ status: 'active', tier: 'limited' });
    expect(grantState(leap, at('2026-03-01T00:00:00Z'), UTC)).toEqual({ status: 'aged-out' });
  });

  it('keeps a grant made on or after the 18th birthday full and not age-limited', () => {
    const regranted = grant('2008-06-15', '2026-06-15T00:00:00Z');
    expect(grantState(regranted, at('2026-06-16T00:00:00Z'), UTC)).toEqual({ status: 'active', tier: 'full' });
    expect(grantState(regranted, at('2060-01-01T00:00:00Z'), UTC)).toEqual({ status: 'active', tier: 'full' });
    const dayBefore = grant('2008-06-15', '2026-06-14T23:00:00Z');
    expect(grantState(dayBefore, at('2026-06-16T00:00:00Z'), UTC)).toEqual({ status: 'aged-out' });
  });

  it('treats an adult caregiver grant as full until revoked or its end date', () => {
    const adult = grant('1940-03-02', '2025-01-01T00:00:00Z', { validUntil: at('2027-01-01T00:00:00Z') });
    expect(grantState(adult, at('2026-12-31T23:59:59Z'), UTC)).toEqual({ status: 'active', tier: 'full' });
    expect(grantState(adult, at('2027-01-01T00:00:00Z'), UTC)).toEqual({ status: 'expired' });
  });

  it('reports revocation before expiry and age, from the moment it happened', () => {
    const g = grant('2014-06-15', '2020-01-10T12:00:00Z', {
      revokedAt: at('2026-01-01T00:00:00Z'),
      validUntil: at('2025-01-01T00:00:00Z'),
    });
    expect(grantState(g, at('2026-01-01T00:00:00Z'), UTC)).toEqual({ status: 'revoked' });
    expect(grantState(g, at('2025-12-31T00:00:00Z'), UTC)).toEqual({ status: 'expired' });
  });

  it('treats a chart without a birth date as an adult grant (full)', () => {
    expect(grantState(grant(undefined, '2020-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), UTC)).toEqual({
      status: 'active',
      tier: 'full',
    });
  });
});
