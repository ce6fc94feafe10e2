import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';

/**
 * Attacks on the visit actions: appointments of patients the user has no relationship with, roles without chart
 * writes, and a visit started by someone who is not on the appointment, which would make them the encounter's
 * performer and so give them a lasting relationship with the patient (even from a time-boxed break-the-glass grant).
 */
let h: Awaited<ReturnType<typeof buildTestApp>>;
let docPractitioner: string;
let doc: TestUser;

beforeAll(async () => {
  h = await buildTestApp();
  docPractitioner = await createTestPractitioner(h.deps);
  doc = await createTestUser(h.deps, { role: 'physician', practitionerId: docPractitioner });
});
afterAll(() => h?.close());

async function appointment(patientId: string, practitioners: string[]) {
  const start = new Date(Date.now() + 3600_000).toISOString();
  const a = await h.deps.fhir.create<fhir4.Appointment>({
    resourceType: 'Appointment',
    status: 'booked',
    start,
    end: new Date(Date.parse(start) + 20 * 60_000).toISOString(),
    participant: [
      { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
      ...practitioners.map((p) => ({ actor: { reference: `Practitioner/${p}` }, status: 'accepted' as const })),
    ],
  });
  return a.id!;
}

const act = (u: TestUser, id: string, action: string) =>
  request(h.app).post(`/api/appointments/${id}/${action}`).set(u.auth);

test('no relationship, patients, admins, lab and pharmacy staff cannot act on an appointment', async () => {
  const patientId = await createTestPatient(h.deps, 'Schedattack');
  const apptId = await appointment(patientId, [docPractitioner]);
  const others = [
    await createTestUser(h.deps, { role: 'physician', practitionerId: await createTestPractitioner(h.deps) }),
    await createTestUser(h.deps, { role: 'nurse', practitionerId: await createTestPractitioner(h.deps) }),
    await createTestUser(h.deps, { role: 'patient', patientId }),
    await createTestUser(h.deps, { role: 'admin' }),
    await createTestUser(h.deps, { role: 'lab_technician', practitionerId: await createTestPractitioner(h.deps) }),
    await createTestUser(h.deps, { role: 'pharmacist', practitionerId: await createTestPractitioner(h.deps) }),
  ];
  for (const who of others)
    for (const action of ['check-in', 'arrived', 'start-visit']) {
      const res = await act(who, apptId, action);
      expect([who.user.role, action, res.status]).toEqual([who.user.role, action, 403]);
    }
  expect((await h.deps.fhir.read('Appointment', apptId)).status).toBe('booked');
  expect(await h.deps.fhir.searchResources('Encounter', { appointment: `Appointment/${apptId}` })).toHaveLength(0);
});

test("a clinician with break-the-glass access cannot start another clinician's visit and so keep the chart", async () => {
  const patientId = await createTestPatient(h.deps, 'Schedglass');
  const apptId = await appointment(patientId, [docPractitioner]);
  const intruder = await createTestUser(h.deps, {
    role: 'physician',
    practitionerId: await createTestPractitioner(h.deps),
  });
  await request(h.app)
    .post(`/api/patients/${patientId}/break-glass`)
    .set(intruder.auth)
    .send({ reason: 'Emergency: unconscious patient in the waiting room', minutes: 15 })
    .expect(201);
  // The glass is broken: the chart is open, and checking the patient in is fine.
  await act(intruder, apptId, 'check-in').expect(200);
  const started = await act(intruder, apptId, 'start-visit');
  expect(started.status).toBe(403);
  const encounters = await h.deps.fhir.searchResources('Encounter', { patient: `Patient/${patientId}` });
  const mine = `Practitioner/${intruder.user.fhir_practitioner_id}`;
  expect(encounters.filter((e) => e.participant?.some((p) => p.individual?.reference === mine))).toHaveLength(0);
  // Once the grant ends, no relationship remains.
  await h.deps.pg.query('UPDATE break_glass_grants SET expires_at = now() WHERE user_id = $1', [intruder.user.id]);
  h.deps.access.forget(intruder.user.id, patientId);
  await request(h.app).get(`/api/patients/${patientId}/encounters`).set(intruder.auth).expect(403);

  // The clinician on the appointment starts it.
  await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
    doc.user.id,
    patientId,
  ]);
  await act(doc, apptId, 'start-visit').expect(200);
});

test('malformed appointment ids and unknown actions answer 4xx, never 500', async () => {
  for (const path of [
    '/api/appointments/..%2F..%2FPatient/check-in',
    `/api/appointments/${'a'.repeat(100)}/arrived`,
    '/api/appointments/x/delete',
    '/api/appointments/%00/start-visit',
  ]) {
    const res = await request(h.app).post(path).set(doc.auth);
    expect([path, res.status >= 400 && res.status < 500]).toEqual([path, true]);
  }
});
