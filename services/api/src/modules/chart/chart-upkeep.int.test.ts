import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';

jest.setTimeout(90_000);

type App = Awaited<ReturnType<typeof buildTestApp>>;
const etag = (res: request.Response) => res.headers.etag as string;
const ids = (res: request.Response) => (res.body.items as Array<{ id: string }>).map((i) => i.id);

describe('chart upkeep: edits, entered-in-error, NKA, social history, vital sets (real HAPI)', () => {
  let t: App;
  let doc: TestUser;
  let nurse: TestUser;
  let stranger: TestUser;
  let self: TestUser;
  let patientId: string;
  let otherPatientId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    patientId = await createTestPatient(t.deps, 'Upkeep');
    otherPatientId = await createTestPatient(t.deps, 'Upkeepother');
    doc = await createTestUser(t.deps, { role: 'physician', practitionerId: await createTestPractitioner(t.deps) });
    nurse = await createTestUser(t.deps, { role: 'nurse', practitionerId: await createTestPractitioner(t.deps) });
    stranger = await createTestUser(t.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(t.deps),
    });
    self = await createTestUser(t.deps, { role: 'patient', patientId });
    for (const [u, p] of [
      [doc, patientId],
      [nurse, patientId],
      [doc, otherPatientId],
    ] as const)
      await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
        u.user.id,
        p,
      ]);
  });
  afterAll(async () => t.close());

  const penicillin = {
    substance: { system: 'rxnorm', code: '7980', display: 'Penicillin G' },
    criticality: 'high',
  };

  it('keeps "no known allergies" apart from "not recorded", and an allergy retires it', async () => {
    const empty = await request(t.app).get(`/api/patients/${patientId}/allergies`).set(doc.auth).expect(200);
    expect(empty.body).toEqual({ items: [], state: 'not-recorded' });
    const nka = await request(t.app)
      .post(`/api/patients/${patientId}/allergies/no-known-allergies`)
      .set(nurse.auth)
      .send({})
      .expect(201);
    expect(nka.body.code.coding[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '716186003' });
    expect(nka.body.verificationStatus.coding[0].code).toBe('confirmed');
    const listed = await request(t.app).get(`/api/patients/${patientId}/allergies`).set(self.auth).expect(200);
    expect(listed.body.state).toBe('no-known-allergies');
    await request(t.app)
      .post(`/api/patients/${patientId}/allergies/no-known-allergies`)
      .set(nurse.auth)
      .send({})
      .expect(409);

    const pcn = await request(t.app).post(`/api/patients/${patientId}/allergies`).set(doc.auth).send(penicillin);
    expect(pcn.status).toBe(201);
    const after = await request(t.app).get(`/api/patients/${patientId}/allergies`).set(doc.auth).expect(200);
    expect(after.body.state).toBe('has-allergies');
    expect(ids(after)).not.toContain(nka.body.id);
    const history = await request(t.app).get(`/api/patients/${patientId}/allergies?include=all`).set(doc.auth);
    const retired = history.body.items.find((a: fhir4.AllergyIntolerance) => a.id === nka.body.id);
    expect(retired.clinicalStatus.coding[0].code).toBe('inactive');
    // An NKA statement cannot sit beside an active allergy.
    const clash = await request(t.app)
      .post(`/api/patients/${patientId}/allergies/no-known-allergies`)
      .set(nurse.auth)
      .send({})
      .expect(409);
    expect(clash.body.error.details.active).toEqual([pcn.body.id]);
  });

  it('edits an allergy under If-Match: 428 without, 409 when stale; entered-in-error leaves the list, not the history', async () => {
    const a = await request(t.app)
      .post(`/api/patients/${patientId}/allergies`)
      .set(doc.auth)
      .send({ ...penicillin, substance: { system: 'rxnorm', code: '2670', display: 'Codeine' }, criticality: 'low' })
      .expect(201);
    const url = `/api/patients/${patientId}/allergies/${a.body.id}`;
    await request(t.app).put(url).set(doc.auth).send({ criticality: 'high' }).expect(428);
    const edited = await request(t.app)
      .put(url)
      .set(doc.auth)
      .set('If-Match', etag(a))
      .send({
        criticality: 'high',
        reactions: [{ manifestation: { system: 'snomed', code: '271807003', display: 'Skin rash' }, severity: 'mild' }],
        note: 'confirmed with pharmacy',
      })
      .expect(200);
    expect(edited.body).toMatchObject({ criticality: 'high', reaction: [{ severity: 'mild' }] });
    const stale = await request(t.app).put(url).set(doc.auth).set('If-Match', etag(a)).send({ criticality: 'low' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    await request(t.app).put(url).set(doc.auth).set('If-Match', etag(edited)).send({}).expect(400);

    const eie = await request(t.app)
      .post(`${url}/entered-in-error`)
      .set(doc.auth)
      .set('If-Match', etag(edited))
      .send({ reason: 'wrong patient' })
      .expect(200);
    expect(eie.body.verificationStatus.coding[0].code).toBe('entered-in-error');
    expect(eie.body.clinicalStatus).toBeUndefined();
    expect(eie.body.note.at(-1).text).toBe('Entered in error: wrong patient');
    const current = await request(t.app).get(`/api/patients/${patientId}/allergies`).set(doc.auth).expect(200);
    expect(ids(current)).not.toContain(a.body.id);
    const history = await request(t.app)
      .get(`/api/patients/${patientId}/allergies?include=all`)
      .set(doc.auth)
      .expect(200);
    expect(ids(history)).toContain(a.body.id);
    await request(t.app)
      .post(`${url}/entered-in-error`)
      .set(doc.auth)
      .set('If-Match', etag(eie))
      .send({ reason: 'again' })
      .expect(409);
  });

  it('edits, reactivates and withdraws problems', async () => {
    const p = await request(t.app)
      .post(`/api/patients/${patientId}/problems`)
      .set(doc.auth)
      .send({ code: { system: 'icd10', code: 'I10', display: 'Essential hypertension' }, onset: '2020-01-01' })
      .expect(201);
    const base = `/api/patients/${patientId}/problems/${p.body.id}`;
    const edited = await request(t.app)
      .put(base)
      .set(doc.auth)
      .set('If-Match', etag(p))
      .send({ severity: 'moderate', note: 'home readings high' })
      .expect(200);
    expect(edited.body.severity.coding[0].code).toBe('6736007');
    const resolved = await request(t.app)
      .post(`${base}/resolve`)
      .set(doc.auth)
      .set('If-Match', etag(edited))
      .send({})
      .expect(200);
    await request(t.app).post(`${base}/reactivate`).set(doc.auth).set('If-Match', etag(edited)).send({}).expect(409);
    const back = await request(t.app)
      .post(`${base}/reactivate`)
      .set(doc.auth)
      .set('If-Match', etag(resolved))
      .send({})
      .expect(200);
    expect(back.body.clinicalStatus.coding[0].code).toBe('recurrence');
    expect(back.body.abatementDateTime).toBeUndefined();
    await request(t.app)
      .post(`${base}/entered-in-error`)
      .set(doc.auth)
      .set('If-Match', etag(back))
      .send({ reason: 'duplicate entry' })
      .expect(200);
    const list = await request(t.app).get(`/api/patients/${patientId}/problems`).set(doc.auth).expect(200);
    expect(ids(list)).not.toContain(p.body.id);
    const all = await request(t.app).get(`/api/patients/${patientId}/problems?include=all`).set(doc.auth).expect(200);
    expect(ids(all)).toContain(p.body.id);
  });

  it('records an immunization not given with a reason, edits one and withdraws it', async () => {
    const vaccine = { system: 'cvx', code: '140', display: 'Influenza, seasonal, injectable' };
    const noReason = await request(t.app)
      .post(`/api/patients/${patientId}/immunizations`)
      .set(nurse.auth)
      .send({ vaccine, status: 'not-done', occurrence: '2025-10-01' })
      .expect(400);
    expect(noReason.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.statusReason']);
    const refused = await request(t.app)
      .post(`/api/patients/${patientId}/immunizations`)
      .set(nurse.auth)
      .send({ vaccine, status: 'not-done', statusReason: 'PATOBJ', occurrence: '2025-10-01' })
      .expect(201);
    expect(refused.body).toMatchObject({ status: 'not-done', statusReason: { coding: [{ code: 'PATOBJ' }] } });
    const given = await request(t.app)
      .post(`/api/patients/${patientId}/immunizations`)
      .set(nurse.auth)
      .send({ vaccine, occurrence: '2025-10-02' })
      .expect(201);
    const url = `/api/patients/${patientId}/immunizations/${given.body.id}`;
    const edited = await request(t.app)
      .put(url)
      .set(nurse.auth)
      .set('If-Match', etag(given))
      .send({ lotNumber: 'LOT-9', site: 'LD', route: 'IM' })
      .expect(200);
    expect(edited.body.lotNumber).toBe('LOT-9');
    await request(t.app)
      .post(`${url}/entered-in-error`)
      .set(nurse.auth)
      .set('If-Match', etag(given))
      .send({ reason: 'charted twice' })
      .expect(409);
    await request(t.app)
      .post(`${url}/entered-in-error`)
      .set(nurse.auth)
      .set('If-Match', etag(edited))
      .send({ reason: 'charted twice' })
      .expect(200);
    const list = await request(t.app).get(`/api/patients/${patientId}/immunizations`).set(doc.auth).expect(200);
    expect(ids(list)).toEqual(expect.arrayContaining([refused.body.id]));
    expect(ids(list)).not.toContain(given.body.id);
  });

  it('records and corrects social history (smoking status 72166-2, AUDIT-C, substance use)', async () => {
    const smoke = await request(t.app)
      .post(`/api/patients/${patientId}/social-history`)
      .set(doc.auth)
      .send({ kind: 'smoking', status: 'current-every-day' })
      .expect(201);
    expect(smoke.body.code.coding[0].code).toBe('72166-2');
    expect(smoke.body.category[0].coding[0].code).toBe('social-history');
    expect(smoke.body.valueCodeableConcept.coding[0].code).toBe('449868002');
    const fixed = await request(t.app)
      .put(`/api/patients/${patientId}/social-history/${smoke.body.id}`)
      .set(doc.auth)
      .set('If-Match', etag(smoke))
      .send({ kind: 'smoking', status: 'former' })
      .expect(200);
    expect(fixed.body).toMatchObject({ status: 'amended', valueCodeableConcept: { coding: [{ code: '8517006' }] } });
    await request(t.app)
      .put(`/api/patients/${patientId}/social-history/${smoke.body.id}`)
      .set(doc.auth)
      .set('If-Match', etag(fixed))
      .send({ kind: 'alcohol', auditC: 3 })
      .expect(400);
    const alcohol = await request(t.app)
      .post(`/api/patients/${patientId}/social-history`)
      .set(doc.auth)
      .send({ kind: 'alcohol', auditC: 5, drinksPerDay: 2 })
      .expect(201);
    expect(alcohol.body.component.map((c: fhir4.ObservationComponent) => c.code.coding![0]!.code)).toEqual([
      '75626-2',
      '74013-4',
    ]);
    await request(t.app)
      .post(`/api/patients/${patientId}/social-history`)
      .set(doc.auth)
      .send({ kind: 'alcohol' })
      .expect(400);
    await request(t.app)
      .post(`/api/patients/${patientId}/social-history`)
      .set(doc.auth)
      .send({ kind: 'substance-use', status: 'never' })
      .expect(201);
    const list = await request(t.app).get(`/api/patients/${patientId}/social-history`).set(nurse.auth).expect(200);
    expect(list.body.items).toHaveLength(3);
  });

  it('records a vital set in one transaction with BMI and flags; an impossible value is a field-level 400', async () => {
    const res = await request(t.app)
      .post(`/api/patients/${patientId}/vitals/sets`)
      .set(nurse.auth)
      .send({
        measurements: [
          { kind: 'blood-pressure', systolic: 165, diastolic: 95 },
          { kind: 'heart-rate', value: 72, unit: '/min' },
          { kind: 'oxygen-saturation', value: 88, unit: '%' },
          { kind: 'body-weight', value: 80, unit: 'kg' },
          { kind: 'body-height', value: 180, unit: 'cm' },
        ],
      })
      .expect(201);
    const byCode = new Map((res.body.items as fhir4.Observation[]).map((o) => [o.code.coding![0]!.code, o] as const));
    expect([...byCode.keys()].sort()).toEqual(['29463-7', '39156-5', '59408-5', '8302-2', '85354-9', '8867-4']);
    expect(byCode.get('39156-5')!.valueQuantity!.value).toBe(24.7);
    expect(byCode.get('59408-5')!.interpretation![0]!.coding![0]!.code).toBe('LL');
    expect(byCode.get('85354-9')!.component!.map((c) => c.interpretation![0]!.coding![0]!.code)).toEqual(['H', 'H']);
    const bad = await request(t.app)
      .post(`/api/patients/${patientId}/vitals/sets`)
      .set(nurse.auth)
      .send({
        measurements: [
          { kind: 'heart-rate', value: 72, unit: '/min' },
          { kind: 'body-temperature', value: 55, unit: 'Cel' },
        ],
      })
      .expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.measurements.1.value']);
  });

  it('refuses other charts: a patient token, an unrelated clinician, a resource of another patient', async () => {
    await request(t.app).get(`/api/patients/${patientId}/allergies`).set(stranger.auth).expect(403);
    await request(t.app)
      .post(`/api/patients/${patientId}/allergies/no-known-allergies`)
      .set(stranger.auth)
      .send({})
      .expect(403);
    await request(t.app).post(`/api/patients/${patientId}/social-history`).set(self.auth).send({}).expect(403);
    await request(t.app)
      .post(`/api/patients/${patientId}/vitals/sets`)
      .set(self.auth)
      .send({ measurements: [{ kind: 'heart-rate', value: 72, unit: '/min' }] })
      .expect(403);
    const other = await request(t.app)
      .post(`/api/patients/${otherPatientId}/problems`)
      .set(doc.auth)
      .send({ code: { system: 'icd10', code: 'E11.9', display: 'Type 2 diabetes' } })
      .expect(201);
    // Addressed through the wrong chart: not found, never edited.
    await request(t.app)
      .post(`/api/patients/${patientId}/problems/${other.body.id}/entered-in-error`)
      .set(doc.auth)
      .set('If-Match', etag(other))
      .send({ reason: 'wrong chart' })
      .expect(404);
    await t.deps.audit.flush();
    const { rows } = await t.deps.pg.query('SELECT action, outcome FROM audit_log WHERE patient_id = $1', [patientId]);
    const seen = new Set(rows.map((r) => `${r.action}:${r.outcome}`));
    for (const a of [
      'allergy.nka:success',
      'allergy.update:success',
      'allergy.entered-in-error:success',
      'problem.entered-in-error:success',
      'social-history.create:success',
      'vitals.record-set:success',
      'allergy.list:denied',
    ])
      expect(seen).toContain(a);
  });
});
