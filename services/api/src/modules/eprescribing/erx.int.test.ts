import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { XMLParser } from 'fast-xml-parser';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestUser } from '../../test-support/users';
import { contentDigest } from './epcs';
import { erxRepository } from './erx.repository';
import { MESSAGE_ID_SYSTEM } from './erx-tasks';
import {
  CLONAZEPAM,
  createErxPatient,
  createPharmacy,
  createPrescriber,
  createPrescriberUser,
  createPrescription,
  grantEpcs,
  VALID_DEA,
} from './erx-fixtures.test-util';
import { parseScriptXml } from './ncpdp';
import { erxOutbox } from './outbox';
import {
  INBOUND_PASSWORD,
  INBOUND_USER,
  SIM_PASSWORD,
  SIM_USER,
  SimulatorProcess,
} from './simulator-process.test-util';

/**
 * E-prescribing against the real simulator process, the real HAPI, PostgreSQL and Redis (BullMQ). The outbox
 * worker runs with a short backoff so the faults resolve in seconds.
 */
jest.setTimeout(90_000);
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

let h: Awaited<ReturnType<typeof buildTestApp>>;
let server: Server;
let apiUrl = '';
const sim = new SimulatorProcess(() => `${apiUrl || 'http://127.0.0.1:9'}/api/erx/inbound`);

beforeAll(async () => {
  // The simulator needs the API's inbound URL and the API the simulator's: listen first, then configure.
  await sim.start(0);
  h = await buildTestApp({
    env: {
      SURESCRIPTS_URL: sim.url,
      SURESCRIPTS_USER: SIM_USER,
      SURESCRIPTS_PASSWORD: SIM_PASSWORD,
      SURESCRIPTS_TIMEOUT_MS: '1000',
      ERX_INBOUND_USER: INBOUND_USER,
      ERX_INBOUND_PASSWORD: INBOUND_PASSWORD,
      ERX_MAX_ATTEMPTS: '6',
      ERX_BACKOFF_MS: '200',
      ERX_QUEUE: `erx-outbox-${RUN_ID}`,
    },
  });
  server = h.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Restart the simulator so it knows the API's inbound URL (same port: SURESCRIPTS_URL stays valid).
  await sim.stop();
  await sim.start(sim.port);
  erxOutbox(h.deps).startWorker({ sweepEveryMs: 500, sweepOlderThanSeconds: 2 });
});

afterAll(async () => {
  await erxOutbox(h.deps).close();
  // This run's queues live in the shared Redis: remove them.
  const connection = new Redis(h.deps.config.redis.url, { maxRetriesPerRequest: null });
  for (const name of [`erx-outbox-${RUN_ID}`, `erx-outbox-${RUN_ID}-dead`]) {
    const q = new Queue(name, { connection });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
  }
  await connection.quit();
  await sim.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await h.close();
});

afterEach(async () => {
  await sim.clearFaults();
});

