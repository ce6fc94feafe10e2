import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import {
  auditRows,
  clinician,
  eventCollector,
  newPatient,
  sleep,
  type Harness,
} from '../medications/clinical.test-util';

jest.setTimeout(60_000);

describe('orders / CPOE against the real HAPI', () => {
  let h: Harness;
  let events: ReturnType<typeof eventCollector>;
  let patientId: string;
  let doc: Awaited<ReturnType<typeof clinician>>;

  beforeAll(async () => {
    h = await buildTestApp();
    events = eventCollector();
    patientId = await newPatient(h);
    doc = await clinician(h, 'physician', [patientId]);
    await sleep(200);
  });
  afterAll(async () => {
    await events.close();
    await h.close();
  });

  it('serves the catalog and the order sets', async () => {
    const labs = await request(h.app).get('/api/orders/catalog?type=lab&q=tsh').set(doc.auth).expect(200);
    expect(labs.body.items).toEqual([expect.objectContaining({ code: '3016-3', system: 'http://loinc.org' })]);
    const imaging = await request(h.app).get('/api/orders/catalog?type=imaging').set(doc.auth).expect(200);
    expect(imaging.body.items.length).toBeGreaterThan(3);
    await request(h.app).get('/api/orders/catalog?type=pharmacy').set(doc.auth).expect(400);
    const sets = await request(h.app).get('/api/orders/order-sets').set(doc.auth).expect(200);
    expect(sets.body.items.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['diabetes-annual', 'chest-pain-workup']),
    );
  });

  it('places a lab order, warns on a duplicate within the window, and publishes orders.placed', async () => {
    const first = await request(h.app)
      .post(`/api/patients/${patientId}/orders`)
      .set(doc.auth)
      .send({ type: 'lab', code: '4548-4', priority: 'routine', reason: { text: 'Diabetes follow-up' } })
      .expect(201);
    const sr = first.body.order as fhir4.ServiceRequest;
    expect(sr).toMatchObject({
      status: 'active',
      intent: 'order',
      priority: 'routine',
      requester: { reference: `Practitioner/${doc.practitionerId}` },
      subject: { reference: `Patient/${patientId}` },
    });
    expect(sr.code?.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '4548-4' });
    expect(first.body.warnings).toEqual([]);
    await events.waitFor((e) => e.type === 'orders.placed' && e.resourceId === sr.id);

    const dup = await request(h.app)
      .post(`/api/patients/${patientId}/orders`)
      .set(doc.auth)
      .send({ type: 'lab', code: '4548-4' })
      .expect(201);
    expect(dup.body.warnings).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_ORDER', existingOrderId: sr.id, orderCode: '4548-4' }),
    ]);
    expect(dup.body.order.id).not.toBe(sr.id);

    const audit = await auditRows(h, { action: 'order.place', resourceId: sr.id });
    expect(audit).toEqual([expect.objectContaining({ outcome: 'success', patient_id: patientId })]);
  });

  it('places imaging with contrast and a referral', async () => {
    const ct = await request(h.app)
      .post(`/api/patients/${patientId}/orders`)
      .set(doc.auth)
      .send({ type: 'imaging', code: '24627-2', priority: 'stat', contrast: true, reason: { text: 'Evaluate for PE' } })
      .expect(201);
    expect(ct.body.order).toMatchObject({ priority: 'stat', orderDetail: [{ text: 'With IV contrast' }] });
    const ref = await request(h.app)
      .post(`/api/patients/${patientId}/orders`)
      .set(doc.auth)
      .send({ type: 'referral', code: '183519002' })
      .expect(201);
    expect(ref.body.order.performerType).toEqual({ text: 'Cardiology' });
  });

  it('places an order set in one transaction with a shared requisition and per-item duplicate warnings', async () => {
    const res = await request(h.app)
      .post(`/api/patients/${patientId}/order-sets/diabetes-annual`)
      .set(doc.auth)
      .send({ exclude: ['14959-1'] })
      .expect(201);
    expect(res.body.orders).toHaveLength(3);
    const req = res.body.requisition as string;
    for (const o of res.body.orders as fhir4.ServiceRequest[]) expect(o.requisition?.value).toBe(req);
    // HbA1c was ordered in the previous test.
    expect(res.body.warnings.map((w: { orderCode: string }) => w.orderCode)).toEqual(['4548-4', '4548-4']);
    await request(h.app).post(`/api/patients/${patientId}/order-sets/no-such-set`).set(doc.auth).send({}).expect(404);
    const bad = await request(h.app)
      .post(`/api/patients/${patientId}/order-sets/diabetes-annual`)
      .set(doc.auth)
      .send({ exclude: ['1234-5'] })
      .expect(400);
    expect(bad.body.error.details[0].field).toBe('body.exclude');
  });

  it('tracks status and cancels with a reason (revoked), once', async () => {
    const placed = await request(h.app)
      .post(`/api/patients/${patientId}/orders`)
      .set(doc.auth)
      .send({ type: 'lab', code: '3016-3' })
      .expect(201);
    const id = placed.body.order.id as string;
    const stale = await request(h.app)
      .post(`/api/orders/${id}/cancel`)
      .set(doc.auth)
      .send({ reason: 'Ordered in error', ifMatch: '7' })
      .expect(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const res = await request(h.app)
      .post(`/api/orders/${id}/cancel`)
      .set(doc.auth)
      .send({ reason: 'Ordered in error' })
      .expect(200);
    expect(res.body).toMatchObject({ id, status: 'revoked' });
    await events.waitFor((e) => e.type === 'orders.cancelled' && e.resourceId === id);
    const again = await request(h.app)
      .post(`/api/orders/${id}/cancel`)
      .set(doc.auth)
      .send({ reason: 'again' })
      .expect(409);
    expect(again.body.error.code).toBe('INVALID_STATE');

    const revoked = await request(h.app)
      .get(`/api/patients/${patientId}/orders?status=revoked`)
      .set(doc.auth)
      .expect(200);
    expect(revoked.body.items.map((o: { id: string }) => o.id)).toEqual([id]);
    const imaging = await request(h.app)
      .get(`/api/patients/${patientId}/orders?type=imaging`)
      .set(doc.auth)
      .expect(200);
    expect(imaging.body.items.map((o: { type: string }) => o.type)).toEqual(['imaging']);
    const one = await request(h.app).get(`/api/orders/${id}`).set(doc.auth).expect(200);
    expect(one.body.status).toBe('revoked');
    await request(h.app).post('/api/orders/no-such-order-1/cancel').set(doc.auth).send({ reason: 'abc' }).expect(404);
  });

  it('answers bad input with 400 and the field, unknown patients with 404, strangers with 403', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'lab', code: '99999-9' }, 'body.code'],
      [{ type: 'lab', code: '24627-2' }, 'body.code'], // an imaging code is not a lab test
      [{ type: 'lab', code: '4548-4', priority: 'whenever' }, 'body.priority'],
      [{ type: 'lab', code: '4548-4', occurrenceDateTime: '2020-01-01T00:00:00Z' }, 'body.occurrenceDateTime'],
      [{ type: 'lab', code: '4548-4', occurrenceDateTime: '2026-13-45T00:00:00Z' }, 'body.occurrenceDateTime'],
      [{ type: 'lab', code: '4548-4', contrast: true }, 'body.contrast'],
      [{ type: 'lab', code: '4548-4', encounterId: 'no-such-encounter-1' }, 'body.encounterId'],
    ];
    for (const [body, field] of cases) {
      const res = await request(h.app).post(`/api/patients/${patientId}/orders`).set(doc.auth).send(body);
      expect([res.status, res.body.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const ghost = `ghost-${Date.now()}`;
    await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      doc.user.id,
      ghost,
    ]);
    await request(h.app)
      .post(`/api/patients/${ghost}/orders`)
      .set(doc.auth)
      .send({ type: 'lab', code: '4548-4' })
      .expect(404);
    const stranger = await clinician(h, 'physician');
    await request(h.app)
      .post(`/api/patients/${patientId}/orders`)
      .set(stranger.auth)
      .send({ type: 'lab', code: '4548-4' })
      .expect(403);
    const lab = await clinician(h, 'lab_technician', [patientId]);
    await request(h.app)
      .post(`/api/patients/${patientId}/orders`)
      .set(lab.auth)
      .send({ type: 'lab', code: '4548-4' })
      .expect(403);
  });
});

describe('duplicate window configuration', () => {
  it('ORDER_DUPLICATE_WINDOW_HOURS=0 turns duplicate warnings off', async () => {
    const h = await buildTestApp({ env: { ORDER_DUPLICATE_WINDOW_HOURS: '0' } });
    try {
      const patientId = await newPatient(h);
      const doc = await clinician(h, 'physician', [patientId]);
      await request(h.app)
        .post(`/api/patients/${patientId}/orders`)
        .set(doc.auth)
        .send({ type: 'lab', code: '58410-2' })
        .expect(201);
      const again = await request(h.app)
        .post(`/api/patients/${patientId}/orders`)
        .set(doc.auth)
        .send({ type: 'lab', code: '58410-2' })
        .expect(201);
      expect(again.body.warnings).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
