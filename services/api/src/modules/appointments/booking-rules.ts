import { AppError } from '../../core/errors';

/**
 * The patient-facing rules of self-scheduling: how many future visits one patient may hold and how close to its
 * start a visit may still be changed online (after that, the practice must know: it may already be preparing). Pure.
 */

export interface BookingPolicy {
  maxUpcoming: number;
  cancelCutoffHours: number;
}

const HOUR_MS = 3_600_000;

/** True while a booked appointment may still be cancelled or rescheduled by the patient. */
export function changeable(a: Pick<fhir4.Appointment, 'status' | 'start'>, policy: BookingPolicy, now: Date): boolean {
  if (a.status !== 'booked' || !a.start) return false;
  return Date.parse(a.start) - now.getTime() >= policy.cancelCutoffHours * HOUR_MS;
}

/** Throws the 409/422 the patient should see when the appointment cannot be changed online any more. */
export function assertChangeable(
  a: Pick<fhir4.Appointment, 'status' | 'start'>,
  policy: BookingPolicy,
  now: Date,
  verb: 'cancel' | 'reschedule',
): void {
  if (a.status !== 'booked')
    throw new AppError(409, 'APPOINTMENT_STATE', `This appointment is ${a.status}, so it cannot be ${verb}d`, {
      status: a.status,
    });
  if (!changeable(a, policy, now))
    throw new AppError(
      422,
      'TOO_CLOSE_TO_START',
      `Appointments cannot be ${verb}d online within ${policy.cancelCutoffHours} hours of their start; please call the practice`,
      { cancelCutoffHours: policy.cancelCutoffHours },
    );
}

/** Throws 422 when the patient already holds the most future bookings allowed. */
export function assertBookingAllowed(upcomingBooked: number, policy: BookingPolicy): void {
  if (upcomingBooked >= policy.maxUpcoming)
    throw new AppError(
      422,
      'BOOKING_LIMIT_REACHED',
      `You already have ${upcomingBooked} upcoming appointments, the most that can be booked online (${policy.maxUpcoming}); cancel one or call the practice`,
      { upcoming: upcomingBooked, maxUpcoming: policy.maxUpcoming },
    );
}

/** A slot is bookable when it is free and starts in the future. */
export function slotBookable(slot: Pick<fhir4.Slot, 'status' | 'start'>, now: Date): boolean {
  return slot.status === 'free' && Date.parse(slot.start) > now.getTime();
}
