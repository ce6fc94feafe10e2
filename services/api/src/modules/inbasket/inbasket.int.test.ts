import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { XMLParser } from 'fast-xml-parser';
import { io as connect, type Socket } from 'socket.io-client';
import { INBASKET_SOCKET_MESSAGE, type InbasketChanged, type InbasketItem } from '@wintehr/contracts';
import { attachRealtime, SOCKET_PATH } from '../../core/realtime';
import { realtimeChannels } from '../manifest';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestUser, type TestUser } from '../../test-support/users';
import { erxRepository } from '../eprescribing/erx.repository';
import {
  createErxPatient,
  createPharmacy,
  createPrescriber,
  createPrescriberUser,
} from '../eprescribing/erx-fixtures.test-util';
import { erxOutbox } from '../eprescribing/outbox';
import {
  INBOUND_PASSWORD,
  INBOUND_USER,
  SIM_PASSWORD,
  SIM_USER,
  SimulatorProcess,
} from '../eprescribing/simulator-process.test-util';

/**
 * The in-basket end to end against the real HAPI, PostgreSQL, Redis and the Surescripts simulator process: each
 * kind of item arrives through its real workflow and is answered through POST /api/inbasket/:id/actions.
 */
jest.setTimeout(120_000);
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

let h: Awaited<ReturnType<typeof buildTestApp>>;
let server: Server;
let apiUrl = '';
let rt: ReturnType<typeof attachRealtime>;
const sim = new SimulatorProcess(() => `${apiUrl || 'http://127.0.0.1:9'}/api/erx/inbound`);
const QUEUE = `erx-outbox-inbasket-${RUN_ID}`;

beforeAll(async () => {
  await sim.start(0);
  h = await buildTestApp({
    env: {
      SURESCRIPTS_URL: sim.url,
      SURESCRIPTS_USER: SIM_USER,
      SURESCRIPTS_PASSWORD: SIM_PASSWORD,
      SURESCRIPTS_TIMEOUT_MS: '2000',
      ERX_INBOUND_USER: INBOUND_USER,
      ERX_INBOUND_PASSWORD: INBOUND_PASSWORD,
      ERX_BACKOFF_MS: '200',
      ERX_QUEUE: QUEUE,
    },
  });
  server = h.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rt = attachRealtime(server, h.deps, realtimeChannels());
  // The simulator must know the API's inbound URL: restart it on the same port now that the API listens.
  await sim.stop();
  await sim.start(sim.port);
  erxOutbox(h.deps).startWorker({ sweepEveryMs: 500, sweepOlderThanSeconds: 2 });
});

