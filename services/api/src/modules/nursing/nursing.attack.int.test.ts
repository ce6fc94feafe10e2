import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';

/**
 * Attacks on nursing: another patient's order or task reached through the URL of a chart the nurse works on, and
 * roles that must not document doses. Nothing may be written to or about the other patient.
 */
describe('nursing attacks (real HAPI)', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  let nurse: TestUser;
  let A: string;
  let B: string;
  let theirOrder: string;
  let theirTask: string;

  beforeAll(async () => {
    t = await buildTestApp();
    A = await createTestPatient(t.deps, 'Nurseattacka');
    B = await createTestPatient(t.deps, 'Nurseattackb');
    nurse = await createTestUser(t.deps, { role: 'nurse', practitionerId: await createTestPractitioner(t.deps) });
    await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      nurse.user.id,
      A,
    ]);
    theirOrder = (
      await t.deps.fhir.create<fhir4.MedicationRequest>({
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        subject: { reference: `Patient/${B}` },
        medicationCodeableConcept: { text: 'acetaminophen 500 MG Oral Tablet' },
        dosageInstruction: [{ asNeededBoolean: true, text: 'as needed' }],
      })
    ).id!;
    theirTask = (
      await t.deps.fhir.create<fhir4.Task>({
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        code: { coding: [{ system: 'http://wintehr.dev/fhir/CodeSystem/task-code', code: 'nursing-task' }] },
        for: { reference: `Patient/${B}` },
        description: 'Turn the patient',
      })
    ).id!;
  });
  afterAll(() => t.close());

  it("documents no dose of another patient's order through my patient's MAR (404), on either chart", async () => {
    const res = await request(t.app)
      .post(`/api/patients/${A}/mar/administrations`)
      .set(nurse.auth)
      .send({ medicationRequestId: theirOrder, outcome: 'given' });
    expect(res.status).toBe(404);
    const given = await t.deps.fhir.searchResources('MedicationAdministration', {
      request: `MedicationRequest/${theirOrder}`,
    });
    expect(given).toHaveLength(0);
  });

  it("completes no task of another patient through my patient's URL (404) and leaves it open", async () => {
    const res = await request(t.app)
      .post(`/api/patients/${A}/tasks/${theirTask}/complete`)
      .set(nurse.auth)
      .send({ note: 'done' });
    expect(res.status).toBe(404);
    expect((await t.deps.fhir.read('Task', theirTask)).status).toBe('requested');
  });

  it('refuses dose documentation by a physician without relationship, a patient, an admin and a lab technician', async () => {
    const mine = (
      await t.deps.fhir.create<fhir4.MedicationRequest>({
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        subject: { reference: `Patient/${A}` },
        medicationCodeableConcept: { text: 'acetaminophen 500 MG Oral Tablet' },
        dosageInstruction: [{ asNeededBoolean: true, text: 'as needed' }],
      })
    ).id!;
    for (const who of [
      await createTestUser(t.deps, { role: 'physician', practitionerId: await createTestPractitioner(t.deps) }),
      await createTestUser(t.deps, { role: 'patient', patientId: A }),
      await createTestUser(t.deps, { role: 'admin' }),
      await createTestUser(t.deps, { role: 'lab_technician', practitionerId: await createTestPractitioner(t.deps) }),
    ]) {
      const res = await request(t.app)
        .post(`/api/patients/${A}/mar/administrations`)
        .set(who.auth)
        .send({ medicationRequestId: mine, outcome: 'given' });
      expect([who.user.role, res.status]).toEqual([who.user.role, 403]);
    }
    const given = await t.deps.fhir.searchResources('MedicationAdministration', {
      request: `MedicationRequest/${mine}`,
    });
    expect(given).toHaveLength(0);
  });
});
