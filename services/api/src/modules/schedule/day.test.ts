import { addDays, dayAfter, localDate, localDayRange, zoneOffsetMs } from './day';

describe('local days', () => {
  it('a UTC day is midnight to midnight', () => {
    const r = localDayRange('2026-12-04', 'UTC');
    expect(r.start.toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(r.end.toISOString()).toBe('2026-12-05T00:00:00.000Z');
  });

  it('a Chicago winter day starts at 06:00 UTC, a summer day at 05:00', () => {
    expect(localDayRange('2026-12-04', 'America/Chicago').start.toISOString()).toBe('2026-12-04T06:00:00.000Z');
    expect(localDayRange('2026-07-04', 'America/Chicago').start.toISOString()).toBe('2026-07-04T05:00:00.000Z');
  });

  it('the day DST starts has 23 hours, the day it ends 25', () => {
    const spring = localDayRange('2026-03-08', 'America/Chicago');
    expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(23);
    const fall = localDayRange('2026-11-01', 'America/Chicago');
    expect((fall.end.getTime() - fall.start.getTime()) / 3_600_000).toBe(25);
  });

  it('the local date of an instant depends on the zone', () => {
    const at = new Date('2026-12-05T03:30:00Z');
    expect(localDate(at, 'UTC')).toBe('2026-12-05');
    expect(localDate(at, 'America/Chicago')).toBe('2026-12-04');
    expect(localDate(at, 'Asia/Tokyo')).toBe('2026-12-05');
    expect(zoneOffsetMs(at, 'Asia/Tokyo')).toBe(9 * 3_600_000);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it("the batch's tomorrow is the clinic's: at 02:00 in Chicago (08:00 UTC) on the 4th it is the 5th", () => {
    expect(dayAfter(new Date('2026-12-04T08:00:00Z'), 'America/Chicago')).toBe('2026-12-05');
    // 03:00 UTC on the 5th is still the evening of the 4th in Chicago.
    expect(dayAfter(new Date('2026-12-05T03:00:00Z'), 'America/Chicago')).toBe('2026-12-05');
    expect(dayAfter(new Date('2026-12-05T03:00:00Z'), 'UTC')).toBe('2026-12-06');
  });
});
