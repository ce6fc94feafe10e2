import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';

jest.setTimeout(90_000);

type App = Awaited<ReturnType<typeof buildTestApp>>;

describe('nursing: MAR and tasks (real HAPI)', () => {
  let t: App;
  let doc: TestUser;
  let nurse: TestUser;
  let stranger: TestUser;
  let self: TestUser;
  let patientId: string;
  const today = new Date().toISOString().slice(0, 10);

  const order = (over: Partial<fhir4.MedicationRequest>): Promise<fhir4.MedicationRequest> =>
    t.deps.fhir.create<fhir4.MedicationRequest>({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${patientId}` },
      medicationCodeableConcept: {
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361', display: 'Amlodipine 5 MG' }],
        text: 'Amlodipine 5 MG Oral Tablet',
      },
      dosageInstruction: [{ text: '5 mg PO q6h', timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h' } } }],
      ...over,
    });

  beforeAll(async () => {
    t = await buildTestApp();
    patientId = await createTestPatient(t.deps, 'Marpatient');
    doc = await createTestUser(t.deps, { role: 'physician', practitionerId: await createTestPractitioner(t.deps) });
    nurse = await createTestUser(t.deps, { role: 'nurse', practitionerId: await createTestPractitioner(t.deps) });
    stranger = await createTestUser(t.deps, { role: 'nurse', practitionerId: await createTestPractitioner(t.deps) });
    self = await createTestUser(t.deps, { role: 'patient', patientId });
    for (const u of [doc, nurse])
      await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
        u.user.id,
        patientId,
      ]);
  });
  afterAll(async () => t.close());

  it('lists due doses from the timing, records a dose once (409 on the duplicate) and shows it given', async () => {
    const q6h = await order({});
    const prn = await order({
      dosageInstruction: [
        {
          text: '1 g PO q6h PRN pain',
          asNeededBoolean: true,
          timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h' } },
        },
      ],
    });
    const mar = await request(t.app).get(`/api/patients/${patientId}/mar`).set(nurse.auth).expect(200);
    expect(mar.body.date).toBe(today);
    const row = mar.body.orders.find((o: { medicationRequestId: string }) => o.medicationRequestId === q6h.id);
    expect(row.doses.map((d: { dueAt: string }) => d.dueAt.slice(11, 16))).toEqual([
      '00:00',
      '06:00',
      '12:00',
      '18:00',
    ]);
    expect(row.doses.every((d: { state: string }) => d.state === 'due')).toBe(true);
    const prnRow = mar.body.orders.find((o: { medicationRequestId: string }) => o.medicationRequestId === prn.id);
    expect(prnRow).toMatchObject({ prn: true, doses: [] });

    const dueAt = row.doses[1].dueAt as string;
    const url = `/api/patients/${patientId}/mar/administrations`;
    const given = await request(t.app)
      .post(url)
      .set(nurse.auth)
      .send({ medicationRequestId: q6h.id, dueAt, outcome: 'given' })
      .expect(201);
    expect(given.body).toMatchObject({
      resourceType: 'MedicationAdministration',
      status: 'completed',
      request: { reference: `MedicationRequest/${q6h.id}` },
    });
    const dup = await request(t.app)
      .post(url)
      .set(nurse.auth)
      .send({ medicationRequestId: q6h.id, dueAt, outcome: 'held', reason: 'NPO for surgery' })
      .expect(409);
    expect(dup.body.error.code).toBe('DOSE_ALREADY_DOCUMENTED');
    const notGiven = await request(t.app)
      .post(url)
      .set(nurse.auth)
      .send({ medicationRequestId: q6h.id, dueAt: row.doses[2].dueAt, outcome: 'not-given' })
      .expect(400);
    expect(notGiven.body.error.details[0].field).toBe('body.reason');
    await request(t.app)
      .post(url)
      .set(nurse.auth)
      .send({ medicationRequestId: q6h.id, dueAt: row.doses[2].dueAt, outcome: 'not-given', reason: 'patient refused' })
      .expect(201);
    await request(t.app)
      .post(url)
      .set(nurse.auth)
      .send({ medicationRequestId: q6h.id, dueAt: `${today}T07:00:00Z`, outcome: 'given' })
      .expect(400);
    await request(t.app).post(url).set(nurse.auth).send({ medicationRequestId: prn.id, outcome: 'given' }).expect(201);

    const after = await request(t.app).get(`/api/patients/${patientId}/mar`).set(doc.auth).expect(200);
    const row2 = after.body.orders.find((o: { medicationRequestId: string }) => o.medicationRequestId === q6h.id);
    expect(row2.doses.map((d: { state: string }) => d.state)).toEqual(['due', 'given', 'not-given', 'due']);
    expect(row2.doses[2].reason).toBe('patient refused');
    const prn2 = after.body.orders.find((o: { medicationRequestId: string }) => o.medicationRequestId === prn.id);
    expect(prn2.prnDoses).toHaveLength(1);
  });

  it('refuses a dose for a discontinued order (409), a physician (403) and other charts', async () => {
    const stopped = await order({ status: 'stopped' });
    const res = await request(t.app)
      .post(`/api/patients/${patientId}/mar/administrations`)
      .set(nurse.auth)
      .send({ medicationRequestId: stopped.id, dueAt: `${today}T06:00:00Z`, outcome: 'given' })
      .expect(409);
    expect(res.body.error.details.status).toBe('stopped');
    const active = await order({});
    const body = { medicationRequestId: active.id, dueAt: `${today}T06:00:00Z`, outcome: 'given' };
    await request(t.app).post(`/api/patients/${patientId}/mar/administrations`).set(doc.auth).send(body).expect(403);
    await request(t.app)
      .post(`/api/patients/${patientId}/mar/administrations`)
      .set(stranger.auth)
      .send(body)
      .expect(403);
    await request(t.app).get(`/api/patients/${patientId}/mar`).set(stranger.auth).expect(403);
    // A patient may read their own MAR but never document a dose.
    await request(t.app).get(`/api/patients/${patientId}/mar`).set(self.auth).expect(200);
    await request(t.app).post(`/api/patients/${patientId}/mar/administrations`).set(self.auth).send(body).expect(403);
    const elsewhere = await createTestPatient(t.deps, 'Marother');
    await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      nurse.user.id,
      elsewhere,
    ]);
    // An order of this patient documented through another chart is not found there.
    await request(t.app).post(`/api/patients/${elsewhere}/mar/administrations`).set(nurse.auth).send(body).expect(404);
  });

  it('keeps a nursing task list: create, complete, open list', async () => {
    const created = await request(t.app)
      .post(`/api/patients/${patientId}/tasks`)
      .set(nurse.auth)
      .send({ description: 'Reposition patient every 2 hours', priority: 'urgent' })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'requested', code: { coding: [{ code: 'nursing-task' }] } });
    const open = await request(t.app).get(`/api/patients/${patientId}/tasks`).set(nurse.auth).expect(200);
    expect(open.body.items.map((x: { id: string }) => x.id)).toContain(created.body.id);
    const url = `/api/patients/${patientId}/tasks/${created.body.id}/complete`;
    await request(t.app).post(url).set(nurse.auth).set('If-Match', 'W/"99"').send({}).expect(409);
    const done = await request(t.app)
      .post(url)
      .set(nurse.auth)
      .set('If-Match', created.headers.etag as string)
      .send({})
      .expect(200);
    expect(done.body.status).toBe('completed');
    await request(t.app).post(url).set(nurse.auth).send({}).expect(409);
    const after = await request(t.app).get(`/api/patients/${patientId}/tasks`).set(nurse.auth).expect(200);
    expect(after.body.items.map((x: { id: string }) => x.id)).not.toContain(created.body.id);
    await request(t.app)
      .post(`/api/patients/${patientId}/tasks`)
      .set(self.auth)
      .send({ description: 'x y z' })
      .expect(403);
  });
});
