import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';

/** Attacks on notes: a note on my patient tied to another patient's visit, and roles that must not write notes. */
describe('notes attacks (real HAPI)', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  let doc: TestUser;
  let A: string;
  let theirEncounter: string;

  beforeAll(async () => {
    t = await buildTestApp();
    A = await createTestPatient(t.deps, 'Noteattacka');
    const B = await createTestPatient(t.deps, 'Noteattackb');
    doc = await createTestUser(t.deps, { role: 'physician', practitionerId: await createTestPractitioner(t.deps) });
    await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      doc.user.id,
      A,
    ]);
    theirEncounter = (
      await t.deps.fhir.create<fhir4.Encounter>({
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: `Patient/${B}` },
      })
    ).id!;
  });
  afterAll(() => t.close());

  it("refuses a note on my patient linked to another patient's encounter (400), and stores nothing", async () => {
    const res = await request(t.app)
      .post(`/api/patients/${A}/notes`)
      .set(doc.auth)
      .send({ template: 'progress-soap', sections: { subjective: 'x' }, encounterId: theirEncounter });
    expect(res.status).toBe(400);
    const docs = await t.deps.fhir.searchResources('DocumentReference', { encounter: `Encounter/${theirEncounter}` });
    expect(docs).toHaveLength(0);
  });

  it('refuses note writes by an admin without break-glass, a patient and a pharmacist', async () => {
    for (const who of [
      await createTestUser(t.deps, { role: 'admin' }),
      await createTestUser(t.deps, { role: 'patient', patientId: A }),
      await createTestUser(t.deps, { role: 'pharmacist', practitionerId: await createTestPractitioner(t.deps) }),
    ]) {
      const res = await request(t.app)
        .post(`/api/patients/${A}/notes`)
        .set(who.auth)
        .send({ template: 'progress-soap', sections: { subjective: 'x' } });
      expect([who.user.role, res.status]).toEqual([who.user.role, 403]);
    }
  });
});