afterAll(async () => {
  await erxOutbox(h.deps).close();
  const connection = new Redis(h.deps.config.redis.url, { maxRetriesPerRequest: null });
  for (const name of [QUEUE, `${QUEUE}-dead`]) {
    const q = new Queue(name, { connection });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
  }
  await connection.quit();
  await sim.stop();
  await rt.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await h.close();
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const accepted = (messageId: string) =>
  until(`acceptance of ${messageId}`, async () => {
    const r = await erxRepository.get(h.deps.pg, messageId);
    return r && ['accepted', 'rejected', 'error'].includes(r.status) && r;
  });

/** A patient with a portal account, a prescriber (their general practitioner) and an active prescription. */
async function clinic() {
  const [patientId, practitionerId, pharmacyId] = await Promise.all([
    createErxPatient(h.deps, { family: 'Inbasket', given: 'Rosa' }),
    createPrescriber(h.deps),
    createPharmacy(h.deps),
  ]);
  const patient = await h.deps.fhir.read('Patient', patientId);
  await h.deps.fhir.update({ ...patient, generalPractitioner: [{ reference: `Practitioner/${practitionerId}` }] });
  const doctor = await createPrescriberUser(h.deps, { practitionerId, patientId });
  // Through the prescribe endpoint: a structured order, as renewals (medications module) need.
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
  const mrId: string = rx.body.medicationRequest.id;
  const portal = await createTestUser(h.deps, { role: 'patient', patientId });
  return { patientId, practitionerId, pharmacyId, mrId, doctor, portal };
}

const inbasket = async (u: TestUser, kind?: string): Promise<InbasketItem[]> => {
  const r = await request(h.app)
    .get(`/api/inbasket${kind ? `?kind=${kind}` : ''}`)
    .set(u.auth);
  expect(r.status).toBe(200);
  return r.body.items;
};
const answer = (u: TestUser, itemId: string, body: object) =>
  request(h.app).post(`/api/inbasket/${itemId}/actions`).set(u.auth).send(body);

test('eRx renewal: a nurse cannot approve (403); the physician approves and RxRenewalResponse reaches the network', async () => {
  const c = await clinic();
  const sent = await request(h.app).post(`/api/erx/prescriptions/${c.mrId}/send`).set(c.doctor.auth).send({});
  expect(sent.status).toBe(202);
  await accepted(sent.body.messageId);
  const o = await sim.admin<{ messageId: string }>('/admin/originate', {
    type: 'RxRenewalRequest',
    relatesToMessageId: sent.body.messageId,
  });
  expect(o.status).toBe(200);

  const items = await inbasket(c.doctor, 'erx-renewal');
  const item = items.find((i) => i.patientId === c.patientId)!;
  expect(item).toMatchObject({
    kind: 'erx-renewal',
    patientName: 'Rosa Inbasket',
    title: 'Renewal request: lisinopril 10 MG Oral Tablet',
    focus: `MedicationRequest/${c.mrId}`,
    actions: ['approve', 'deny'],
  });
  const counts = await request(h.app).get('/api/inbasket/counts').set(c.doctor.auth);
  expect(counts.body.byKind['erx-renewal']).toBeGreaterThanOrEqual(1);

  const nurse = await createTestUser(h.deps, { role: 'nurse', practitionerId: c.practitionerId });
  const refused = await answer(nurse, item.id, { action: 'approve' });
  expect(refused.status).toBe(403);
  expect(refused.body.error.message).toContain('medication:prescribe');
  const noReason = await answer(c.doctor, item.id, { action: 'deny' });
  expect(noReason.status).toBe(400);

  const ok = await answer(c.doctor, item.id, { action: 'approve', note: 'ok for 3 more months' });
  expect(ok.status).toBe(200);
  expect(ok.body).toMatchObject({ itemId: item.id, action: 'approve', status: 'closed' });
  const row = await accepted(ok.body.erxMessageId);
  expect(row).toMatchObject({ status: 'accepted', type: 'RxRenewalResponse', relatesToMessageId: o.body.messageId });
  expect(await sim.stats(ok.body.erxMessageId)).toMatchObject({ accepted: 1, type: 'RxRenewalResponse' });
  expect(xml.parse(row.payload).Message.Body.RxRenewalResponse.Response.Approved.Note).toBe('ok for 3 more months');

  expect((await inbasket(c.doctor)).map((i) => i.id)).not.toContain(item.id);
  const twice = await answer(c.doctor, item.id, { action: 'deny', reason: 'changed my mind' });
  expect(twice.status).toBe(409);
  expect(twice.body.error.code).toBe('INBASKET_ITEM_CLOSED');
  const closed = await h.deps.pg.query(
    `SELECT 1 FROM event_outbox WHERE type = 'inbox.item.closed' AND payload->>'resourceId' = $1`,
    [item.id.slice('task-'.length)],
  );
  expect(closed.rowCount).toBe(1);
});

test('pharmacy return → "Returned to stock" item for the prescriber → acknowledge; the order stays visible as on-hold', async () => {
  const c = await clinic();
  const pharmacist = await createTestUser(h.deps, {
    role: 'pharmacist',
    practitionerId: await createPrescriber(h.deps),
    pharmacyOrgId: c.pharmacyId,
  });
  const q = await request(h.app).get('/api/pharmacy/queue?findings=false&limit=100').set(pharmacist.auth);
  expect(q.status).toBe(200);
  expect((await request(h.app).post(`/api/pharmacy/queue/${c.mrId}/claim`).set(pharmacist.auth).send({})).status).toBe(
    200,
  );
  const ret = await request(h.app)
    .post(`/api/pharmacy/queue/${c.mrId}/return`)
    .set(pharmacist.auth)
    .send({ reason: 'Out of stock until Monday', reasonCode: 'out-of-stock' });
  expect(ret.status).toBe(200);

  const item = (await inbasket(c.doctor, 'pharmacy-return')).find((i) => i.focus === `MedicationRequest/${c.mrId}`)!;
  expect(item).toMatchObject({
    kind: 'pharmacy-return',
    title: 'Returned to stock: lisinopril 10 MG Oral Tablet — Out of stock until Monday',
    patientName: 'Rosa Inbasket',
    priority: 'urgent',
    actions: ['acknowledge', 'discontinue', 'resend'],
  });
  const ack = await answer(c.doctor, item.id, { action: 'acknowledge' });
  expect(ack.status).toBe(200);
  expect((await h.deps.fhir.read('Task', item.id.slice(5))).status).toBe('completed');
  // Still on the active list, shown as on hold (not silently gone).
  const list = await request(h.app).get(`/api/patients/${c.patientId}/medications`).set(c.doctor.auth);
  expect(list.body.items.find((m: { id: string }) => m.id === c.mrId)).toMatchObject({ status: 'on-hold' });
  // Audit records are written asynchronously (batched): wait for this one.
  const audited = await until('audit record', async () => {
    const a = await h.deps.pg.query<{ outcome: string }>(
      `SELECT outcome FROM audit_log WHERE action = 'inbasket.pharmacy-return.acknowledge' AND resource_id = $1`,
      [item.id.slice(5)],
    );
    return a.rows[0];
  });
  expect(audited.outcome).toBe('success');
});

test('patient message → in the practitioner in-basket → reply; the patient reads the answer', async () => {
  const c = await clinic();
  const sent = await request(h.app)
    .post('/api/portal/messages')
    .set(c.portal.auth)
    .send({ subject: 'Dizzy in the mornings', text: 'Since the new dose I feel dizzy.' });
  expect(sent.status).toBe(201);
  expect(sent.body).toMatchObject({ type: 'message', status: 'open', text: 'Since the new dose I feel dizzy.' });

  const item = (await inbasket(c.doctor, 'patient-message')).find((i) => i.patientId === c.patientId)!;
  expect(item).toMatchObject({ title: 'Message: Dizzy in the mornings', detail: 'Since the new dose I feel dizzy.' });
  const reply = await answer(c.doctor, item.id, {
    action: 'reply',
    text: 'Take it in the evening; call if it persists.',
  });
  expect(reply.status).toBe(200);
  const comm = await h.deps.fhir.read('Communication', reply.body.resources[0].split('/')[1]);
  expect(comm).toMatchObject({
    inResponseTo: [{ reference: item.focus }],
    sender: { reference: `Practitioner/${c.practitionerId}` },
    recipient: [{ reference: `Patient/${c.patientId}` }],
  });
  const mine = await request(h.app).get('/api/portal/requests').set(c.portal.auth);
  expect(mine.body.items[0]).toMatchObject({
    type: 'message',
    status: 'answered',
    answer: 'Take it in the evening; call if it persists.',
  });
});

test('refill request → approve → a new prescription is created and sent as NewRx', async () => {
  const c = await clinic();
  const req = await request(h.app)
    .post('/api/portal/refill-requests')
    .set(c.portal.auth)
    .send({ medicationRequestId: c.mrId, note: 'Running out on Friday' });
  expect(req.status).toBe(201);
  const dup = await request(h.app)
    .post('/api/portal/refill-requests')
    .set(c.portal.auth)
    .send({ medicationRequestId: c.mrId });
  expect(dup.status).toBe(409);

  const item = (await inbasket(c.doctor, 'refill-request')).find((i) => i.patientId === c.patientId)!;
  expect(item).toMatchObject({
    title: 'Refill request: lisinopril 10 MG Oral Tablet',
    detail: 'Running out on Friday',
  });
  const ok = await answer(c.doctor, item.id, { action: 'approve' });
  expect(ok.status).toBe(200);
  const newId = ok.body.resources[0].split('/')[1];
  const renewed = await h.deps.fhir.read('MedicationRequest', newId);
  expect(renewed).toMatchObject({
    status: 'active',
    priorPrescription: { reference: `MedicationRequest/${c.mrId}` },
    requester: { reference: `Practitioner/${c.practitionerId}` },
  });
  expect((await h.deps.fhir.read('MedicationRequest', c.mrId)).status).toBe('completed');
  const row = await accepted(ok.body.erxMessageId);
  expect(row).toMatchObject({ type: 'NewRx', status: 'accepted', medicationRequestId: newId });
  const mine = await request(h.app).get('/api/portal/requests').set(c.portal.auth);
  expect(mine.body.items.find((i: { id: string }) => i.id === item.id.slice(5))).toMatchObject({
    status: 'approved',
  });
});

test('refill denied with a reason: the patient sees the reason', async () => {
  const c = await clinic();
  await request(h.app).post('/api/portal/refill-requests').set(c.portal.auth).send({ medicationRequestId: c.mrId });
  const item = (await inbasket(c.doctor, 'refill-request')).find((i) => i.patientId === c.patientId)!;
  const denied = await answer(c.doctor, item.id, { action: 'deny', reason: 'Please book a visit first' });
  expect(denied.status).toBe(200);
  const mine = await request(h.app).get('/api/portal/requests').set(c.portal.auth);
  expect(mine.body.items[0]).toMatchObject({ status: 'denied', answer: 'Please book a visit first' });
  expect((await h.deps.fhir.read('MedicationRequest', c.mrId)).status).toBe('active');
});

test('access: another patient’s order (403), staff on the portal and patients on the in-basket (403)', async () => {
  const [a, b] = await Promise.all([clinic(), clinic()]);
  const cross = await request(h.app)
    .post('/api/portal/refill-requests')
    .set(a.portal.auth)
    .send({ medicationRequestId: b.mrId });
  expect(cross.status).toBe(403);
  expect(cross.body.error.code).toBe('PATIENT_ACCESS_DENIED');
  const open = await h.deps.fhir.searchResources('Task', { focus: `MedicationRequest/${b.mrId}` });
  expect(open.filter((t) => t.code?.coding?.[0]?.code === 'refill-request')).toHaveLength(0);

  expect((await request(h.app).get('/api/inbasket').set(a.portal.auth)).status).toBe(403);
  const staff = await request(h.app).post('/api/portal/messages').set(a.doctor.auth).send({ subject: 'x', text: 'y' });
  expect(staff.status).toBe(403);
  const bad = await request(h.app)
    .post('/api/inbasket/not-an-id/actions')
    .set(a.doctor.auth)
    .send({ action: 'cosign' });
  expect(bad.status).toBe(400);
  // Someone else's item: the other clinic's doctor cannot answer it.
  await request(h.app).post('/api/portal/messages').set(b.portal.auth).send({ subject: 'Hello', text: 'A question' });
  const theirs = (await inbasket(b.doctor, 'patient-message')).find((i) => i.patientId === b.patientId)!;
  const foreign = await answer(a.doctor, theirs.id, { action: 'reply', text: 'hi' });
  expect(foreign.status).toBe(403);
});

test('a message from a patient without a general practitioner goes to the assigned physician, else the nursing pool', async () => {
  const [patientId, practitionerId, loneId] = await Promise.all([
    createErxPatient(h.deps),
    createPrescriber(h.deps),
    createErxPatient(h.deps),
  ]);
  const doctor = await createPrescriberUser(h.deps, { practitionerId, patientId });
  const nurse = await createTestUser(h.deps, { role: 'nurse', practitionerId: await createPrescriber(h.deps) });
  await h.deps.pg.query('INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, $3)', [
    nurse.user.id,
    loneId,
    'inbasket test',
  ]);
  const send = async (pid: string) => {
    const portal = await createTestUser(h.deps, { role: 'patient', patientId: pid });
    const r = await request(h.app).post('/api/portal/messages').set(portal.auth).send({ subject: 'Hi', text: 'Q' });
    expect(r.status).toBe(201);
  };
  await send(patientId);
  await send(loneId);
  expect((await inbasket(doctor, 'patient-message')).map((i) => i.patientId)).toContain(patientId);
  const pooled = (await inbasket(nurse, 'patient-message')).find((i) => i.patientId === loneId)!;
  expect(pooled).toMatchObject({ pool: 'nursing', actions: ['reply', 'complete'] });
  const done = await answer(nurse, pooled.id, { action: 'complete' });
  expect(done.status).toBe(200);
});

test('note co-sign: signing names a co-signer → their in-basket → cosign adds them as attester with a Provenance', async () => {
  const c = await clinic();
  const attendingPractitioner = await createPrescriber(h.deps);
  const attending = await createPrescriberUser(h.deps, {
    practitionerId: attendingPractitioner,
    patientId: c.patientId,
  });
  const draft = await request(h.app)
    .post(`/api/patients/${c.patientId}/notes`)
    .set(c.doctor.auth)
    .send({
      template: 'progress-soap',
      sections: { subjective: 'Better', objective: 'BP 128/80', assessment: 'HTN controlled', plan: 'Continue' },
    });
  expect(draft.status).toBe(201);
  const unknown = await request(h.app)
    .post(`/api/notes/${draft.body.id}/sign`)
    .set(c.doctor.auth)
    .send({ cosignerUserId: c.portal.user.id });
  expect(unknown.status).toBe(400);
  const signed = await request(h.app)
    .post(`/api/notes/${draft.body.id}/sign`)
    .set(c.doctor.auth)
    .send({ cosignerUserId: attending.user.id });
  expect(signed.status).toBe(200);

  const item = (await inbasket(attending, 'note-cosign')).find((i) => i.patientId === c.patientId)!;
  expect(item).toMatchObject({ focus: `DocumentReference/${draft.body.id}`, actions: ['cosign'] });
  expect((await answer(c.doctor, item.id, { action: 'cosign' })).status).toBe(403);
  const done = await answer(attending, item.id, { action: 'cosign' });
  expect(done.status).toBe(200);
  const comp = await h.deps.fhir.read('Composition', signed.body.compositionId);
  expect(comp.attester).toEqual([
    expect.objectContaining({
      mode: 'legal',
      party: expect.objectContaining({ reference: `Practitioner/${c.practitionerId}` }),
    }),
    expect.objectContaining({ mode: 'professional', party: { reference: `Practitioner/${attendingPractitioner}` } }),
  ]);
  const prov = await h.deps.fhir.read('Provenance', done.body.resources[1].split('/')[1]);
  expect(prov.agent[0]!.who).toEqual({ reference: `Practitioner/${attendingPractitioner}` });
});

test('pharmacy return → re-send replaces the order (back in the queue); another return → discontinue with a reason', async () => {
  const c = await clinic();
  const pharmacist = await createTestUser(h.deps, {
    role: 'pharmacist',
    practitionerId: await createPrescriber(h.deps),
    pharmacyOrgId: c.pharmacyId,
  });
  const returnIt = async (mrId: string) => {
    await request(h.app).get('/api/pharmacy/queue?findings=false&limit=100').set(pharmacist.auth).expect(200);
    await request(h.app).post(`/api/pharmacy/queue/${mrId}/claim`).set(pharmacist.auth).send({}).expect(200);
    await request(h.app)
      .post(`/api/pharmacy/queue/${mrId}/return`)
      .set(pharmacist.auth)
      .send({ reason: 'Please confirm the strength', reasonCode: 'clarification' })
      .expect(200);
    return (await inbasket(c.doctor, 'pharmacy-return')).find((i) => i.focus === `MedicationRequest/${mrId}`)!;
  };
  const first = await returnIt(c.mrId);
  const resent = await answer(c.doctor, first.id, { action: 'resend', note: '10 mg is right' });
  expect(resent.status).toBe(200);
  const newId = resent.body.resources[0].split('/')[1];
  expect(await h.deps.fhir.read('MedicationRequest', newId)).toMatchObject({
    status: 'active',
    priorPrescription: { reference: `MedicationRequest/${c.mrId}` },
  });
  const queue = await until('the replacement in the pharmacy queue', async () => {
    const q = await request(h.app).get('/api/pharmacy/queue?findings=false&limit=100').set(pharmacist.auth);
    return q.body.items.some((i: { medicationRequestId: string }) => i.medicationRequestId === newId) && q.body;
  });
  expect(queue).toBeTruthy();

  const second = await returnIt(newId);
  const short = await answer(c.doctor, second.id, { action: 'discontinue', reason: 'no' });
  expect(short.status).toBe(400);
  const stopped = await answer(c.doctor, second.id, { action: 'discontinue', reason: 'Switching to losartan' });
  expect(stopped.status).toBe(200);
  expect(await h.deps.fhir.read('MedicationRequest', newId)).toMatchObject({
    status: 'stopped',
    statusReason: { text: 'Switching to losartan' },
  });
});

test('critical result → in the ordering physician in-basket → acknowledge (results workflow); twice is a 409', async () => {
  const c = await clinic();
  const order = await request(h.app)
    .post(`/api/patients/${c.patientId}/orders`)
    .set(c.doctor.auth)
    .send({ type: 'lab', code: '2823-3' });
  expect(order.status).toBe(201);
  const lab = await createTestUser(h.deps, { role: 'lab_technician' });
  const filed = await request(h.app)
    .post('/api/results')
    .set(lab.auth)
    .send({
      serviceRequestId: order.body.order.id,
      report: { status: 'final' },
      observations: [{ code: '2823-3', value: 6.8, unit: 'mmol/L' }],
    });
  expect(filed.status).toBe(201);
  expect(filed.body.critical).toBe(true);

  const item = (await inbasket(c.doctor, 'critical-result')).find((i) => i.patientId === c.patientId)!;
  expect(item).toMatchObject({
    id: `result-${filed.body.reportId}`,
    patientName: 'Rosa Inbasket',
    focus: `DiagnosticReport/${filed.body.reportId}`,
    actions: ['acknowledge'],
  });
  expect((await answer(c.doctor, item.id, { action: 'approve' })).status).toBe(400);
  const ack = await answer(c.doctor, item.id, { action: 'acknowledge' });
  expect(ack.status).toBe(200);
  const { rows } = await h.deps.pg.query('SELECT acknowledged_by FROM critical_result_alerts WHERE report_id = $1', [
    filed.body.reportId,
  ]);
  expect(rows[0].acknowledged_by).toBe(c.doctor.user.id);
  expect((await inbasket(c.doctor, 'critical-result')).map((i) => i.id)).not.toContain(item.id);
  expect((await answer(c.doctor, item.id, { action: 'acknowledge' })).status).toBe(409);
});

test('live counts: the clinician socket hears "created" when a patient writes and "closed" when it is answered', async () => {
  const c = await clinic();
  const socket: Socket = connect(apiUrl, {
    path: SOCKET_PATH,
    auth: { token: c.doctor.token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  try {
    const rooms = await new Promise<string[]>((resolve, reject) => {
      socket.once('ready', (m: { rooms: string[] }) => resolve(m.rooms));
      socket.once('connect_error', reject);
    });
    expect(rooms).toContain(`inbasket:practitioner:${c.practitionerId}`);
    const heard: InbasketChanged[] = [];
    socket.on(INBASKET_SOCKET_MESSAGE, (m: InbasketChanged) => heard.push(m));
    await request(h.app)
      .post('/api/portal/messages')
      .set(c.portal.auth)
      .send({ subject: 'Live', text: 'Ping' })
      .expect(201);
    await until('created message', async () => heard.some((m) => m.change === 'created'), 5000);
    expect(heard).toContainEqual({ kind: 'patient-message', change: 'created' });
    const item = (await inbasket(c.doctor, 'patient-message')).find((i) => i.patientId === c.patientId)!;
    await answer(c.doctor, item.id, { action: 'reply', text: 'Pong' }).expect(200);
    await until('closed message', async () => heard.some((m) => m.change === 'closed'), 5000);
    expect(heard).toContainEqual({ kind: 'patient-message', change: 'closed' });
  } finally {
    socket.disconnect();
  }
});
