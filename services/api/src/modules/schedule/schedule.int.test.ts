import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';
import { addDays, localDate } from './day';

/** The schedule, my patients, the visit actions and the encounter context against the real HAPI and PostgreSQL. */
jest.setTimeout(60_000);

let h: Awaited<ReturnType<typeof buildTestApp>>;
let doc: TestUser;
let nurse: TestUser;
let otherDoc: TestUser;
let docPractitioner: string;
let nursePractitioner: string;
const today = localDate(new Date(), 'UTC');
const tomorrow = addDays(today, 1);

beforeAll(async () => {
  h = await buildTestApp();
  docPractitioner = await createTestPractitioner(h.deps);
  nursePractitioner = await createTestPractitioner(h.deps);
  doc = await createTestUser(h.deps, { role: 'physician', practitionerId: docPractitioner });
  nurse = await createTestUser(h.deps, { role: 'nurse', practitionerId: nursePractitioner });
  otherDoc = await createTestUser(h.deps, { role: 'physician', practitionerId: await createTestPractitioner(h.deps) });
});
afterAll(() => h?.close());

async function appointment(patientId: string, practitioners: string[], start: string, status = 'booked') {
  const a = await h.deps.fhir.create<fhir4.Appointment>({
    resourceType: 'Appointment',
    status: status as fhir4.Appointment['status'],
    description: 'Follow-up visit',
    start,
    end: new Date(Date.parse(start) + 20 * 60_000).toISOString(),
    minutesDuration: 20,
    participant: [
      { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
      ...practitioners.map((p) => ({ actor: { reference: `Practitioner/${p}` }, status: 'accepted' as const })),
    ],
  });
  return a.id!;
}

const assign = (user: TestUser, patientId: string, reason = 'schedule test') =>
  h.deps.pg.query('INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, $3)', [
    user.user.id,
    patientId,
    reason,
  ]);

describe('GET /api/schedule', () => {
  it("lists the clinician's appointments of the day with patient names, by time; other days and clinicians apart", async () => {
    const p1 = await createTestPatient(h.deps, 'Earlybird');
    const p2 = await createTestPatient(h.deps, 'Lateafternoon');
    const late = await appointment(p2, [docPractitioner], `${today}T15:30:00Z`);
    const early = await appointment(p1, [docPractitioner, nursePractitioner], `${today}T08:15:00Z`);
    const next = await appointment(p1, [docPractitioner], `${tomorrow}T09:00:00Z`);
    const others = await appointment(p2, [await createTestPractitioner(h.deps)], `${today}T10:00:00Z`);

    const res = await request(h.app).get('/api/schedule').set(doc.auth).expect(200);
    expect(res.body).toMatchObject({ date: today, timeZone: 'UTC', practitionerId: docPractitioner });
    const ids = res.body.items.map((i: { appointmentId: string }) => i.appointmentId);
    expect(ids.indexOf(early)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(early)).toBeLessThan(ids.indexOf(late));
    expect(ids).not.toContain(next);
    expect(ids).not.toContain(others);
    const first = res.body.items.find((i: { appointmentId: string }) => i.appointmentId === early);
    expect(first).toMatchObject({
      status: 'booked',
      minutes: 20,
      description: 'Follow-up visit',
      patient: { id: p1, name: 'Test Earlybird', birthDate: '1980-05-17' },
    });

    const tomorrowRes = await request(h.app).get('/api/schedule').query({ date: tomorrow }).set(doc.auth).expect(200);
    expect(tomorrowRes.body.items.map((i: { appointmentId: string }) => i.appointmentId)).toContain(next);

    // A nurse sees her own schedule: only the appointment she takes part in.
    const n = await request(h.app).get('/api/schedule').set(nurse.auth).expect(200);
    const nurseIds = n.body.items.map((i: { appointmentId: string }) => i.appointmentId);
    expect(nurseIds).toContain(early);
    expect(nurseIds).not.toContain(late);
  });

  it('refuses patients, pharmacists, accounts without a practitioner and a bad date', async () => {
    const patientId = await createTestPatient(h.deps);
    const patient = await createTestUser(h.deps, { role: 'patient', patientId });
    const pharmacist = await createTestUser(h.deps, { role: 'pharmacist' });
    const unlinked = await createTestUser(h.deps, { role: 'nurse' });
    await request(h.app).get('/api/schedule').set(patient.auth).expect(403);
    await request(h.app).get('/api/me/patients').set(patient.auth).expect(403);
    await request(h.app).get('/api/schedule').set(pharmacist.auth).expect(403);
    await request(h.app).get('/api/schedule').set(unlinked.auth).expect(403);
    const bad = await request(h.app).get('/api/schedule').query({ date: '2026-13-01' }).set(doc.auth).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
  });
});

describe('visit actions and encounter context', () => {
  it('check in, arrived, start visit (idempotent), then the open encounter is the chart context', async () => {
    const patientId = await createTestPatient(h.deps, 'Visitstart');
    await assign(nurse, patientId);
    await assign(doc, patientId);
    const apptId = await appointment(patientId, [docPractitioner, nursePractitioner], `${today}T11:00:00Z`);

    const checkedIn = await request(h.app).post(`/api/appointments/${apptId}/check-in`).set(nurse.auth).expect(200);
    expect(checkedIn.body.item).toMatchObject({ appointmentId: apptId, status: 'checked-in' });
    expect((await h.deps.fhir.read('Appointment', apptId)).status).toBe('checked-in');
    // Checking in twice is harmless.
    await request(h.app).post(`/api/appointments/${apptId}/check-in`).set(nurse.auth).expect(200);

    const arrived = await request(h.app).post(`/api/appointments/${apptId}/arrived`).set(nurse.auth).expect(200);
    expect(arrived.body.item.status).toBe('arrived');

    const none = await request(h.app)
      .get(`/api/patients/${patientId}/encounters`)
      .query({ status: 'in-progress' })
      .set(doc.auth)
      .expect(200);
    expect(none.body.encounters).toEqual([]);

    const started = await request(h.app).post(`/api/appointments/${apptId}/start-visit`).set(doc.auth).expect(200);
    const encounterId = started.body.encounterId as string;
    expect(started.body.item).toMatchObject({
      status: 'arrived',
      encounter: { id: encounterId, status: 'in-progress' },
    });
    const enc = await h.deps.fhir.read('Encounter', encounterId);
    expect(enc).toMatchObject({
      status: 'in-progress',
      subject: { reference: `Patient/${patientId}` },
      appointment: [{ reference: `Appointment/${apptId}` }],
      participant: [{ individual: { reference: `Practitioner/${docPractitioner}` } }],
    });
    const again = await request(h.app).post(`/api/appointments/${apptId}/start-visit`).set(doc.auth).expect(200);
    expect(again.body.encounterId).toBe(encounterId);

    const open = await request(h.app)
      .get(`/api/patients/${patientId}/encounters`)
      .query({ status: 'in-progress' })
      .set(doc.auth)
      .expect(200);
    expect(open.body.encounters).toEqual([
      expect.objectContaining({ id: encounterId, status: 'in-progress', appointmentId: apptId }),
    ]);
    const schedule = await request(h.app).get('/api/schedule').set(doc.auth).expect(200);
    expect(schedule.body.items.find((i: { appointmentId: string }) => i.appointmentId === apptId).encounter).toEqual({
      id: encounterId,
      status: 'in-progress',
    });

    await h.deps.audit.flush();
    const audit = await h.deps.pg.query(
      "SELECT action, outcome, resource_id FROM audit_log WHERE patient_id = $1 AND action IN ('appointment.update', 'encounter.start') ORDER BY id",
      [patientId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'appointment.update',
      'appointment.update',
      'appointment.update',
      'encounter.start',
      'encounter.start',
    ]);
    expect(audit.rows[3]).toMatchObject({ outcome: 'success', resource_id: encounterId });
  });

  it('refuses a cancelled appointment, a clinician without access, a patient, and an unknown appointment', async () => {
    const patientId = await createTestPatient(h.deps, 'Cancelled');
    await assign(doc, patientId);
    const cancelled = await appointment(patientId, [docPractitioner], `${today}T13:00:00Z`, 'cancelled');
    const res = await request(h.app).post(`/api/appointments/${cancelled}/start-visit`).set(doc.auth).expect(409);
    expect(res.body.error.code).toBe('APPOINTMENT_STATE');

    const booked = await appointment(patientId, [docPractitioner], `${today}T14:00:00Z`);
    const denied = await request(h.app).post(`/api/appointments/${booked}/check-in`).set(otherDoc.auth).expect(403);
    expect(denied.body.error.code).toBe('PATIENT_ACCESS_DENIED');
    expect((await h.deps.fhir.read('Appointment', booked)).status).toBe('booked');

    const self = await createTestUser(h.deps, { role: 'patient', patientId });
    await request(h.app).post(`/api/appointments/${booked}/check-in`).set(self.auth).expect(403);
    await request(h.app).post('/api/appointments/does-not-exist-1/check-in').set(doc.auth).expect(404);
    // The patient reads its own encounters, not another's.
    await request(h.app).get(`/api/patients/${patientId}/encounters`).set(self.auth).expect(200);
    const stranger = await createTestPatient(h.deps);
    await request(h.app).get(`/api/patients/${stranger}/encounters`).set(self.auth).expect(403);
    await request(h.app)
      .get(`/api/patients/${patientId}/encounters`)
      .query({ status: 'nope' })
      .set(doc.auth)
      .expect(400);
  });
});

describe('GET /api/me/patients', () => {
  it("merges care team, assignments and today's appointments, each patient once with every reason", async () => {
    const me = await createTestPractitioner(h.deps);
    const user = await createTestUser(h.deps, { role: 'physician', practitionerId: me });
    const onTeam = await createTestPatient(h.deps, 'Teammember');
    const assigned = await createTestPatient(h.deps, 'Assigned');
    const both = await createTestPatient(h.deps, 'Bothways');
    const stranger = await createTestPatient(h.deps, 'Stranger');
    for (const pid of [onTeam, both])
      await h.deps.fhir.create<fhir4.CareTeam>({
        resourceType: 'CareTeam',
        status: 'active',
        subject: { reference: `Patient/${pid}` },
        participant: [{ member: { reference: `Practitioner/${me}` }, role: [{ text: 'primary care physician' }] }],
      });
    await assign(user, assigned, 'registered the patient');
    const at = `${today}T09:45:00Z`;
    await appointment(both, [me], at);

    const res = await request(h.app).get('/api/me/patients').set(user.auth).expect(200);
    const byId = new Map(res.body.patients.map((p: { id: string }) => [p.id, p]));
    expect(byId.get(onTeam)).toMatchObject({ reasons: ['care-team'], why: ['care team: primary care physician'] });
    expect(byId.get(assigned)).toMatchObject({ reasons: ['assignment'], why: ['assigned: registered the patient'] });
    expect(byId.get(both)).toMatchObject({
      name: 'Test Bothways',
      reasons: expect.arrayContaining(['care-team', 'appointment-today']),
      appointmentStart: expect.stringMatching(new RegExp(`^${today}T09:45`)),
    });
    expect(byId.has(stranger)).toBe(false);
    // Today's appointment comes first.
    expect(res.body.patients[0].id).toBe(both);
    expect(res.body.truncated).toBe(false);
  });
});
