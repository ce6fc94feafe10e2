import { randomUUID } from 'node:crypto';
import { idFromReference } from '../../core/fhir/fhir-kit';

/**
 * The FHIR shapes of self-scheduling and the transactions that change them. Every change of a Slot carries the
 * version it was read at (If-Match), so of two transactions built from the same read exactly one commits. Pure.
 */

export const SLOT_SYSTEM = 'urn:wintehr:slot';
export const SCHEDULE_SYSTEM = 'urn:wintehr:schedule';
export const RESCHEDULED_REASON = 'Rescheduled by the patient';

const weak = (r: fhir4.Resource) => {
  if (!r.meta?.versionId) throw new Error(`${r.resourceType}/${r.id} was read without a version`);
  return `W/"${r.meta.versionId}"`;
};

const put = <R extends fhir4.Slot | fhir4.Appointment>(current: R, next: R): fhir4.BundleEntry => ({
  fullUrl: `${current.resourceType}/${current.id}`,
  resource: next,
  request: { method: 'PUT', url: `${current.resourceType}/${current.id}`, ifMatch: weak(current) },
});

export const scheduleRef = (slot: fhir4.Slot): string | undefined =>
  idFromReference(slot.schedule?.reference, 'Schedule');
export const practitionerOfSchedule = (s: fhir4.Schedule): string | undefined =>
  s.actor.map((a) => idFromReference(a.reference, 'Practitioner')).find(Boolean);
export const locationOfSchedule = (s: fhir4.Schedule): fhir4.Reference | undefined =>
  s.actor.find((a) => idFromReference(a.reference, 'Location'));
export const serviceTypeText = (c: readonly fhir4.CodeableConcept[] | undefined): string | undefined =>
  c?.[0]?.text ?? c?.[0]?.coding?.[0]?.display;

/** The patient an appointment is for (what ownership checks compare with the caller). */
export const appointmentPatient = (a: fhir4.Appointment): string | undefined =>
  a.participant.map((p) => idFromReference(p.actor?.reference, 'Patient')).find(Boolean);
export const appointmentPractitioner = (a: fhir4.Appointment): string | undefined =>
  a.participant.map((p) => idFromReference(p.actor?.reference, 'Practitioner')).find(Boolean);
export const appointmentSlotId = (a: fhir4.Appointment): string | undefined =>
  a.slot?.map((s) => idFromReference(s.reference, 'Slot')).find(Boolean);

export function newAppointment(o: {
  slot: fhir4.Slot;
  schedule: fhir4.Schedule;
  patientId: string;
  reason: string;
  now: Date;
}): fhir4.Appointment {
  const practitioner = o.schedule.actor.find((a) => idFromReference(a.reference, 'Practitioner'));
  const location = locationOfSchedule(o.schedule);
  const minutes = Math.round((Date.parse(o.slot.end) - Date.parse(o.slot.start)) / 60_000);
  return {
    resourceType: 'Appointment',
    status: 'booked',
    ...(o.slot.serviceType?.length || o.schedule.serviceType?.length
      ? { serviceType: o.slot.serviceType?.length ? o.slot.serviceType : o.schedule.serviceType }
      : {}),
    reasonCode: [{ text: o.reason }],
    start: o.slot.start,
    end: o.slot.end,
    minutesDuration: minutes,
    slot: [{ reference: `Slot/${o.slot.id}` }],
    created: o.now.toISOString(),
    participant: [
      { actor: { reference: `Patient/${o.patientId}` }, required: 'required', status: 'accepted' },
      ...(practitioner
        ? [{ actor: { ...practitioner }, required: 'required' as const, status: 'accepted' as const }]
        : []),
      ...(location ? [{ actor: { ...location }, required: 'required' as const, status: 'accepted' as const }] : []),
    ],
  };
}

/** Book: the slot turns busy (If-Match its read version) and the appointment is created, in one transaction. */
export function bookingBundle(slot: fhir4.Slot, appointment: fhir4.Appointment): fhir4.Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      put(slot, { ...slot, status: 'busy' }),
      { fullUrl: `urn:uuid:${randomUUID()}`, resource: appointment, request: { method: 'POST', url: 'Appointment' } },
    ],
  };
}

/** Cancel: the appointment is cancelled with the patient's reason and its slot (if still busy) is free again. */
export function cancellationEntries(a: fhir4.Appointment, slot: fhir4.Slot | undefined, reason: string) {
  return [
    put(a, { ...a, status: 'cancelled', cancelationReason: { text: reason } }),
    ...(slot && slot.status === 'busy' ? [put(slot, { ...slot, status: 'free' })] : []),
  ];
}

export function cancellationBundle(a: fhir4.Appointment, slot: fhir4.Slot | undefined, reason: string): fhir4.Bundle {
  return { resourceType: 'Bundle', type: 'transaction', entry: cancellationEntries(a, slot, reason) };
}

/** Reschedule: old cancelled and its slot freed, new slot busy and the new appointment booked — all or nothing. */
export function rescheduleBundle(o: {
  old: fhir4.Appointment;
  oldSlot: fhir4.Slot | undefined;
  newSlot: fhir4.Slot;
  appointment: fhir4.Appointment;
}): fhir4.Bundle {
  const booking = bookingBundle(o.newSlot, o.appointment).entry!;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [...cancellationEntries(o.old, o.oldSlot, RESCHEDULED_REASON), ...booking],
  };
}

/** The id HAPI gave the created Appointment, from the transaction response ("Appointment/12/_history/1"). */
export function createdAppointmentId(response: fhir4.Bundle): string | undefined {
  for (const e of response.entry ?? []) {
    const id = idFromReference(e.response?.location?.replace(/\/_history\/[^/]+$/, ''), 'Appointment');
    if (id && e.response?.status?.startsWith('201')) return id;
  }
  return undefined;
}
