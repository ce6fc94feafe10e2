import { clinicSlots, localInstant, slotKey, slotsToCreate, type ClinicHours } from './slot-plan';

const at = (s: string) => new Date(s);

describe('clinic slots', () => {
  it('a UTC weekday gives 9 morning and 12 afternoon 20-minute slots, none over lunch', () => {
    // Friday 4 Dec 2026, before opening.
    const slots = clinicSlots({ now: at('2026-12-04T06:00:00Z'), days: 1, timeZone: 'UTC' });
    expect(slots).toHaveLength(21);
    expect(slots[0]!.start.toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(slots[0]!.end.toISOString()).toBe('2026-12-04T09:20:00.000Z');
    expect(slots.map((s) => s.start.toISOString())).not.toContain('2026-12-04T12:00:00.000Z');
    expect(slots[slots.length - 1]!.end.toISOString()).toBe('2026-12-04T17:00:00.000Z');
  });

  it('skips the weekend and times already past today', () => {
    const slots = clinicSlots({ now: at('2026-12-04T16:10:00Z'), days: 4, timeZone: 'UTC' });
    const days = new Set(slots.map((s) => s.start.toISOString().slice(0, 10)));
    expect([...days]).toEqual(['2026-12-04', '2026-12-07']);
    expect(slots[0]!.start.toISOString()).toBe('2026-12-04T16:20:00.000Z');
  });

  it('works in the clinic time zone, across a DST change', () => {
    // Chicago: 09:00 local is 15:00 UTC in winter and 14:00 UTC after DST starts (Sunday 8 March 2026).
    const before = clinicSlots({ now: at('2026-03-06T12:00:00Z'), days: 1, timeZone: 'America/Chicago' });
    const after = clinicSlots({ now: at('2026-03-09T12:00:00Z'), days: 1, timeZone: 'America/Chicago' });
    expect(before[0]!.start.toISOString()).toBe('2026-03-06T15:00:00.000Z');
    expect(after[0]!.start.toISOString()).toBe('2026-03-09T14:00:00.000Z');
    expect(localInstant('2026-07-01', 13 * 60, 'America/Chicago').toISOString()).toBe('2026-07-01T18:00:00.000Z');
  });

  it('honours custom hours and refuses a bad time', () => {
    const hours: ClinicHours = { weekdays: [6], sessions: [{ start: '10:00', end: '11:00' }], slotMinutes: 30 };
    expect(clinicSlots({ now: at('2026-12-04T00:00:00Z'), days: 2, timeZone: 'UTC', hours })).toHaveLength(2);
    const bad: ClinicHours = { ...hours, sessions: [{ start: '25:00', end: '26:00' }] };
    expect(() => clinicSlots({ now: at('2026-12-04T00:00:00Z'), days: 2, timeZone: 'UTC', hours: bad })).toThrow(
      RangeError,
    );
  });
});

describe('slots to create', () => {
  const wanted = clinicSlots({ now: at('2026-12-04T06:00:00Z'), days: 1, timeZone: 'UTC' });

  it('leaves out times overlapping a booked appointment or an existing slot', () => {
    const taken = [
      // a 40-minute visit at 10:30 covers the 10:20, 10:40 and 11:00 slots' overlap (10:20-10:40, 10:40-11:00, …)
      { start: at('2026-12-04T10:30:00Z'), end: at('2026-12-04T11:10:00Z') },
      { start: at('2026-12-04T09:00:00Z'), end: at('2026-12-04T09:20:00Z') },
    ];
    const left = slotsToCreate(wanted, taken).map((s) => s.start.toISOString().slice(11, 16));
    expect(left).not.toContain('09:00');
    expect(left).not.toContain('10:20');
    expect(left).not.toContain('10:40');
    expect(left).not.toContain('11:00');
    expect(left).toContain('09:20');
    expect(left).toContain('10:00');
    expect(left).toContain('11:20');
    expect(left).toHaveLength(wanted.length - 4);
  });

  it('a second run over the same horizon creates nothing', () => {
    expect(slotsToCreate(wanted, wanted)).toEqual([]);
  });

  it('keys a slot by schedule and start', () => {
    expect(slotKey('42', at('2026-12-04T09:00:00Z'))).toBe('42-2026-12-04T09:00:00Z');
  });
});