async function setup(
  o: {
    controlled?: boolean;
    dea?: string;
    mfa?: boolean;
    grants?: number;
    ncpdp?: string;
    npi?: string | null;
    practiceOnly?: boolean;
  } = {},
) {
  const [patientId, practitionerId, pharmacyId] = await Promise.all([
    createErxPatient(h.deps),
    createPrescriber(h.deps, { npi: o.npi, practiceOnly: o.practiceOnly }),
    createPharmacy(h.deps, o.ncpdp),
  ]);
  const mrId = await createPrescription(h.deps, {
    patientId,
    practitionerId,
    pharmacyId,
    ...(o.controlled ? { drug: CLONAZEPAM, refills: 1 } : {}),
  });
  const user = await createPrescriberUser(h.deps, {
    practitionerId,
    patientId,
    deaNumber: o.dea,
    mfaAt: o.mfa ? Math.floor(Date.now() / 1000) : undefined,
  });
  if (o.grants) await grantEpcs(h.deps, user.user.id, o.grants);
  return { patientId, practitionerId, pharmacyId, mrId, user };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const statusOf = async (id: string) => (await erxRepository.get(h.deps.pg, id))!;
const finalStatus = (id: string, timeoutMs?: number) =>
  until(
    `final status of ${id}`,
    async () => {
      const r = await statusOf(id);
      return ['accepted', 'rejected', 'error'].includes(r.status) && r;
    },
    timeoutMs,
  );

async function send(s: Awaited<ReturnType<typeof setup>>) {
  return request(h.app).post(`/api/erx/prescriptions/${s.mrId}/send`).set(s.user.auth).send({});
}

describe('NewRx through the outbox to the simulator', () => {
  test('a non-controlled prescription is delivered once and accepted; status and Task follow', async () => {
    const s = await setup();
    const r = await send(s);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ type: 'NewRx', status: 'pending', controlled: false, queued: true });
    const row = await finalStatus(r.body.messageId);
    expect(row).toMatchObject({
      status: 'accepted',
      responseCode: '010',
      attempts: 1,
      medicationRequestId: s.mrId,
      patientId: s.patientId,
    });
    expect(await sim.stats(r.body.messageId)).toMatchObject({ accepted: 1, deliveries: 1, type: 'NewRx' });
    const sent = xml.parse(row.payload).Message;
    expect(sent.Header.To).toEqual({ '#text': '1499902', '@Qualifier': 'P' });
    expect(sent.Body.NewRx.MedicationPrescribed.DrugCoded.DrugDBCode).toEqual({ Code: '314076', Qualifier: 'SCD' });
    const st = await request(h.app).get(`/api/erx/prescriptions/${s.mrId}/status`).set(s.user.auth).expect(200);
    expect(st.body).toMatchObject({
      status: 'accepted',
      current: { messageId: r.body.messageId, type: 'NewRx', status: 'accepted', attempts: 1 },
    });
    const task = await until('Task mirror', async () => {
      const t = await h.deps.fhir.read('Task', r.body.taskId);
      return t.status === 'completed' && t;
    });
    expect(task.focus?.reference).toBe(`MedicationRequest/${s.mrId}`);
    const events = await h.deps.pg.query(
      `SELECT payload->'data'->>'status' AS s FROM event_outbox WHERE type = 'erx.status.changed' AND payload->'data'->>'messageId' = $1 ORDER BY id`,
      [r.body.messageId],
    );
    expect(events.rows.map((e) => e.s)).toEqual(['pending', 'sent', 'accepted']);
  });

  test('sending twice → 409; another physician → 403; unknown → 404; bad id → 400', async () => {
    const s = await setup();
    const r = await send(s);
    expect(r.status).toBe(202);
    const again = await send(s);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ERX_ALREADY_SENT');
    const other = await createPrescriberUser(h.deps, {
      practitionerId: await createPrescriber(h.deps),
      patientId: s.patientId,
    });
    const denied = await request(h.app).post(`/api/erx/prescriptions/${s.mrId}/send`).set(other.auth).send({});
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('NOT_THE_PRESCRIBER');
    await request(h.app).post(`/api/erx/prescriptions/nope-${RUN_ID}/send`).set(s.user.auth).send({}).expect(404);
    await request(h.app).post('/api/erx/prescriptions/bad$id/send').set(s.user.auth).send({}).expect(400);
    const nurse = await createTestUser(h.deps, { role: 'nurse' });
    await request(h.app).post(`/api/erx/prescriptions/${s.mrId}/send`).set(nurse.auth).send({}).expect(403);
    await finalStatus(r.body.messageId);
  });

  test("a prescriber without an address of their own is sent with the practice location's address", async () => {
    const s = await setup({ practiceOnly: true });
    const r = await send(s);
    expect(r.status).toBe(202);
    const row = await finalStatus(r.body.messageId);
    expect(row.status).toBe('accepted');
    const address = xml.parse(row.payload).Message.Body.NewRx.Prescriber.NonVeterinarian.Address;
    expect(address).toMatchObject({
      AddressLine1: '77 Clinic Way',
      City: 'Peoria',
      StateProvince: 'IL',
      PostalCode: '61602',
    });
  });

  test('a prescriber without NPI → 400 naming the field, nothing stored', async () => {
    const s = await setup({ npi: null });
    const r = await send(s);
    expect(r.status).toBe(400);
    expect(r.body.error.details).toContainEqual({
      field: 'NewRx.Prescriber.NonVeterinarian.Identification.NPI',
      message: 'is required',
    });
    expect(await erxRepository.forMedicationRequest(h.deps.pg, s.mrId)).toEqual([]);
  });

  test("a pharmacy unknown to the network → rejected with the network's reason, not retried", async () => {
    const s = await setup({ ncpdp: '1234560' });
    const r = await send(s);
    const row = await finalStatus(r.body.messageId);
    expect(row).toMatchObject({ status: 'rejected', responseCode: '900', attempts: 1 });
    expect(row.reason).toMatch(/^900\/1001: .*directory/);
    const st = await request(h.app).get(`/api/erx/prescriptions/${s.mrId}/status`).set(s.user.auth).expect(200);
    expect(st.body.current).toMatchObject({ status: 'rejected', reason: row.reason });
  });
});

