import {
  appointmentPatient,
  bookingBundle,
  createdAppointmentId,
  newAppointment,
  rescheduleBundle,
} from './appointment-fhir';

const schedule: fhir4.Schedule = {
  resourceType: 'Schedule',
  id: 's1',
  active: true,
  serviceType: [{ text: 'Family practice' }],
  actor: [{ reference: 'Practitioner/p1', display: 'Dr. A' }, { reference: 'Location/l1' }],
};
const slot = (id: string, status: fhir4.Slot['status'] = 'free', v = '3'): fhir4.Slot => ({
  resourceType: 'Slot',
  id,
  meta: { versionId: v },
  schedule: { reference: 'Schedule/s1' },
  status,
  start: '2026-12-07T09:00:00Z',
  end: '2026-12-07T09:20:00Z',
});
const now = new Date('2026-12-04T10:00:00Z');

describe('booking transaction', () => {
  it('turns the slot busy with If-Match of the version read, and books the patient with practitioner and place', () => {
    const a = newAppointment({ slot: slot('x'), schedule, patientId: 'pat', reason: 'Cough', now });
    const b = bookingBundle(slot('x'), a);
    expect(b.type).toBe('transaction');
    expect(b.entry![0]!.request).toEqual({ method: 'PUT', url: 'Slot/x', ifMatch: 'W/"3"' });
    expect((b.entry![0]!.resource as fhir4.Slot).status).toBe('busy');
    const appt = b.entry![1]!.resource as fhir4.Appointment;
    expect(appt.status).toBe('booked');
    expect(appt.slot).toEqual([{ reference: 'Slot/x' }]);
    expect(appt.minutesDuration).toBe(20);
    expect(appt.participant.map((p) => p.actor?.reference)).toEqual(['Patient/pat', 'Practitioner/p1', 'Location/l1']);
    expect(appointmentPatient(appt)).toBe('pat');
    expect(appt.reasonCode).toEqual([{ text: 'Cough' }]);
  });

  it('refuses a slot read without a version (no If-Match, no race protection)', () => {
    const s = { ...slot('x'), meta: undefined };
    expect(() => bookingBundle(s, newAppointment({ slot: s, schedule, patientId: 'p', reason: 'r', now }))).toThrow();
  });

  it('reschedule: old cancelled, old slot freed, new slot busy, new appointment — one bundle', () => {
    const old: fhir4.Appointment = {
      ...newAppointment({ slot: slot('a', 'busy'), schedule, patientId: 'pat', reason: 'Cough', now }),
      id: 'old',
      meta: { versionId: '1' },
    };
    const b = rescheduleBundle({
      old,
      oldSlot: slot('a', 'busy', '4'),
      newSlot: slot('b', 'free', '7'),
      appointment: newAppointment({ slot: slot('b'), schedule, patientId: 'pat', reason: 'Cough', now }),
    });
    const summary = b.entry!.map((e) => [
      e.request!.method,
      e.request!.url,
      e.request!.ifMatch ?? '',
      (e.resource as { status: string }).status,
    ]);
    expect(summary).toEqual([
      ['PUT', 'Appointment/old', 'W/"1"', 'cancelled'],
      ['PUT', 'Slot/a', 'W/"4"', 'free'],
      ['PUT', 'Slot/b', 'W/"7"', 'busy'],
      ['POST', 'Appointment', '', 'booked'],
    ]);
  });

  it('finds the created appointment id in the transaction response', () => {
    expect(
      createdAppointmentId({
        resourceType: 'Bundle',
        type: 'transaction-response',
        entry: [
          { response: { status: '200 OK', location: 'Slot/x/_history/4' } },
          { response: { status: '201 Created', location: 'Appointment/99/_history/1' } },
        ],
      }),
    ).toBe('99');
  });
});
