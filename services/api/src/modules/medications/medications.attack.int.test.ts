import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';

/**
 * Attacks on renew / modify / discontinue / reconciliation: another patient's prescription named by id, roles that
 * must not prescribe, and two renewals of one order at once (exactly one replacement may exist).
 */
jest.setTimeout(60_000);
let h: Awaited<ReturnType<typeof buildTestApp>>;
let doc: TestUser;
let A: string;
let B: string;
let theirMr: string;
let myMr: string;

const rx = {
  medication: { code: '314076' },
  dosage: { dose: { value: 1, unit: '{tablet}' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
  dispense: { quantity: { value: 30, unit: '{tablet}' }, numberOfRepeatsAllowed: 1, expectedSupplyDays: 30 },
};

beforeAll(async () => {
  h = await buildTestApp();
  A = await createTestPatient(h.deps, 'Medattacka');
  B = await createTestPatient(h.deps, 'Medattackb');
  doc = await createTestUser(h.deps, { role: 'physician', practitionerId: await createTestPractitioner(h.deps) });
  const theirDoc = await createTestUser(h.deps, {
    role: 'physician',
    practitionerId: await createTestPractitioner(h.deps),
  });
  for (const [u, p] of [
    [doc, A],
    [theirDoc, B],
  ] as const)
    await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      u.user.id,
      p,
    ]);
  const mine = await request(h.app).post(`/api/patients/${A}/medications`).set(doc.auth).send(rx);
  expect(mine.status).toBe(201);
  myMr = mine.body.medicationRequest.id;
  const theirs = await request(h.app).post(`/api/patients/${B}/medications`).set(theirDoc.auth).send(rx);
  expect(theirs.status).toBe(201);
  theirMr = theirs.body.medicationRequest.id;
});
afterAll(() => h.close());

const version = async (id: string) => (await h.deps.fhir.read('MedicationRequest', id)).meta?.versionId;

test("renew, modify and discontinue of another patient's prescription are refused (403) and change nothing", async () => {
  const before = await version(theirMr);
  const calls: Array<[string, object]> = [
    ['renew', {}],
    ['modify', { dosage: { ...rx.dosage, dose: { value: 2, unit: '{tablet}' } } }],
    ['discontinue', { reason: 'taking it over' }],
  ];
  for (const [kind, body] of calls) {
    const res = await request(h.app).post(`/api/medications/${theirMr}/${kind}`).set(doc.auth).send(body);
    expect([kind, res.status]).toEqual([kind, 403]);
    expect(JSON.stringify(res.body)).not.toMatch(/lisinopril/i);
  }
  expect(await version(theirMr)).toBe(before);
  const replacements = await h.deps.fhir.searchResources('MedicationRequest', { patient: `Patient/${B}` });
  expect(replacements).toHaveLength(1);
});

test("reconciliation on my patient naming another patient's prescription is refused (400) and changes nothing", async () => {
  const before = await version(theirMr);
  for (const decision of [
    { lineKey: 'x', action: 'discontinue', medicationRequestId: theirMr, reason: 'not needed' },
    { lineKey: 'x', action: 'mark-not-taking', medicationRequestId: theirMr },
    { lineKey: 'x', action: 'continue', medicationRequestId: theirMr },
  ]) {
    const res = await request(h.app)
      .post(`/api/patients/${A}/medication-reconciliation`)
      .set(doc.auth)
      .send({ decisions: [decision] });
    expect([decision.action, res.status]).toEqual([decision.action, 400]);
  }
  expect(await version(theirMr)).toBe(before);
  // Another patient's id and an id that exists nowhere get the same answer: no existence oracle.
  const answer = async (medicationRequestId: string) =>
    (
      await request(h.app)
        .post(`/api/patients/${A}/medication-reconciliation`)
        .set(doc.auth)
        .send({ decisions: [{ lineKey: 'x', action: 'continue', medicationRequestId }] })
        .expect(400)
    ).body.error;
  const theirs = await answer(theirMr);
  const nowhere = await answer('no-such-order-0000');
  const same = (e: Record<string, unknown>) => ({ code: e.code, message: e.message, details: e.details });
  expect(same(nowhere)).toEqual(same(theirs));
});

test('nurses, pharmacists, patients and admins cannot renew or modify', async () => {
  const nurse = await createTestUser(h.deps, { role: 'nurse', practitionerId: await createTestPractitioner(h.deps) });
  await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
    nurse.user.id,
    A,
  ]);
  const others = [
    nurse,
    await createTestUser(h.deps, { role: 'pharmacist', practitionerId: await createTestPractitioner(h.deps) }),
    await createTestUser(h.deps, { role: 'patient', patientId: A }),
    await createTestUser(h.deps, { role: 'admin' }),
  ];
  for (const who of others)
    for (const kind of ['renew', 'modify']) {
      const res = await request(h.app)
        .post(`/api/medications/${myMr}/${kind}`)
        .set(who.auth)
        .send(kind === 'modify' ? { dosage: rx.dosage } : {});
      expect([who.user.role, kind, res.status]).toEqual([who.user.role, kind, 403]);
    }
});

test('two renewals of one order at once: exactly one replacement', async () => {
  const results = await Promise.all([
    request(h.app).post(`/api/medications/${myMr}/renew`).set(doc.auth).send({}),
    request(h.app).post(`/api/medications/${myMr}/renew`).set(doc.auth).send({}),
  ]);
  expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  const all = await h.deps.fhir.searchResources('MedicationRequest', { patient: `Patient/${A}` });
  expect(all.filter((m) => m.priorPrescription?.reference === `MedicationRequest/${myMr}`)).toHaveLength(1);
  expect(all.filter((m) => m.status === 'active')).toHaveLength(1);
});

test('malformed ids and bodies answer 4xx, never 500', async () => {
  for (const [path, body] of [
    [`/api/medications/${'x'.repeat(80)}/renew`, {}],
    ['/api/medications/..%2FPatient/renew', {}],
    [`/api/medications/${myMr}/modify`, { dosage: { dose: { value: -1 } } }],
    [`/api/medications/${myMr}/renew`, { ifMatch: 'W/"1"; DROP' }],
    [
      `/api/patients/${A}/medication-reconciliation`,
      { decisions: Array.from({ length: 500 }, (_, i) => ({ lineKey: `${i}`, action: 'continue' })) },
    ],
  ] as Array<[string, object]>) {
    const res = await request(h.app).post(path).set(doc.auth).send(body);
    expect([path.slice(0, 60), res.status >= 400 && res.status < 500]).toEqual([path.slice(0, 60), true]);
  }
});
