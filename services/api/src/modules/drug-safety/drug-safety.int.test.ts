/** Drug search and check-interactions through the real app (supertest), with a chart in the real HAPI. */
import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestUser, type TestUser } from '../../test-support/users';
import {
  AMOXICILLIN_500,
  CLARITHROMYCIN_500,
  LISINOPRIL_10,
  SIMVASTATIN_40,
  createTestChart,
  type TestChart,
} from '../cds-hooks/test-chart.test-util';

let harness: Awaited<ReturnType<typeof buildTestApp>>;
let chart: TestChart;
let related: TestUser;
let unrelated: TestUser;

beforeAll(async () => {
  harness = await buildTestApp();
  chart = await createTestChart(harness.deps.fhir, `${RUN_ID}-ds`);
  [related, unrelated] = await Promise.all([
    createTestUser(harness.deps, { role: 'physician' }),
    createTestUser(harness.deps, { role: 'physician' }),
  ]);
  await harness.deps.pg.query('INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, $3)', [
    related.user.id,
    chart.patientId,
    'drug-safety test',
  ]);
});

afterAll(() => harness.close());

describe('GET /api/drugs', () => {
  it('ranks brand and generic matches', async () => {
    const res = await request(harness.app)
      .get('/api/drugs')
      .query({ q: 'zocor', limit: 5 })
      .set(related.auth)
      .expect(200);
    expect(res.body.count).toBeGreaterThan(0);
    expect(res.body.results[0].ingredients.map((i: { name: string }) => i.name)).toContain('simvastatin');
    const generic = await request(harness.app)
      .get('/api/drugs')
      .query({ q: 'simvastatin 40' })
      .set(related.auth)
      .expect(200);
    expect(generic.body.results[0]).toMatchObject({ rxcui: SIMVASTATIN_40, tty: 'SCD' });
  });

  it('validates the query and requires a token', async () => {
    const bad = await request(harness.app).get('/api/drugs').query({ q: 'a' }).set(related.auth).expect(400);
    expect(bad.body.error.details[0].field).toBe('query.q');
    await request(harness.app).get('/api/drugs').query({ q: 'aspirin', limit: 500 }).set(related.auth).expect(400);
    await request(harness.app).get('/api/drugs').query({ q: 'aspirin' }).expect(401);
  });
});

describe('POST /api/medications/check-interactions', () => {
  it('checks codes of any term type against each other', async () => {
    const res = await request(harness.app)
      .post('/api/medications/check-interactions')
      .set(related.auth)
      .send({ medicationCodes: [SIMVASTATIN_40, '21212' /* clarithromycin IN */] })
      .expect(200);
    const ddi = res.body.findings.find((f: { kind: string }) => f.kind === 'drug-drug');
    expect(ddi).toMatchObject({
      severity: 'contraindicated',
      ruleId: 'onc-11-statin-strong-cyp3a4',
      management: expect.any(String),
      source: expect.stringContaining('Phansalkar'),
    });
    expect(ddi.drugs).toHaveLength(2);
    expect(res.body.screened).toEqual({ proposed: 2, active: 0, allergies: 0 });
  });

  it('reports codes it cannot resolve as unable to screen', async () => {
    const res = await request(harness.app)
      .post('/api/medications/check-interactions')
      .set(related.auth)
      .send({ medicationCodes: ['999999999', LISINOPRIL_10] })
      .expect(200);
    expect(res.body.findings).toEqual([
      expect.objectContaining({ kind: 'unable-to-screen', reason: 'unknown-code', severity: 'moderate' }),
    ]);
  });

  it("checks proposed codes against the patient's chart", async () => {
    const res = await request(harness.app)
      .post('/api/medications/check-interactions')
      .set(related.auth)
      .send({ patientId: chart.patientId, medicationCodes: [CLARITHROMYCIN_500, AMOXICILLIN_500] })
      .expect(200);
    expect(res.body.screened).toEqual({ proposed: 2, active: 1, allergies: 1 });
    expect(res.body.patient).toMatchObject({ sex: 'female', weightKg: 70 });
    const kinds = res.body.findings.map((f: { kind: string; ruleId?: string }) => f.ruleId ?? f.kind);
    expect(kinds).toEqual(expect.arrayContaining(['onc-11-statin-strong-cyp3a4', 'drug-allergy']));
    const ddi = res.body.findings.find((f: { ruleId?: string }) => f.ruleId === 'onc-11-statin-strong-cyp3a4');
    expect(ddi.drugs.map((d: { role: string; ref?: string }) => [d.role, d.ref])).toEqual([
      ['active', `MedicationRequest/${chart.simvastatinId}`],
      ['proposed', 'proposed-1'],
    ]);
  });

  it('refuses a user without a care relationship (403) and audits it', async () => {
    const res = await request(harness.app)
      .post('/api/medications/check-interactions')
      .set(unrelated.auth)
      .send({ patientId: chart.patientId, medicationCodes: [CLARITHROMYCIN_500] })
      .expect(403);
    expect(res.body.error.code).toBe('PATIENT_ACCESS_DENIED');
    await harness.deps.audit.flush();
    const { rows } = await harness.deps.pg.query(
      `SELECT outcome FROM audit_log WHERE action = 'medication.check-interactions' AND user_id = $1`,
      [unrelated.user.id],
    );
    expect(rows.map((r) => r.outcome)).toEqual(['denied']);
  });

  it.each([
    [{ medicationCodes: [] }, 'body.medicationCodes'],
    [{ medicationCodes: ['abc'] }, 'body.medicationCodes.0'],
    [{ medicationCodes: Array.from({ length: 51 }, () => LISINOPRIL_10) }, 'body.medicationCodes'],
    [{ patientId: 'bad id!', medicationCodes: [LISINOPRIL_10] }, 'body.patientId'],
    [{ medicationCodes: [LISINOPRIL_10], extra: 1 }, 'body'],
  ])('400 for %j', async (body, field) => {
    const res = await request(harness.app)
      .post('/api/medications/check-interactions')
      .set(related.auth)
      .send(body)
      .expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });
});
