import { PastDate, PastDateTime, ageOn, isRealDate } from './dates';

describe('dates', () => {
  it('knows real calendar days, including leap years', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('2023-13-01')).toBe(false);
    expect(isRealDate('2023-04-31')).toBe(false);
    expect(isRealDate('23-04-01')).toBe(false);
  });
  it('computes age in whole years around the birthday', () => {
    const on = new Date('2026-05-17T12:00:00Z');
    expect(ageOn('1980-05-17', on)).toBe(46);
    expect(ageOn('1980-05-18', on)).toBe(45);
    expect(ageOn('2026-01-01', on)).toBe(0);
    expect(ageOn('nope', on)).toBeUndefined();
  });
  it('rejects future and impossible past dates', () => {
    expect(PastDate.safeParse('1980-05-17').success).toBe(true);
    expect(PastDate.safeParse('2999-01-01').success).toBe(false);
    expect(PastDate.safeParse('1980-02-30').success).toBe(false);
    expect(PastDate.safeParse('1850-01-01').success).toBe(false);
    expect(PastDateTime.safeParse('2020-01-01T10:00:00Z').success).toBe(true);
    expect(PastDateTime.safeParse('2999-01-01T10:00:00Z').success).toBe(false);
  });
});