describe('faults: nothing lost, nothing sent twice', () => {
  test('HTTP 500 twice → retried with backoff, accepted once', async () => {
    const s = await setup();
    await sim.fault('http500', 2);
    const r = await send(s);
    const row = await finalStatus(r.body.messageId);
    expect(row).toMatchObject({ status: 'accepted', attempts: 3 });
    expect(row.lastError).toBe('network HTTP 500');
    expect(await sim.stats(r.body.messageId)).toMatchObject({ accepted: 1, deliveries: 1 });
  });

  test('slow answer beyond our timeout → the retry is a duplicate the network answers without counting it twice', async () => {
    const s = await setup();
    await sim.fault('slow', 1, 1500);
    const r = await send(s);
    const row = await finalStatus(r.body.messageId);
    expect(row).toMatchObject({ status: 'accepted', attempts: 2 });
    expect(row.lastError).toMatch(/timeout/);
    expect(await sim.stats(r.body.messageId)).toMatchObject({ accepted: 1, deliveries: 2 });
  });

  test('lost acknowledgement (duplicate delivery) → accepted, counted once', async () => {
    const s = await setup();
    await sim.fault('duplicate', 1);
    const r = await send(s);
    expect(await finalStatus(r.body.messageId)).toMatchObject({ status: 'accepted', attempts: 2 });
    expect(await sim.stats(r.body.messageId)).toMatchObject({ accepted: 1, deliveries: 2 });
  });

  test('no answer (timeout) → retried, delivered once', async () => {
    const s = await setup();
    await sim.fault('timeout', 1, 3000);
    const r = await send(s);
    expect(await finalStatus(r.body.messageId)).toMatchObject({ status: 'accepted', attempts: 2 });
    expect(await sim.stats(r.body.messageId)).toMatchObject({ accepted: 1, deliveries: 1 });
  });

  test('simulator down → the message waits and is retried, then delivered exactly once when it is back', async () => {
    const s = await setup();
    await sim.stop();
    try {
      const r = await send(s);
      expect(r.status).toBe(202);
      const waiting = await until('two failed attempts', async () => {
        const x = await statusOf(r.body.messageId);
        return x.attempts >= 2 && x;
      });
      expect(waiting.status).toBe('sent');
      expect(waiting.lastError).toMatch(/unreachable/);
      await sim.start(sim.port);
      const row = await finalStatus(r.body.messageId);
      expect(row.status).toBe('accepted');
      expect(await sim.stats(r.body.messageId)).toMatchObject({ accepted: 1, deliveries: 1 });
    } finally {
      if (!sim.running) await sim.start(sim.port);
    }
  });

  test('5xx on every attempt → dead letter: status error with the reason, an event, an alert', async () => {
    const s = await setup();
    await sim.fault('http500', 50);
    const r = await send(s);
    const row = await finalStatus(r.body.messageId, 40_000);
    expect(row.status).toBe('error');
    expect(row.attempts).toBe(6);
    expect(row.reason).toMatch(/^undeliverable after 6 attempt\(s\): network HTTP 500/);
    expect(await sim.stats(r.body.messageId)).toMatchObject({ accepted: 0 });
    const ev = await h.deps.pg.query(
      `SELECT 1 FROM event_outbox WHERE type = 'erx.status.changed' AND payload->'data'->>'messageId' = $1 AND payload->'data'->>'status' = 'error'`,
      [r.body.messageId],
    );
    expect(ev.rowCount).toBe(1);
  });
});

