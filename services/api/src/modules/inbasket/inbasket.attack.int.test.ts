import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import type { InbasketItem } from '@wintehr/contracts';
import { issueSmartAccessToken, type SmartContext } from '../../core/auth/smart-token';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { PORTAL_WRITES_PER_HOUR } from './portal-rate-limit';
import { createTestUser, type TestUser } from '../../test-support/users';
import {
  createErxPatient,
  createPharmacy,
  createPrescriber,
  createPrescriberUser,
} from '../eprescribing/erx-fixtures.test-util';

/**
 * Attacks on the in-basket and the portal: items answered by someone they are not addressed to, roles that must not
 * answer, another patient's prescription in a refill request, and two approvals of one refill at once.
 */
jest.setTimeout(60_000);
const QUEUE = `erx-outbox-inbasket-attack-${RUN_ID}`;
let h: Awaited<ReturnType<typeof buildTestApp>>;

beforeAll(async () => {
  // Its own outbox queue with no worker: NewRx messages are only queued, and counted.
  h = await buildTestApp({ env: { ERX_QUEUE: QUEUE } });
});

afterAll(async () => {
  const connection = new Redis(h.deps.config.redis.url, { maxRetriesPerRequest: null });
  for (const name of [QUEUE, `${QUEUE}-dead`]) {
    const q = new Queue(name, { connection });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
  }
  await connection.quit();
  await h.close();
});

