import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';

/**
 * Attacks on results: the critical worklist's ?patient= naming a patient the user does not answer for, another
 * patient's critical result acknowledged (directly or as an in-basket item), and the flowsheet of another patient.
 */
describe('results attacks (real HAPI)', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>;
  let B: string;
  let reportId: string;
  let stranger: TestUser;

  beforeAll(async () => {
    t = await buildTestApp();
    B = await createTestPatient(t.deps, 'Resultattackb');
    const orderer = await createTestPractitioner(t.deps);
    stranger = await createTestUser(t.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(t.deps),
    });
    reportId = (
      await t.deps.fhir.create<fhir4.DiagnosticReport>({
        resourceType: 'DiagnosticReport',
        status: 'final',
        subject: { reference: `Patient/${B}` },
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium' }] },
        conclusion: 'Potassium 6.9 mmol/L (critical)',
      })
    ).id!;
    await t.deps.pg.query(
      `INSERT INTO critical_result_alerts (report_id, patient_id, ordering_practitioner_id, critical_codes, deadline_at)
       VALUES ($1, $2, $3, '{2823-3}', now() + interval '1 hour')`,
      [reportId, B, orderer],
    );
  });
  afterAll(async () => {
    await t.deps.pg.query('DELETE FROM critical_result_alerts WHERE report_id = $1', [reportId]);
    await t.close();
  });

  it("?patient= of someone else's patient lists nothing of theirs", async () => {
    const res = await request(t.app)
      .get('/api/results/unacknowledged-critical')
      .query({ patient: B })
      .set(stranger.auth)
      .expect(200);
    expect(res.body.total).toBe(0);
    expect(res.text).not.toContain(reportId);
    const all = await request(t.app).get('/api/results/unacknowledged-critical').set(stranger.auth).expect(200);
    expect(all.text).not.toContain(reportId);
    await request(t.app)
      .get('/api/results/unacknowledged-critical')
      .query({ patient: "x' OR '1'='1" })
      .set(stranger.auth)
      .expect(400);
  });

  it("cannot acknowledge another clinician's patient's critical result, directly or from the in-basket", async () => {
    const direct = await request(t.app).post(`/api/results/${reportId}/acknowledge`).set(stranger.auth).send({});
    expect(direct.status).toBe(403);
    const viaInbasket = await request(t.app)
      .post(`/api/inbasket/result-${reportId}/actions`)
      .set(stranger.auth)
      .send({ action: 'acknowledge' });
    expect(viaInbasket.status).toBe(403);
    const { rows } = await t.deps.pg.query('SELECT acknowledged_at FROM critical_result_alerts WHERE report_id = $1', [
      reportId,
    ]);
    expect(rows[0]!.acknowledged_at).toBeNull();
  });

  it('refuses the flowsheet and results of another patient to a stranger, a patient and an admin', async () => {
    const self = await createTestPatient(t.deps, 'Resultattackself');
    for (const who of [
      stranger,
      await createTestUser(t.deps, { role: 'patient', patientId: self }),
      await createTestUser(t.deps, { role: 'admin' }),
    ]) {
      for (const path of [`/api/patients/${B}/flowsheet`, `/api/patients/${B}/results`]) {
        const res = await request(t.app).get(path).set(who.auth);
        expect([who.user.role, path, res.status]).toEqual([who.user.role, path, 403]);
        expect(res.text).not.toContain('Potassium');
      }
    }
    const patientOnWorklist = await request(t.app)
      .get('/api/results/unacknowledged-critical')
      .set((await createTestUser(t.deps, { role: 'patient', patientId: B })).auth);
    expect(patientOnWorklist.status).toBe(403);
  });
});
