import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';
import { RUN_ID } from '../../test-support/test-env';

jest.setTimeout(60_000);

type App = Awaited<ReturnType<typeof buildTestApp>>;

describe('chart items API (real HAPI)', () => {
  let t: App;
  let doc: TestUser;
  let nurse: TestUser;
  let stranger: TestUser;
  let self: TestUser;
  let admin: TestUser;
  let patientId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    patientId = await createTestPatient(t.deps, 'Chartpatient');
    doc = await createTestUser(t.deps, { role: 'physician', practitionerId: await createTestPractitioner(t.deps) });
    nurse = await createTestUser(t.deps, { role: 'nurse', practitionerId: await createTestPractitioner(t.deps) });
    stranger = await createTestUser(t.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(t.deps),
    });
    self = await createTestUser(t.deps, { role: 'patient', patientId: await createTestPatient(t.deps) });
    admin = await createTestUser(t.deps, { role: 'admin' });
    for (const u of [doc, nurse])
      await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
        u.user.id,
        patientId,
      ]);
  });
  afterAll(async () => t.close());

  const fields = (res: request.Response) => (res.body.error.details as Array<{ field: string }>).map((d) => d.field);

  it('records and lists allergies with RxNorm or SNOMED substances, criticality and reactions', async () => {
    const res = await request(t.app)
      .post(`/api/patients/${patientId}/allergies`)
      .set(doc.auth)
      .send({
        substance: { system: 'rxnorm', code: '7980', display: 'Penicillin G' },
        criticality: 'high',
        reactions: [
          { manifestation: { system: 'snomed', code: '271807003', display: 'Skin rash' }, severity: 'moderate' },
        ],
      })
      .expect(201);
    expect(res.body).toMatchObject({
      resourceType: 'AllergyIntolerance',
      criticality: 'high',
      patient: { reference: `Patient/${patientId}` },
    });
    expect(res.body.code.coding[0]).toMatchObject({
      system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
      code: '7980',
    });
    const list = await request(t.app).get(`/api/patients/${patientId}/allergies`).set(nurse.auth).expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(res.body.id);
    const bad = await request(t.app)
      .post(`/api/patients/${patientId}/allergies`)
      .set(doc.auth)
      .send({ substance: { system: 'snomed', code: '38341004', display: 'x' }, criticality: 'high' })
      .expect(400);
    expect(fields(bad)).toContain('body.substance.code');
    const bad2 = await request(t.app)
      .post(`/api/patients/${patientId}/allergies`)
      .set(doc.auth)
      .send({
        substance: { system: 'rxnorm', code: '7980', display: 'x' },
        criticality: 'extreme',
        onset: '2999-01-01',
      })
      .expect(400);
    expect(fields(bad2)).toEqual(expect.arrayContaining(['body.criticality', 'body.onset']));
  });

  it('adds and resolves problems with SNOMED or ICD-10-CM codes', async () => {
    const res = await request(t.app)
      .post(`/api/patients/${patientId}/problems`)
      .set(doc.auth)
      .send({
        code: { system: 'icd10', code: 'E11.9', display: 'Type 2 diabetes' },
        onset: '2019-06-01',
        severity: 'moderate',
      })
      .expect(201);
    expect(res.body.clinicalStatus.coding[0].code).toBe('active');
    expect(res.body.category[0].coding[0].code).toBe('problem-list-item');
    const resolved = await request(t.app)
      .post(`/api/patients/${patientId}/problems/${res.body.id}/resolve`)
      .set(doc.auth)
      .send({ abatement: '2024-01-01' })
      .expect(200);
    expect(resolved.body).toMatchObject({
      clinicalStatus: { coding: [{ code: 'resolved' }] },
      abatementDateTime: '2024-01-01',
    });
    const early = await request(t.app)
      .post(`/api/patients/${patientId}/problems/${res.body.id}/resolve`)
      .set(doc.auth)
      .send({ abatement: '2010-01-01' })
      .expect(400);
    expect(fields(early)).toEqual(['body.abatement']);
    await request(t.app)
      .post(`/api/patients/${patientId}/problems/nope-${RUN_ID}/resolve`)
      .set(doc.auth)
      .send({})
      .expect(404);
    const bad = await request(t.app)
      .post(`/api/patients/${patientId}/problems`)
      .set(doc.auth)
      .send({ code: { system: 'icd10', code: '250.00', display: 'ICD-9 code' } })
      .expect(400);
    expect(fields(bad)).toContain('body.code.code');
    const list = await request(t.app).get(`/api/patients/${patientId}/problems`).set(doc.auth).expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(res.body.id);
  });

  it('records vitals with LOINC and UCUM and refuses implausible values with the field', async () => {
    const bp = await request(t.app)
      .post(`/api/patients/${patientId}/vitals`)
      .set(nurse.auth)
      .send({ kind: 'blood-pressure', systolic: 128, diastolic: 82 })
      .expect(201);
    expect(bp.body.code.coding[0].code).toBe('85354-9');
    expect(bp.body.component.map((c: fhir4.ObservationComponent) => c.code.coding![0]!.code)).toEqual([
      '8480-6',
      '8462-4',
    ]);
    await request(t.app)
      .post(`/api/patients/${patientId}/vitals`)
      .set(nurse.auth)
      .send({ kind: 'body-temperature', value: 98.4, unit: '[degF]' })
      .expect(201);
    const neg = await request(t.app)
      .post(`/api/patients/${patientId}/vitals`)
      .set(nurse.auth)
      .send({ kind: 'body-weight', value: -70, unit: 'kg' })
      .expect(400);
    expect(fields(neg)).toEqual(['body.value']);
    const hr = await request(t.app)
      .post(`/api/patients/${patientId}/vitals`)
      .set(nurse.auth)
      .send({ kind: 'heart-rate', value: 700, unit: '/min' })
      .expect(400);
    expect(fields(hr)).toEqual(['body.value']);
    const unit = await request(t.app)
      .post(`/api/patients/${patientId}/vitals`)
      .set(nurse.auth)
      .send({ kind: 'oxygen-saturation', value: 97, unit: 'pct' })
      .expect(400);
    expect(fields(unit)).toEqual(['body.unit']);
    const list = await request(t.app).get(`/api/patients/${patientId}/vitals`).set(doc.auth).expect(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(2);
  });

  it("carries HAPI's own rejection as 422 with its issues", async () => {
    const res = await request(t.app)
      .post(`/api/patients/${patientId}/vitals`)
      .set(nurse.auth)
      .send({ kind: 'heart-rate', value: 70, unit: '/min', encounterId: `missing-${RUN_ID}` })
      .expect(422);
    expect(res.body.error.code).toBe('FHIR_VALIDATION_ERROR');
    expect(res.body.error.details.issues.length).toBeGreaterThan(0);
  });

  it('records immunizations with CVX codes', async () => {
    const res = await request(t.app)
      .post(`/api/patients/${patientId}/immunizations`)
      .set(nurse.auth)
      .send({
        vaccine: { system: 'cvx', code: '140', display: 'Influenza, seasonal, injectable, preservative free' },
        occurrence: '2025-10-01',
        lotNumber: 'AB123',
        site: 'LD',
        route: 'IM',
        doseMl: 0.5,
      })
      .expect(201);
    expect(res.body.vaccineCode.coding[0]).toMatchObject({ system: 'http://hl7.org/fhir/sid/cvx', code: '140' });
    const bad = await request(t.app)
      .post(`/api/patients/${patientId}/immunizations`)
      .set(nurse.auth)
      .send({ vaccine: { system: 'cvx', code: '14000', display: 'x' }, occurrence: '2999-01-01' })
      .expect(400);
    expect(fields(bad)).toEqual(expect.arrayContaining(['body.vaccine.code', 'body.occurrence']));
    const list = await request(t.app).get(`/api/patients/${patientId}/immunizations`).set(self.auth);
    expect(list.status).toBe(403);
  });

  it('enforces permissions, relationships and existence, and audits every read and write', async () => {
    await request(t.app).get(`/api/patients/${patientId}/allergies`).set(stranger.auth).expect(403);
    await request(t.app).post(`/api/patients/${patientId}/allergies`).set(self.auth).send({}).expect(403);
    await request(t.app).get(`/api/patients/${self.user.fhir_patient_id}/vitals`).set(self.auth).expect(200);
    await request(t.app).get(`/api/patients/${patientId}/problems`).set(admin.auth).expect(403); // admins have no implicit access
    await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      doc.user.id,
      `nope-${RUN_ID}`,
    ]);
    await request(t.app).get(`/api/patients/nope-${RUN_ID}/problems`).set(doc.auth).expect(404);
    await t.deps.audit.flush();
    const { rows } = await t.deps.pg.query('SELECT action, outcome FROM audit_log WHERE patient_id = $1', [patientId]);
    const seen = new Set(rows.map((r) => `${r.action}:${r.outcome}`));
    for (const a of [
      'allergy.create:success',
      'allergy.list:success',
      'problem.create:success',
      'problem.resolve:success',
      'vitals.record:success',
      'vitals.list:success',
      'immunization.create:success',
      'allergy.list:denied',
    ])
      expect(seen).toContain(a);
  });
});
