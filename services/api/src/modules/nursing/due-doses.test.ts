import { dueTimes, isPrn } from './due-doses';

const DAY = '2026-03-10';
const at = (...hours: string[]) => hours.map((h) => `${DAY}T${h}:00.000Z`);
const every = (frequency: number, period: number, periodUnit: 'h' | 'd' | 'wk', extra = {}): fhir4.Dosage => ({
  timing: { repeat: { frequency, period, periodUnit, ...extra } },
});

describe('due doses from a dosage timing', () => {
  it('q6h falls due at 00, 06, 12 and 18', () => {
    expect(dueTimes(every(1, 6, 'h'), DAY)).toEqual(at('00:00', '06:00', '12:00', '18:00'));
    expect(dueTimes({ timing: { code: { coding: [{ code: 'Q6H' }] } } }, DAY)).toEqual(
      at('00:00', '06:00', '12:00', '18:00'),
    );
  });
  it('BID, TID and daily use the standard administration times', () => {
    expect(dueTimes(every(2, 1, 'd'), DAY)).toEqual(at('09:00', '21:00'));
    expect(dueTimes(every(3, 1, 'd'), DAY)).toEqual(at('08:00', '14:00', '20:00'));
    expect(dueTimes(every(1, 1, 'd'), DAY)).toEqual(at('09:00'));
    expect(dueTimes({ timing: { code: { coding: [{ code: 'BID' }] } } }, DAY)).toEqual(at('09:00', '21:00'));
  });
  it('daily at given times follows timeOfDay', () => {
    expect(dueTimes(every(2, 1, 'd', { timeOfDay: ['07:30:00', '19:30:00'] }), DAY)).toEqual(at('07:30', '19:30'));
  });
  it('an as-needed (PRN) dose is never due, even with a frequency', () => {
    expect(dueTimes({ ...every(1, 4, 'h'), asNeededBoolean: true }, DAY)).toEqual([]);
    expect(dueTimes({ ...every(1, 4, 'h'), asNeededCodeableConcept: { text: 'pain' } }, DAY)).toEqual([]);
    expect(isPrn({ asNeededBoolean: false })).toBe(false);
  });
  it('every other day counts from the start of the bounds', () => {
    const eod = every(1, 2, 'd', { boundsPeriod: { start: '2026-03-08' } });
    expect(dueTimes(eod, DAY)).toEqual(at('09:00'));
    expect(dueTimes(eod, '2026-03-11')).toEqual([]);
  });
  it('the bounds cut the schedule (an order started at noon, one that ends at 10:00)', () => {
    expect(dueTimes(every(1, 6, 'h', { boundsPeriod: { start: `${DAY}T12:00:00Z` } }), DAY)).toEqual(
      at('12:00', '18:00'),
    );
    expect(dueTimes(every(2, 1, 'd', { boundsPeriod: { end: `${DAY}T10:00:00Z` } }), DAY)).toEqual(at('09:00'));
  });
  it('no timing, no schedule', () => {
    expect(dueTimes({ text: 'take as directed' }, DAY)).toEqual([]);
    expect(dueTimes(undefined, DAY)).toEqual([]);
  });
});
