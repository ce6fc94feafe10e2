import type { AppointmentStatus, AvailableSlot, PortalAppointment } from '@wintehr/contracts';
import { humanNameText, idFromReference } from '../../core/fhir/fhir-kit';
import { changeable, type BookingPolicy } from './booking-rules';
import { appointmentPractitioner, practitionerOfSchedule, serviceTypeText } from './appointment-fhir';

/** What the portal shows of slots and appointments: times, provider and place by name, never another patient. Pure. */

export type Names = Map<string, string>;

export const practitionerName = (p: fhir4.Practitioner | undefined): string | undefined =>
  humanNameText(p?.name) ?? undefined;

const minutesBetween = (start: string, end: string) => Math.round((Date.parse(end) - Date.parse(start)) / 60_000);

export function availableSlot(
  slot: fhir4.Slot,
  schedule: fhir4.Schedule,
  names: Names,
  locations: Names,
): AvailableSlot | undefined {
  const practitionerId = practitionerOfSchedule(schedule);
  if (!practitionerId || !slot.id) return undefined;
  const locationId = schedule.actor.map((a) => idFromReference(a.reference, 'Location')).find(Boolean);
  const serviceType = serviceTypeText(slot.serviceType) ?? serviceTypeText(schedule.serviceType);
  const locationName = locationId ? locations.get(locationId) : undefined;
  return {
    slotId: slot.id,
    start: slot.start,
    end: slot.end,
    minutes: minutesBetween(slot.start, slot.end),
    practitionerId,
    practitionerName: names.get(practitionerId) ?? 'Your clinician',
    ...(serviceType ? { serviceType } : {}),
    ...(locationName ? { locationName } : {}),
  };
}

export function portalAppointment(
  a: fhir4.Appointment,
  names: Names,
  locations: Names,
  policy: BookingPolicy,
  now: Date,
): PortalAppointment {
  const practitionerId = appointmentPractitioner(a);
  const locationId = a.participant.map((p) => idFromReference(p.actor?.reference, 'Location')).find(Boolean);
  const practitionerName =
    (practitionerId && names.get(practitionerId)) ||
    a.participant.find((p) => p.actor?.reference === `Practitioner/${practitionerId}`)?.actor?.display;
  const locationName = (locationId && locations.get(locationId)) || undefined;
  const serviceType = serviceTypeText(a.serviceType);
  const reason = a.reasonCode?.[0]?.text ?? a.description;
  return {
    id: a.id!,
    status: a.status as AppointmentStatus,
    ...(a.start ? { start: a.start } : {}),
    ...(a.end ? { end: a.end } : {}),
    ...(a.minutesDuration
      ? { minutes: a.minutesDuration }
      : a.start && a.end
        ? { minutes: minutesBetween(a.start, a.end) }
        : {}),
    ...(practitionerId ? { practitionerId } : {}),
    ...(practitionerName ? { practitionerName } : {}),
    ...(locationName ? { locationName } : {}),
    ...(serviceType ? { serviceType } : {}),
    ...(reason ? { reason } : {}),
    ...(a.cancelationReason?.text ? { cancelationReason: a.cancelationReason.text } : {}),
    changeable: changeable(a, policy, now),
  };
}

const ACTIVE: ReadonlySet<string> = new Set(['booked', 'pending', 'proposed', 'arrived', 'checked-in', 'waitlist']);

/** Upcoming: still to happen and not called off, soonest first; past: everything else, most recent first. */
export function splitAppointments(
  list: readonly PortalAppointment[],
  now: Date,
): { upcoming: PortalAppointment[]; past: PortalAppointment[] } {
  const upcoming: PortalAppointment[] = [];
  const past: PortalAppointment[] = [];
  for (const a of list) {
    const ends = Date.parse(a.end ?? a.start ?? '');
    if (ACTIVE.has(a.status) && Number.isFinite(ends) && ends > now.getTime()) upcoming.push(a);
    else past.push(a);
  }
  const at = (a: PortalAppointment) => Date.parse(a.start ?? '') || 0;
  upcoming.sort((x, y) => at(x) - at(y));
  past.sort((x, y) => at(y) - at(x));
  return { upcoming, past };
}
