import { AppError } from '../../core/errors';
import { assertBookingAllowed, assertChangeable, changeable, slotBookable } from './booking-rules';

const policy = { maxUpcoming: 2, cancelCutoffHours: 2 };
const now = new Date('2026-12-04T10:00:00Z');

const errorOf = (fn: () => void): AppError => {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('did not throw');
};

describe('cancellation window', () => {
  it('a booked visit more than the cut-off ahead may change; closer, or not booked, may not', () => {
    expect(changeable({ status: 'booked', start: '2026-12-04T12:00:00Z' }, policy, now)).toBe(true);
    expect(changeable({ status: 'booked', start: '2026-12-04T11:59:00Z' }, policy, now)).toBe(false);
    expect(changeable({ status: 'cancelled', start: '2026-12-05T12:00:00Z' }, policy, now)).toBe(false);
    expect(changeable({ status: 'booked' }, policy, now)).toBe(false);
  });

  it('too close → 422 naming the cut-off; not booked → 409', () => {
    const late = errorOf(() =>
      assertChangeable({ status: 'booked', start: '2026-12-04T11:00:00Z' }, policy, now, 'cancel'),
    );
    expect(late.status).toBe(422);
    expect(late.code).toBe('TOO_CLOSE_TO_START');
    expect(late.message).toContain('within 2 hours');
    const gone = errorOf(() =>
      assertChangeable({ status: 'cancelled', start: '2026-12-06T11:00:00Z' }, policy, now, 'reschedule'),
    );
    expect(gone.status).toBe(409);
    expect(() =>
      assertChangeable({ status: 'booked', start: '2026-12-05T11:00:00Z' }, policy, now, 'cancel'),
    ).not.toThrow();
  });
});

describe('booking limit', () => {
  it('allows bookings below the limit and refuses at it with 422', () => {
    expect(() => assertBookingAllowed(1, policy)).not.toThrow();
    const e = errorOf(() => assertBookingAllowed(2, policy));
    expect(e.status).toBe(422);
    expect(e.code).toBe('BOOKING_LIMIT_REACHED');
    expect(e.details).toEqual({ upcoming: 2, maxUpcoming: 2 });
  });
});

describe('bookable slot', () => {
  it('only free and in the future', () => {
    expect(slotBookable({ status: 'free', start: '2026-12-04T10:20:00Z' }, now)).toBe(true);
    expect(slotBookable({ status: 'busy', start: '2026-12-04T10:20:00Z' }, now)).toBe(false);
    expect(slotBookable({ status: 'free', start: '2026-12-04T09:40:00Z' }, now)).toBe(false);
  });
});
