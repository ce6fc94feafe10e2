import { actionAllowed, MyPatientList, scheduleItem, visitEncounter } from './schedule-view';

const patient: fhir4.Patient = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ use: 'official', family: 'Garcia', given: ['Maria', 'Elena'] }],
  birthDate: '1958-03-14',
  identifier: [
    { system: 'urn:oid:2.16.840.1.113883.3.9999.1', type: { coding: [{ code: 'MR' }] }, value: 'MRN-000001' },
  ],
};
const appt: fhir4.Appointment = {
  resourceType: 'Appointment',
  id: 'a1',
  status: 'booked',
  start: '2026-12-04T09:00:00Z',
  minutesDuration: 20,
  appointmentType: { coding: [{ code: 'FOLLOWUP', display: 'A follow up visit' }] },
  participant: [
    { actor: { reference: 'Patient/p1' }, status: 'accepted' },
    { actor: { reference: 'Practitioner/dr' }, status: 'accepted' },
    { actor: { reference: 'Location/l1' }, status: 'accepted' },
  ],
};

describe('schedule view', () => {
  it('a line names the patient, the time, the type and the visit started from it', () => {
    const item = scheduleItem(appt, new Map([['p1', patient]]), {
      resourceType: 'Encounter',
      id: 'e1',
      status: 'in-progress',
      class: { code: 'AMB' },
    });
    expect(item).toEqual({
      appointmentId: 'a1',
      start: '2026-12-04T09:00:00Z',
      minutes: 20,
      status: 'booked',
      type: 'A follow up visit',
      patient: { id: 'p1', name: 'Maria Elena Garcia', mrn: 'MRN-000001', birthDate: '1958-03-14' },
      encounter: { id: 'e1', status: 'in-progress' },
    });
    // A patient HAPI did not include is still named by id, never dropped.
    expect(scheduleItem(appt, new Map()).patient).toEqual({ id: 'p1', name: 'Patient' });
  });

  it('actions follow the appointment: nothing moves a cancelled or finished one', () => {
    expect(actionAllowed('check-in', 'booked')).toBe(true);
    expect(actionAllowed('check-in', 'arrived')).toBe(false);
    expect(actionAllowed('start-visit', 'checked-in')).toBe(true);
    expect(actionAllowed('start-visit', 'cancelled')).toBe(false);
    expect(actionAllowed('arrived', 'fulfilled')).toBe(false);
  });

  it('a visit is an in-progress ambulatory Encounter linked to its appointment, practitioner and location', () => {
    const e = visitEncounter({
      appointment: appt,
      patientId: 'p1',
      practitionerId: 'dr',
      now: new Date('2026-12-04T09:02:00Z'),
    });
    expect(e).toMatchObject({
      status: 'in-progress',
      class: { code: 'AMB' },
      subject: { reference: 'Patient/p1' },
      appointment: [{ reference: 'Appointment/a1' }],
      period: { start: '2026-12-04T09:02:00.000Z' },
      participant: [{ individual: { reference: 'Practitioner/dr' } }],
      location: [{ location: { reference: 'Location/l1' } }],
    });
  });

  it('my patients: each patient once with every reason, today first, unreadable ones left out', () => {
    const list = new MyPatientList();
    list.add('p2', 'assignment', 'assigned: registered the patient');
    list.add('p1', 'care-team', 'care team');
    list.add('p1', 'appointment-today', 'appointment today at 09:00', '2026-12-04T09:00:00Z');
    list.add('gone', 'assignment', 'assigned');
    const p2: fhir4.Patient = { resourceType: 'Patient', id: 'p2', name: [{ family: 'Adams', given: ['Al'] }] };
    const out = list.build(
      new Map([
        ['p1', patient],
        ['p2', p2],
      ]),
    );
    expect(out.map((p) => [p.id, p.reasons])).toEqual([
      ['p1', ['care-team', 'appointment-today']],
      ['p2', ['assignment']],
    ]);
    expect(out[0]!.appointmentStart).toBe('2026-12-04T09:00:00Z');
  });
});