async function clinic() {
  const [patientId, practitionerId, pharmacyId] = await Promise.all([
    createErxPatient(h.deps, { family: 'Attack', given: 'Ina' }),
    createPrescriber(h.deps),
    createPharmacy(h.deps),
  ]);
  const patient = await h.deps.fhir.read('Patient', patientId);
  await h.deps.fhir.update({ ...patient, generalPractitioner: [{ reference: `Practitioner/${practitionerId}` }] });
  const doctor = await createPrescriberUser(h.deps, { practitionerId, patientId });
  const rx = await request(h.app)
    .post(`/api/patients/${patientId}/medications`)
    .set(doctor.auth)
    .send({
      medication: { code: '314076' },
      dosage: { dose: { value: 1, unit: '{tablet}' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
      dispense: {
        quantity: { value: 30, unit: '{tablet}' },
        numberOfRepeatsAllowed: 2,
        expectedSupplyDays: 30,
        pharmacyId,
      },
    });
  expect(rx.status).toBe(201);
  const portal = await createTestUser(h.deps, { role: 'patient', patientId });
  return { patientId, practitionerId, mrId: rx.body.medicationRequest.id as string, doctor, portal };
}

const itemsOf = async (u: TestUser, kind: string): Promise<InbasketItem[]> => {
  const r = await request(h.app).get(`/api/inbasket?kind=${kind}`).set(u.auth);
  expect(r.status).toBe(200);
  return r.body.items;
};
const answer = (u: TestUser, itemId: string, body: object) =>
  request(h.app).post(`/api/inbasket/${itemId}/actions`).set(u.auth).send(body);
const taskStatus = async (itemId: string) => (await h.deps.fhir.read('Task', itemId.replace(/^task-/, ''))).status;

test("another clinician with access to the same patient cannot answer an item addressed to someone else's in-basket", async () => {
  const c = await clinic();
  const colleague = await createPrescriberUser(h.deps, {
    practitionerId: await createPrescriber(h.deps),
    patientId: c.patientId,
  });
  await request(h.app)
    .post('/api/portal/messages')
    .set(c.portal.auth)
    .send({ subject: 'Question', text: 'Is a cough expected?' })
    .expect(201);
  const item = (await itemsOf(c.doctor, 'patient-message')).find((i) => i.patientId === c.patientId)!;
  expect(item).toBeDefined();
  expect((await itemsOf(colleague, 'patient-message')).map((i) => i.id)).not.toContain(item.id);

  const res = await answer(colleague, item.id, { action: 'reply', text: 'Not from your doctor' });
  expect(res.status).toBe(403);
  expect(await taskStatus(item.id)).toBe('requested');
  const replies = await h.deps.fhir.searchResources('Communication', { subject: `Patient/${c.patientId}` });
  expect(replies.filter((x) => x.payload?.[0]?.contentString === 'Not from your doctor')).toHaveLength(0);
});

test('patients, admins and lab staff cannot answer in-basket items; a malformed item id is a 4xx', async () => {
  const c = await clinic();
  await request(h.app)
    .post('/api/portal/refill-requests')
    .set(c.portal.auth)
    .send({ medicationRequestId: c.mrId })
    .expect(201);
  const item = (await itemsOf(c.doctor, 'refill-request')).find((i) => i.patientId === c.patientId)!;
  const admin = await createTestUser(h.deps, { role: 'admin' });
  const lab = await createTestUser(h.deps, { role: 'lab_technician' });
  for (const who of [c.portal, admin, lab]) {
    const res = await answer(who, item.id, { action: 'approve' });
    expect([who.user.role, res.status]).toEqual([who.user.role, 403]);
  }
  expect(await taskStatus(item.id)).toBe('requested');
  for (const bad of ['task-', 'task-..%2F..%2FPatient', 'nope-1', `task-${'a'.repeat(200)}`, 'result-x%00y']) {
    const res = await answer(c.doctor, bad, { action: 'approve' });
    expect([bad, res.status >= 400 && res.status < 500]).toEqual([bad, true]);
  }
  const wrongBody = await request(h.app)
    .post(`/api/inbasket/${item.id}/actions`)
    .set(c.doctor.auth)
    .set('content-type', 'text/plain')
    .send('approve');
  expect(wrongBody.status).toBeGreaterThanOrEqual(400);
  expect(wrongBody.status).toBeLessThan(500);
});

test("a patient cannot request a refill of another patient's prescription; the attempt is audited as denied", async () => {
  const mine = await clinic();
  const theirs = await clinic();
  const res = await request(h.app)
    .post('/api/portal/refill-requests')
    .set(mine.portal.auth)
    .send({ medicationRequestId: theirs.mrId });
  expect(res.status).toBe(403);
  expect(JSON.stringify(res.body)).not.toMatch(/lisinopril/i);
  const tasks = await h.deps.fhir.searchResources('Task', { focus: `MedicationRequest/${theirs.mrId}` });
  expect(tasks).toHaveLength(0);
  await h.deps.audit.flush();
  const { rows } = await h.deps.pg.query<{ outcome: string }>(
    'SELECT outcome FROM audit_log WHERE user_id = $1 AND patient_id = $2',
    [mine.portal.user.id, theirs.patientId],
  );
  expect(rows.map((r) => r.outcome)).toContain('denied');
});

test('two approvals of one refill request at once: exactly one succeeds, one new prescription, one NewRx', async () => {
  const c = await clinic();
  await request(h.app)
    .post('/api/portal/refill-requests')
    .set(c.portal.auth)
    .send({ medicationRequestId: c.mrId })
    .expect(201);
  const item = (await itemsOf(c.doctor, 'refill-request')).find((i) => i.patientId === c.patientId)!;
  const results = await Promise.all([
    answer(c.doctor, item.id, { action: 'approve' }),
    answer(c.doctor, item.id, { action: 'approve' }),
  ]);
  expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  const renewals = (
    await h.deps.fhir.searchResources('MedicationRequest', { patient: `Patient/${c.patientId}` })
  ).filter((m) => m.priorPrescription?.reference === `MedicationRequest/${c.mrId}`);
  expect(renewals).toHaveLength(1);
  const ok = results.find((r) => r.status === 200)!;
  expect(ok.body.resources).toEqual([`MedicationRequest/${renewals[0]!.id}`]);
  const { rows } = await h.deps.pg.query<{ message_id: string }>(
    "SELECT message_id FROM erx_messages WHERE type = 'NewRx' AND medication_request_id = $1",
    [renewals[0]!.id],
  );
  expect(rows.map((r) => r.message_id)).toEqual([ok.body.erxMessageId]);
  expect(await taskStatus(item.id)).toBe('completed');
});

test("SMART app tokens (the FHIR gate's audience) open none of the portal, in-basket, schedule or DICOMweb routes", async () => {
  const c = await clinic();
  const mint = async (ctx: Omit<SmartContext, 'tokenId' | 'expiresAt'>) =>
    (await issueSmartAccessToken(h.deps.tokens, h.deps.config.publicBaseUrl, ctx, 600)).token;
  const patientApp = await mint({
    kind: 'user',
    clientId: `attack-${RUN_ID}`,
    userId: c.portal.user.id,
    username: c.portal.user.username,
    role: 'patient',
    fhirUser: `Patient/${c.patientId}`,
    patientId: c.patientId,
    scopes: ['launch/patient', 'openid', 'fhirUser', 'patient/*.cruds'],
  });
  const clinicianApp = await mint({
    kind: 'user',
    clientId: `attack-${RUN_ID}`,
    userId: c.doctor.user.id,
    username: c.doctor.user.username,
    role: 'physician',
    fhirUser: `Practitioner/${c.practitionerId}`,
    scopes: ['openid', 'fhirUser', 'user/*.cruds'],
  });
  for (const token of [patientApp, clinicianApp]) {
    const auth = { Authorization: `Bearer ${token}` };
    const calls: Array<[string, () => request.Test]> = [
      [
        'messages',
        () => request(h.app).post('/api/portal/messages').set(auth).send({ subject: 'app', text: 'by app' }),
      ],
      [
        'refill',
        () => request(h.app).post('/api/portal/refill-requests').set(auth).send({ medicationRequestId: c.mrId }),
      ],
      ['requests', () => request(h.app).get('/api/portal/requests').set(auth)],
      ['coverage', () => request(h.app).get('/api/portal/coverage').set(auth)],
      ['inbasket', () => request(h.app).get('/api/inbasket').set(auth)],
      ['schedule', () => request(h.app).get('/api/schedule').set(auth)],
      ['dicomweb', () => request(h.app).get('/dicomweb/studies').query({ PatientID: 'MRN-000001' }).set(auth)],
    ];
    for (const [label, call] of calls) expect([label, (await call()).status]).toEqual([label, 401]);
  }
  const tasks = await h.deps.fhir.searchResources('Task', { patient: `Patient/${c.patientId}` });
  expect(tasks).toHaveLength(0);
});

test('two refill requests for one prescription at once: exactly one reaches the in-basket', async () => {
  const c = await clinic();
  const results = await Promise.all(
    [1, 2, 3].map(() =>
      request(h.app).post('/api/portal/refill-requests').set(c.portal.auth).send({ medicationRequestId: c.mrId }),
    ),
  );
  expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  const open = await h.deps.fhir.searchResources('Task', { focus: `MedicationRequest/${c.mrId}`, status: 'requested' });
  expect(open).toHaveLength(1);
});

test('one patient cannot flood the clinic: messages and refill requests share an hourly budget (429 after it)', async () => {
  const c = await clinic();
  const send = (i: number) =>
    request(h.app)
      .post('/api/portal/messages')
      .set(c.portal.auth)
      .send({ subject: `Note ${i}`, text: `message ${i}` });
  for (let i = 0; i < PORTAL_WRITES_PER_HOUR; i++) expect((await send(i)).status).toBe(201);
  const over = await send(PORTAL_WRITES_PER_HOUR);
  expect(over.status).toBe(429);
  expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  const refill = await request(h.app)
    .post('/api/portal/refill-requests')
    .set(c.portal.auth)
    .send({ medicationRequestId: c.mrId });
  expect(refill.status).toBe(429);
  // Another patient's budget is their own.
  const other = await clinic();
  expect(
    (await request(h.app).post('/api/portal/messages').set(other.portal.auth).send({ subject: 'Hi', text: 'hello' }))
      .status,
  ).toBe(201);
});