describe('EPCS', () => {
  test('refused without a DEA number', async () => {
    const s = await setup({ controlled: true, mfa: true, grants: 2 });
    const r = await send(s);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('DEA_NUMBER_MISSING');
  });
  test('refused without the dual grant (one admin is not enough)', async () => {
    const s = await setup({ controlled: true, dea: VALID_DEA, mfa: true, grants: 1 });
    const r = await send(s);
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'EPCS_NOT_GRANTED', details: { approvals: 1, required: 2 } });
  });
  test('refused without a fresh step-up', async () => {
    const s = await setup({ controlled: true, dea: VALID_DEA, grants: 2 });
    const r = await send(s);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('STEP_UP_REQUIRED');
    const stale = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: s.practitionerId,
      deaNumber: VALID_DEA,
      mfaAt: Math.floor(Date.now() / 1000) - 3600,
    });
    await h.deps.pg.query('INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, $3)', [
      stale.user.id,
      s.patientId,
      'erx test',
    ]);
    await grantEpcs(h.deps, stale.user.id, 2);
    const r2 = await request(h.app).post(`/api/erx/prescriptions/${s.mrId}/send`).set(stale.auth).send({});
    expect(r2.body.error.code).toBe('STEP_UP_REQUIRED');
    expect(await erxRepository.forMedicationRequest(h.deps.pg, s.mrId)).toEqual([]);
  });
  test('accepted with DEA number, dual grant and step-up: signed, audited, delivered with DEASchedule', async () => {
    const s = await setup({ controlled: true, dea: VALID_DEA, mfa: true, grants: 2 });
    const r = await send(s);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ controlled: true, deaSchedule: 'IV', signed: true });
    const row = await finalStatus(r.body.messageId);
    expect(row.status).toBe('accepted');
    const msg = parseScriptXml(row.payload);
    if (msg.type !== 'NewRx') throw new Error('not a NewRx');
    expect(msg.content.medication.deaSchedule).toBe('IV');
    expect(msg.content.prescriber.deaNumber).toBe(VALID_DEA);
    expect(msg.header.digitalSignature?.signatureValue).toBe(row.signature);
    const claims = await h.deps.tokens.verifyRaw(row.signature!, 'urn:wintehr:epcs');
    expect(claims).toMatchObject({
      sub: s.user.user.id,
      msg: r.body.messageId,
      dea: VALID_DEA,
      schedule: 'IV',
      sha256: contentDigest(msg.content),
    });
    const audit = await until('epcs.sign audit', async () => {
      const a = await h.deps.pg.query(
        `SELECT outcome, resource_id FROM audit_log WHERE action = 'epcs.sign' AND details->>'messageId' = $1`,
        [r.body.messageId],
      );
      return a.rowCount ? a.rows[0] : undefined;
    });
    expect(audit).toMatchObject({ outcome: 'success', resource_id: s.mrId });
  });
});

