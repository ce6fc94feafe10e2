import { appointmentMessage } from './appointments.realtime';
import { portalAppointment, splitAppointments } from './appointment-view';
import { reminderAddress, reminderDelayMs, reminderMessage } from './reminder-message';

const now = new Date('2026-12-04T10:00:00Z');
const policy = { maxUpcoming: 3, cancelCutoffHours: 2 };
const appt = (id: string, status: fhir4.Appointment['status'], start: string): fhir4.Appointment => ({
  resourceType: 'Appointment',
  id,
  status,
  start,
  end: new Date(Date.parse(start) + 20 * 60_000).toISOString(),
  reasonCode: [{ text: 'Cough' }],
  participant: [
    { actor: { reference: 'Patient/p' }, status: 'accepted' },
    { actor: { reference: 'Practitioner/d' }, status: 'accepted' },
  ],
});

describe('portal appointment view', () => {
  const names = new Map([['d', 'Dr. James Wilson']]);
  it('names the practitioner, keeps the reason and says whether it can still change', () => {
    const v = portalAppointment(appt('1', 'booked', '2026-12-05T09:00:00Z'), names, new Map(), policy, now);
    expect(v).toMatchObject({
      id: '1',
      practitionerName: 'Dr. James Wilson',
      reason: 'Cough',
      minutes: 20,
      changeable: true,
    });
    expect(
      portalAppointment(appt('2', 'booked', '2026-12-04T11:00:00Z'), names, new Map(), policy, now).changeable,
    ).toBe(false);
  });

  it('upcoming = still to happen and not cancelled, soonest first; the rest is past, latest first', () => {
    const list = [
      appt('late', 'booked', '2026-12-09T09:00:00Z'),
      appt('soon', 'booked', '2026-12-05T09:00:00Z'),
      appt('off', 'cancelled', '2026-12-06T09:00:00Z'),
      appt('done', 'fulfilled', '2026-11-01T09:00:00Z'),
    ].map((a) => portalAppointment(a, names, new Map(), policy, now));
    const { upcoming, past } = splitAppointments(list, now);
    expect(upcoming.map((a) => a.id)).toEqual(['soon', 'late']);
    expect(past.map((a) => a.id)).toEqual(['off', 'done']);
  });
});

describe('practice real-time message', () => {
  it('maps the domain events to the seed’s socket names with ids only', () => {
    const m = appointmentMessage({
      id: '1',
      type: 'appointment.rescheduled',
      occurredAt: now.toISOString(),
      patientId: 'p',
      resourceId: 'a2',
    });
    expect(m).toEqual({ name: 'appointment:updated', payload: { appointmentId: 'a2', change: 'rescheduled' } });
    expect(appointmentMessage({ id: '2', type: 'notes.signed', occurredAt: now.toISOString() })).toBeUndefined();
  });
});

describe('reminders', () => {
  it('is due the configured hours before the start, or not at all when that has passed', () => {
    expect(reminderDelayMs('2026-12-06T10:00:00Z', 24, now)).toBe(24 * 3_600_000);
    expect(reminderDelayMs('2026-12-04T20:00:00Z', 24, now)).toBeUndefined();
  });

  it('goes by email, else SMS to a mobile; none without either', () => {
    const p = (telecom: fhir4.ContactPoint[]): fhir4.Patient => ({ resourceType: 'Patient', telecom });
    expect(
      reminderAddress(
        p([
          { system: 'phone', value: '555', use: 'mobile' },
          { system: 'email', value: 'a@b.c' },
        ]),
      ),
    ).toEqual({
      channel: 'email',
      to: 'a@b.c',
    });
    expect(reminderAddress(p([{ system: 'phone', value: '555', use: 'mobile' }]))).toEqual({
      channel: 'sms',
      to: '555',
    });
    expect(reminderAddress(p([{ system: 'phone', value: '555', use: 'home' }]))).toBeUndefined();
  });

  it('says when, with whom and where, and nothing of why', () => {
    const m = reminderMessage({
      address: { channel: 'sms', to: '555' },
      start: '2026-12-07T15:00:00Z',
      timeZone: 'America/Chicago',
      practitionerName: 'Dr. James Wilson',
      locationName: 'Main Campus',
    });
    expect(m.text).toContain('Monday, December 7 at 9:00 AM');
    expect(m.text).toContain('Dr. James Wilson');
    expect(m.text).toContain('Main Campus');
    expect(m.text).not.toContain('Cough');
  });
});
