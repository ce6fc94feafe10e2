import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { TcpProxy } from '../../test-support/tcp-proxy';
import { testEnv } from '../../test-support/test-env';
import {
  auditRows,
  clinician,
  eventCollector,
  newPatient,
  sleep,
  type Harness,
} from '../medications/clinical.test-util';
import { escalate } from './escalation';
import { EXT_ACKNOWLEDGED } from './result-bundle';

type Doc = Awaited<ReturnType<typeof clinician>>;

async function placeLab(h: Harness, doc: Doc, patientId: string, code = '51990-0'): Promise<string> {
  const res = await request(h.app)
    .post(`/api/patients/${patientId}/orders`)
    .set(doc.auth)
    .send({ type: 'lab', code })
    .expect(201);
  return res.body.order.id as string;
}

const potassium = (value: number, extra: Record<string, unknown> = {}) => ({
  code: '2823-3',
  value,
  unit: 'mmol/L',
  ...extra,
});

jest.setTimeout(120_000);

describe('results against the real HAPI', () => {
  let h: Harness;
  let events: ReturnType<typeof eventCollector>;
  let patientId: string;
  let doc: Doc;
  let lab: Doc;

  beforeAll(async () => {
    h = await buildTestApp();
    events = eventCollector();
    patientId = await newPatient(h, 'male');
    doc = await clinician(h, 'physician', [patientId]);
    lab = await clinician(h, 'lab_technician');
    await sleep(200);
  });
  afterAll(async () => {
    await events.close();
    await h.close();
  });

  it('files a critical result: interpretation, report basedOn the completed order, Flag, Communication, events, then acknowledgement', async () => {
    const orderId = await placeLab(h, doc, patientId);
    const res = await request(h.app)
      .post('/api/results')
      .set(lab.auth)
      .send({
        serviceRequestId: orderId,
        report: { status: 'final', accession: `ACC-${Date.now()}`, performer: 'Test Lab' },
        observations: [
          potassium(6.8),
          { code: '2951-2', value: 139, unit: 'mmol/L' },
          { code: '2160-0', value: 1.5, unit: 'mg/dL' },
        ],
      })
      .expect(201);
    expect(res.body.observations.map((o: { interpretation: string }) => o.interpretation)).toEqual(['HH', 'N', 'H']);
    expect(res.body.critical).toBe(true);
    const reportId = res.body.reportId as string;

    const report = await h.deps.fhir.read('DiagnosticReport', reportId);
    expect(report.basedOn).toEqual([{ reference: `ServiceRequest/${orderId}` }]);
    expect(report.result).toHaveLength(3);
    expect((await h.deps.fhir.read('ServiceRequest', orderId)).status).toBe('completed');
    const k = await h.deps.fhir.read('Observation', res.body.observations[0].id);
    expect(k.interpretation?.[0]?.coding?.[0]).toMatchObject({
      system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
      code: 'HH',
    });
    expect(k.referenceRange?.[0]).toMatchObject({ low: { value: 3.5 }, high: { value: 5.1 } });
    expect(k.valueQuantity).toMatchObject({ system: 'http://unitsofmeasure.org', code: 'mmol/L' });
    const flag = await h.deps.fhir.read('Flag', res.body.flagId);
    expect(flag).toMatchObject({ status: 'active', subject: { reference: `Patient/${patientId}` } });
    const comms = (await h.deps.fhir.searchResources('Communication', { subject: `Patient/${patientId}` })).filter(
      (c) => c.about?.some((a) => a.reference === `DiagnosticReport/${reportId}`),
    );
    expect(comms.map((c) => c.recipient?.[0]?.reference)).toEqual([`Practitioner/${doc.practitionerId}`]);

    const critical = await events.waitFor((e) => e.type === 'results.critical' && e.resourceId === reportId);
    expect(critical.data).toMatchObject({ codes: ['2823-3'], orderingPractitionerId: doc.practitionerId });
    await events.waitFor((e) => e.type === 'results.received' && e.resourceId === reportId);

    const worklist = await request(h.app).get('/api/results/unacknowledged-critical').set(doc.auth).expect(200);
    expect(worklist.body.items.map((i: { reportId: string }) => i.reportId)).toContain(reportId);
    const stranger = await clinician(h, 'physician');
    const other = await request(h.app).get('/api/results/unacknowledged-critical').set(stranger.auth).expect(200);
    expect(other.body.items.map((i: { reportId: string }) => i.reportId)).not.toContain(reportId);
    await request(h.app).post(`/api/results/${reportId}/acknowledge`).set(stranger.auth).send({}).expect(403);

    // Filing against the completed order again is refused.
    const again = await request(h.app)
      .post('/api/results')
      .set(lab.auth)
      .send({ serviceRequestId: orderId, observations: [potassium(4.0)] })
      .expect(409);
    expect(again.body.error.code).toBe('ORDER_NOT_ACTIVE');

    // Two providers acknowledge at once: exactly one wins.
    const [a, b] = await Promise.all([
      request(h.app).post(`/api/results/${reportId}/acknowledge`).set(doc.auth).send({}),
      request(h.app).post(`/api/results/${reportId}/acknowledge`).set(doc.auth).send({}),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const ok = a.status === 200 ? a : b;
    expect(ok.body).toMatchObject({
      reportId,
      critical: true,
      acknowledged: { by: { reference: `Practitioner/${doc.practitionerId}` } },
    });
    const acked = await h.deps.fhir.read('DiagnosticReport', reportId);
    expect(acked.extension?.find((e) => e.url === EXT_ACKNOWLEDGED)?.extension?.map((e) => e.url)).toEqual([
      'by',
      'at',
    ]);
    expect((await h.deps.fhir.read('Observation', res.body.observations[0].id)).extension?.[0]?.url).toBe(
      EXT_ACKNOWLEDGED,
    );
    expect((await h.deps.fhir.read('Observation', res.body.observations[1].id)).extension).toBeUndefined();
    expect((await h.deps.fhir.read('Flag', res.body.flagId)).status).toBe('inactive');
    await events.waitFor((e) => e.type === 'results.acknowledged' && e.resourceId === reportId);
    const third = await request(h.app).post(`/api/results/${reportId}/acknowledge`).set(doc.auth).send({}).expect(409);
    expect(third.body.error.code).toBe('ALREADY_ACKNOWLEDGED');
    const after = await request(h.app).get('/api/results/unacknowledged-critical').set(doc.auth).expect(200);
    expect(after.body.items.map((i: { reportId: string }) => i.reportId)).not.toContain(reportId);

    const metrics = await request(h.app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/wintehr_result_time_to_acknowledge_seconds_count\{critical="true"\} 1/);
    const ingestAudit = await auditRows(h, { action: 'result.ingest', patientId });
    expect(ingestAudit.some((r) => r.outcome === 'success' && r.details.reportId === reportId)).toBe(true);
    const ackAudit = await auditRows(h, { action: 'result.acknowledge', resourceId: reportId });
    // The stranger's attempt (denied), the losing concurrent one and the repeat (failures), the winner (success).
    expect(ackAudit.map((r) => r.outcome).sort()).toEqual(['denied', 'failure', 'failure', 'success']);
  });

  it('lists results and trends one analyte with a direction', async () => {
    const values = [4.2, 4.9, 5.6];
    for (const [i, v] of values.entries()) {
      const orderId = await placeLab(h, doc, patientId, '2823-3');
      const at = new Date(Date.now() - (values.length - i) * 7 * 86_400_000).toISOString();
      await request(h.app)
        .post('/api/results')
        .set(lab.auth)
        .send({ serviceRequestId: orderId, report: { effectiveDateTime: at }, observations: [potassium(v)] })
        .expect(201);
    }
    const trend = await request(h.app)
      .get(`/api/patients/${patientId}/results/trend?code=2823-3`)
      .set(doc.auth)
      .expect(200);
    expect(trend.body.dataPoints.length).toBeGreaterThanOrEqual(4);
    expect(trend.body.trend).toBe('rising');
    expect(trend.body).toMatchObject({ unit: 'mmol/L', referenceRange: { low: 3.5, high: 5.1 } });

    const list = await request(h.app).get(`/api/patients/${patientId}/results?code=2951-2`).set(doc.auth).expect(200);
    expect(list.body.results.length).toBe(1);
    expect(list.body.results[0].observations.map((o: fhir4.Observation) => o.code.coding?.[0]?.code)).toEqual([
      '2951-2',
    ]);
    const all = await request(h.app).get(`/api/patients/${patientId}/results`).set(doc.auth).expect(200);
    expect(all.body.total).toBe(4);
    await request(h.app).get(`/api/patients/${patientId}/results/trend?code=1234-5`).set(doc.auth).expect(400);
    await request(h.app).get(`/api/patients/${patientId}/results?since=2026-02-30`).set(doc.auth).expect(400);
  });

  it('answers bad input with 400 and the field, unknown orders and reports with 404', async () => {
    const orderId = await placeLab(h, doc, patientId);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const cases: [Record<string, unknown>, string][] = [
      [
        { serviceRequestId: orderId, observations: [{ code: '9999-9', value: 1, unit: 'mg' }] },
        'body.observations.0.code',
      ],
      [{ serviceRequestId: orderId, observations: [potassium(4, { unit: 'mg/dL' })] }, 'body.observations.0.unit'],
      [
        { serviceRequestId: orderId, observations: [potassium(4, { effectiveDateTime: future })] },
        'body.observations.0.effectiveDateTime',
      ],
      [
        { serviceRequestId: orderId, observations: [potassium(4, { referenceRange: { low: 5, high: 3 } })] },
        'body.observations.0.referenceRange.low',
      ],
      [{ serviceRequestId: orderId, observations: [] }, 'body.observations'],
      [
        { serviceRequestId: orderId, observations: [{ code: '2823-3', value: 'high', unit: 'mmol/L' }] },
        'body.observations.0.value',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await request(h.app).post('/api/results').set(lab.auth).send(body);
      expect([res.status, res.body.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    await request(h.app)
      .post('/api/results')
      .set(lab.auth)
      .send({ serviceRequestId: 'no-such-order-1', observations: [potassium(4)] })
      .expect(404);
    const ct = await request(h.app)
      .post(`/api/patients/${patientId}/orders`)
      .set(doc.auth)
      .send({ type: 'imaging', code: '24627-2' })
      .expect(201);
    const notLab = await request(h.app)
      .post('/api/results')
      .set(lab.auth)
      .send({ serviceRequestId: ct.body.order.id, observations: [potassium(4)] })
      .expect(400);
    expect(notLab.body.error.details[0].field).toBe('body.serviceRequestId');
    await request(h.app).post('/api/results/no-such-report-1/acknowledge').set(doc.auth).send({}).expect(404);
    await request(h.app)
      .post('/api/results')
      .set(doc.auth)
      .send({ serviceRequestId: orderId, observations: [potassium(4)] })
      .expect(403);
  });
});

describe('critical result escalation', () => {
  it('escalates an unacknowledged critical result to the care team, then to the covering physician', async () => {
    const h = await buildTestApp({ env: { RESULT_ACK_DEADLINE_MINUTES: '0.02' } }); // 1.2 s per step
    const events = eventCollector();
    try {
      const patientId = await newPatient(h);
      const orderer = await clinician(h, 'physician', [patientId]);
      const teamMember = await clinician(h, 'nurse');
      const covering = await clinician(h, 'physician', [patientId]);
      await h.deps.fhir.create<fhir4.CareTeam>({
        resourceType: 'CareTeam',
        status: 'active',
        subject: { reference: `Patient/${patientId}` },
        participant: [
          { member: { reference: `Practitioner/${orderer.practitionerId}` } },
          { member: { reference: `Practitioner/${teamMember.practitionerId}` } },
        ],
      });
      const lab = await clinician(h, 'lab_technician');
      await sleep(200);

      const orderId = await placeLab(h, orderer, patientId, '2823-3');
      const res = await request(h.app)
        .post('/api/results')
        .set(lab.auth)
        .send({ serviceRequestId: orderId, observations: [potassium(2.5)] })
        .expect(201);
      const reportId = res.body.reportId as string;
      expect(res.body.observations[0].interpretation).toBe('LL');

      const level1 = await events.waitFor(
        (e) => e.type === 'results.escalated' && e.resourceId === reportId && e.data?.level === 1,
        30_000,
      );
      expect(level1.data?.recipients).toEqual([`Practitioner/${teamMember.practitionerId}`]);
      const level2 = await events.waitFor(
        (e) => e.type === 'results.escalated' && e.resourceId === reportId && e.data?.level === 2,
        30_000,
      );
      expect(level2.data?.recipients).toEqual([`Practitioner/${covering.practitionerId}`]);

      const comms = (await h.deps.fhir.searchResources('Communication', { subject: `Patient/${patientId}` })).filter(
        (c) => c.about?.some((a) => a.reference === `DiagnosticReport/${reportId}`),
      );
      const recipients = comms.map((c) => c.recipient?.map((r) => r.reference).join(',')).sort();
      expect(recipients).toEqual(
        [
          `Practitioner/${covering.practitionerId}`,
          `Practitioner/${orderer.practitionerId}`,
          `Practitioner/${teamMember.practitionerId}`,
        ].sort(),
      );
      // The covering physician now sees it on their worklist.
      const worklist = await request(h.app).get('/api/results/unacknowledged-critical').set(covering.auth).expect(200);
      expect(worklist.body.items.find((i: { reportId: string }) => i.reportId === reportId)).toMatchObject({
        escalationLevel: 2,
        overdue: true,
      });

      // Once acknowledged, a due escalation step does nothing (whichever comes first, the row decides).
      const order2 = await placeLab(h, orderer, patientId, '2823-3');
      const res2 = await request(h.app)
        .post('/api/results')
        .set(lab.auth)
        .send({ serviceRequestId: order2, observations: [potassium(7.1)] })
        .expect(201);
      await request(h.app)
        .post(`/api/results/${res2.body.reportId}/acknowledge`)
        .set(orderer.auth)
        .send({})
        .expect(200);
      expect(await escalate(h.deps, res2.body.reportId, 1)).toEqual({ outcome: 'acknowledged' });
      expect(await escalate(h.deps, reportId, 1)).toEqual({ outcome: 'already-escalated' });
    } finally {
      await events.close();
      await h.close();
    }
  });
});

describe('results while HAPI or Redis are down', () => {
  it('answers 503 HAPI_UNAVAILABLE for ingestion and acknowledgement', async () => {
    const hapi = new URL(testEnv().hapiBaseUrl);
    const proxy = new TcpProxy(hapi.hostname, Number(hapi.port));
    const port = await proxy.start();
    const h = await buildTestApp({ hapiBaseUrl: `http://127.0.0.1:${port}${hapi.pathname}` });
    try {
      const patientId = await newPatient(h);
      const doc = await clinician(h, 'physician', [patientId]);
      const lab = await clinician(h, 'lab_technician');
      const orderId = await placeLab(h, doc, patientId);
      await proxy.stop();
      const res = await request(h.app)
        .post('/api/results')
        .set(lab.auth)
        .send({ serviceRequestId: orderId, observations: [potassium(4)] })
        .expect(503);
      expect(res.body.error.code).toBe('HAPI_UNAVAILABLE');
      await request(h.app).post('/api/results/any-report-1/acknowledge').set(doc.auth).send({}).expect(503);
      await request(h.app)
        .post(`/api/patients/${patientId}/orders`)
        .set(doc.auth)
        .send({ type: 'lab', code: '3016-3' })
        .expect(503);
    } finally {
      await proxy.stop();
      await h.close();
    }
  });

  it('files a critical result while Redis is unreachable; the alert waits in PostgreSQL for the resync', async () => {
    const h = await buildTestApp({ redisUrl: 'redis://127.0.0.1:9' });
    try {
      const patientId = await newPatient(h);
      const doc = await clinician(h, 'physician', [patientId]);
      const lab = await clinician(h, 'lab_technician');
      const orderId = await placeLab(h, doc, patientId, '2823-3');
      const started = Date.now();
      const res = await request(h.app)
        .post('/api/results')
        .set(lab.auth)
        .send({ serviceRequestId: orderId, observations: [potassium(6.9)] })
        .expect(201);
      expect(Date.now() - started).toBeLessThan(10_000);
      const row = await h.deps.pg.query(
        'SELECT acknowledged_at, escalation_level FROM critical_result_alerts WHERE report_id = $1',
        [res.body.reportId],
      );
      expect(row.rows).toEqual([{ acknowledged_at: null, escalation_level: 0 }]);
      await request(h.app).post(`/api/results/${res.body.reportId}/acknowledge`).set(doc.auth).send({}).expect(200);
    } finally {
      await h.close();
    }
  });

  it('closes cleanly (escalation worker included) right after start and with Redis unreachable', async () => {
    const quick = await buildTestApp();
    await quick.close();
    const noRedis = await buildTestApp({ redisUrl: 'redis://127.0.0.1:9' });
    await noRedis.close();
    await sleep(300); // an unhandled BullMQ connection error would surface here and fail the test
  });
});