describe('pharmacy requests into the prescriber inbox', () => {
  async function acceptedPrescription() {
    const s = await setup();
    const r = await send(s);
    await finalStatus(r.body.messageId);
    return { ...s, messageId: r.body.messageId as string };
  }
  const tasksFor = (messageId: string) =>
    h.deps.fhir.searchResources('Task', { identifier: `${MESSAGE_ID_SYSTEM}|${messageId}` });

  test('renewal request → inbox Task for the prescriber → approve → RxRenewalResponse delivered (Verify)', async () => {
    const s = await acceptedPrescription();
    const o = await sim.admin<{ messageId: string; deliveries: Array<{ status: number; body: string }> }>(
      '/admin/originate',
      { type: 'RxRenewalRequest', relatesToMessageId: s.messageId },
    );
    expect(o.status).toBe(200);
    expect(xml.parse(o.body.deliveries[0]!.body).Message.Body.Status.Code).toBe('010');
    const [task] = await tasksFor(o.body.messageId);
    expect(task).toMatchObject({
      status: 'requested',
      owner: { reference: `Practitioner/${s.practitionerId}` },
      for: { reference: `Patient/${s.patientId}` },
      focus: { reference: `MedicationRequest/${s.mrId}` },
    });
    const ev = await h.deps.pg.query(
      `SELECT 1 FROM event_outbox WHERE type = 'inbox.item.created' AND payload->>'resourceId' = $1`,
      [task!.id],
    );
    expect(ev.rowCount).toBe(1);
    const inbox = await request(h.app).get('/api/erx/inbox').set(s.user.auth).expect(200);
    expect(inbox.body.items.map((i: { taskId: string }) => i.taskId)).toContain(task!.id);

    const resp = await request(h.app)
      .post(`/api/erx/inbox/${task!.id}/respond`)
      .set(s.user.auth)
      .send({ decision: 'approve', note: 'ok for 3 more months' });
    expect(resp.status).toBe(202);
    expect(resp.body).toMatchObject({ type: 'RxRenewalResponse', decision: 'approve' });
    const row = await finalStatus(resp.body.messageId);
    expect(row).toMatchObject({ status: 'accepted', responseCode: '010', relatesToMessageId: o.body.messageId });
    expect(await sim.stats(resp.body.messageId)).toMatchObject({ accepted: 1, type: 'RxRenewalResponse' });
    const sent = xml.parse(row.payload).Message;
    expect(sent.Header.RelatesToMessageID).toBe(o.body.messageId);
    expect(sent.Body.RxRenewalResponse.Response.Approved.Note).toBe('ok for 3 more months');
    expect((await h.deps.fhir.read('Task', task!.id!)).status).toBe('completed');
    const twice = await request(h.app)
      .post(`/api/erx/inbox/${task!.id}/respond`)
      .set(s.user.auth)
      .send({ decision: 'deny' });
    expect(twice.status).toBe(409);
  });

  test('change request delivered twice → one Task, the same answer; deny → RxChangeResponse Denied delivered', async () => {
    const s = await acceptedPrescription();
    const o = await sim.admin<{ messageId: string; deliveries: Array<{ status: number; body: string }> }>(
      '/admin/originate',
      { type: 'RxChangeRequest', relatesToMessageId: s.messageId, duplicate: true },
    );
    expect(o.body.deliveries.map((d) => d.status)).toEqual([200, 200]);
    expect(o.body.deliveries[1]!.body).toBe(o.body.deliveries[0]!.body);
    const tasks = await tasksFor(o.body.messageId);
    expect(tasks).toHaveLength(1);
    const other = await createPrescriberUser(h.deps, {
      practitionerId: await createPrescriber(h.deps),
      patientId: s.patientId,
    });
    await request(h.app)
      .post(`/api/erx/inbox/${tasks[0]!.id}/respond`)
      .set(other.auth)
      .send({ decision: 'deny' })
      .expect(403);
    await request(h.app)
      .post(`/api/erx/inbox/${tasks[0]!.id}/respond`)
      .set(s.user.auth)
      .send({ decision: 'maybe' })
      .expect(400);
    const resp = await request(h.app)
      .post(`/api/erx/inbox/${tasks[0]!.id}/respond`)
      .set(s.user.auth)
      .send({ decision: 'deny', reasonCode: 'AF', note: 'keep brand' });
    expect(resp.status).toBe(202);
    const row = await finalStatus(resp.body.messageId);
    expect(row.status).toBe('accepted');
    const sent = xml.parse(row.payload).Message.Body.RxChangeResponse;
    expect(sent.Response.Denied).toEqual({ ReasonCode: 'AF', DenialReason: 'keep brand' });
    expect(sent.MessageRequestCode).toBe('G');
    expect((await h.deps.fhir.read('Task', tasks[0]!.id!)).status).toBe('rejected');
  });

  test('malformed, unauthenticated or unrelated inbound messages → SCRIPT Error back, nothing applied', async () => {
    const s = await acceptedPrescription();
    const malformed = await sim.admin<{ messageId: string; deliveries: Array<{ status: number; body: string }> }>(
      '/admin/originate',
      { type: 'RxRenewalRequest', relatesToMessageId: s.messageId, malformed: true },
    );
    expect(malformed.body.deliveries[0]!.status).toBe(400);
    expect(xml.parse(malformed.body.deliveries[0]!.body).Message.Body.Error).toMatchObject({
      Code: '900',
      DescriptionCode: '1000',
    });
    const badAuth = await sim.admin<{ messageId: string; deliveries: Array<{ status: number; body: string }> }>(
      '/admin/originate',
      { type: 'RxRenewalRequest', relatesToMessageId: s.messageId, badAuth: true },
    );
    expect(badAuth.body.deliveries[0]!.status).toBe(401);
    expect(xml.parse(badAuth.body.deliveries[0]!.body).Message.Body.Error).toMatchObject({
      Code: '900',
      DescriptionCode: '4000',
    });
    for (const id of [malformed.body.messageId, badAuth.body.messageId]) {
      expect(await tasksFor(id)).toHaveLength(0);
      expect(await erxRepository.get(h.deps.pg, id)).toBeUndefined();
    }
    // No credentials at all; and a well-formed request about a prescription we never sent.
    const noAuth = await request(h.app)
      .post('/api/erx/inbound')
      .set('content-type', 'application/xml')
      .send('<Message/>');
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers['content-type']).toMatch(/application\/xml/);
    const auth = `Basic ${Buffer.from(`${INBOUND_USER}:${INBOUND_PASSWORD}`).toString('base64')}`;
    const stranger = `<Message><Header><To Qualifier="C">1234567893</To><From Qualifier="P">1499902</From><MessageID>X${RUN_ID}</MessageID><RelatesToMessageID>nothing-we-sent</RelatesToMessageID><SentTime>2026-11-23T10:00:00Z</SentTime></Header><Body><RxRenewalRequest><Patient/><Pharmacy/><Prescriber/><MedicationPrescribed/></RxRenewalRequest></Body></Message>`;
    const unknown = await request(h.app)
      .post('/api/erx/inbound')
      .set('content-type', 'application/xml')
      .set('x-network-authorization', auth)
      .send(stranger);
    expect(unknown.status).toBe(400);
    expect(xml.parse(unknown.text).Message.Body.Error.DescriptionCode).toBe('1001');
    expect(await erxRepository.get(h.deps.pg, `X${RUN_ID}`)).toBeUndefined();
  });
});

describe('cancel, directory, medication history', () => {
  test('CancelRx after acceptance is delivered; a second cancel → 409; cancel before sending → 409', async () => {
    const s = await setup();
    await request(h.app).post(`/api/erx/prescriptions/${s.mrId}/cancel`).set(s.user.auth).expect(409);
    const r = await send(s);
    await finalStatus(r.body.messageId);
    const c = await request(h.app).post(`/api/erx/prescriptions/${s.mrId}/cancel`).set(s.user.auth);
    expect(c.status).toBe(202);
    const row = await finalStatus(c.body.messageId);
    expect(row).toMatchObject({ status: 'accepted', type: 'CancelRx', relatesToMessageId: r.body.messageId });
    expect(await sim.stats(c.body.messageId)).toMatchObject({ accepted: 1, type: 'CancelRx' });
    const again = await request(h.app).post(`/api/erx/prescriptions/${s.mrId}/cancel`).set(s.user.auth);
    expect(again.body.error.code).toBe('ERX_ALREADY_CANCELLED');
    const st = await request(h.app).get(`/api/erx/prescriptions/${s.mrId}/status`).set(s.user.auth).expect(200);
    expect(st.body).toMatchObject({ cancelled: true, current: { type: 'CancelRx' } });
  });

  test('pharmacy directory through the API', async () => {
    const s = await setup();
    const r = await request(h.app).get('/api/erx/pharmacies?name=maple').set(s.user.auth).expect(200);
    expect(r.body.pharmacies.map((p: { ncpdpId: string }) => p.ncpdpId)).toContain('1499902');
    const byId = await request(h.app).get('/api/erx/pharmacies?ncpdpId=1499901').set(s.user.auth).expect(200);
    expect(byId.body.pharmacies[0]).toMatchObject({ name: 'WintEHR Outpatient Pharmacy' });
    await request(h.app).get('/api/erx/pharmacies').set(s.user.auth).expect(400);
    const bad = await request(h.app).get('/api/erx/pharmacies?zip=abc').set(s.user.auth).expect(400);
    expect(bad.body.error.details[0].field).toBe('query.zip');
  });

  test('medication history for a patient (curated for the seeded Maria Garcia); no relationship → 403', async () => {
    const practitionerId = await createPrescriber(h.deps);
    const patientId = await createErxPatient(h.deps, { family: 'Garcia', given: 'Maria', birthDate: '1958-03-14' });
    const user = await createPrescriberUser(h.deps, { practitionerId, patientId });
    const r = await request(h.app).get(`/api/patients/${patientId}/medication-history`).set(user.auth).expect(200);
    expect(r.body.items.map((i: { rxnorm: string }) => i.rxnorm)).toEqual(['861007', '314076', '617310']);
    const stranger = await createTestUser(h.deps, { role: 'physician' });
    await request(h.app).get(`/api/patients/${patientId}/medication-history`).set(stranger.auth).expect(403);
  });
});
