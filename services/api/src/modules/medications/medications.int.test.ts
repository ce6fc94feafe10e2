import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { TcpProxy } from '../../test-support/tcp-proxy';
import { testEnv } from '../../test-support/test-env';
import { createTestUser } from '../../test-support/users';
import {
  assign,
  auditRows,
  clinician,
  eventCollector,
  newPatient,
  pharmacy,
  sleep,
  type Harness,
} from './clinical.test-util';
import { EXT_SAFETY_OVERRIDE } from '../drug-safety';

const rx = (code: string, extra: Record<string, unknown> = {}) => ({
  medication: { code },
  dosage: { dose: { value: 1, unit: 'tablet' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
  dispense: { quantity: { value: 30, unit: 'tablet' }, numberOfRepeatsAllowed: 2, expectedSupplyDays: 30 },
  reason: { text: 'Test indication' },
  ...extra,
});

jest.setTimeout(60_000);

describe('medications API against the real HAPI', () => {
  let h: Harness;
  let events: ReturnType<typeof eventCollector>;
  let patientId: string;
  let doc: Awaited<ReturnType<typeof clinician>>;
  let pharmacyId: string;

  beforeAll(async () => {
    h = await buildTestApp();
    events = eventCollector();
    patientId = await newPatient(h);
    doc = await clinician(h, 'physician', [patientId]);
    pharmacyId = await pharmacy(h);
    await sleep(200); // let the subscriber connect before the first event
  });
  afterAll(async () => {
    await events.close();
    await h.close();
  });

  it('prescribes with structured dosage, pharmacy and requester, and publishes medications.prescribed', async () => {
    const res = await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(doc.auth)
      .send(
        rx('198211', {
          dispense: {
            quantity: { value: 30, unit: 'tablet' },
            numberOfRepeatsAllowed: 2,
            expectedSupplyDays: 30,
            pharmacyId,
          },
        }),
      )
      .expect(201);
    const mr = res.body.medicationRequest as fhir4.MedicationRequest;
    expect(mr).toMatchObject({
      status: 'active',
      intent: 'order',
      requester: { reference: `Practitioner/${doc.practitionerId}` },
    });
    expect(mr.dispenseRequest?.performer).toEqual({ reference: `Organization/${pharmacyId}` });
    expect(mr.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity).toMatchObject({ value: 1, code: '{tablet}' });
    expect(res.body.requiresEpcs).toBe(false);
    const stored = await h.deps.fhir.read('MedicationRequest', mr.id!);
    expect(stored.medicationCodeableConcept?.coding?.[0]?.code).toBe('198211');
    const ev = await events.waitFor((e) => e.type === 'medications.prescribed' && e.resourceId === mr.id);
    expect(ev).toMatchObject({ patientId, actorUserId: doc.user.id });
    const audit = await auditRows(h, { action: 'medication.prescribe', resourceId: mr.id });
    expect(audit).toEqual([expect.objectContaining({ outcome: 'success', patient_id: patientId })]);
  });

  it('stops an interacting prescription with 409 until it is overridden, and records the override', async () => {
    const blocked = await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(doc.auth)
      .send(rx('197517'))
      .expect(409);
    expect(blocked.body.error.code).toBe('SAFETY_OVERRIDE_REQUIRED');
    const finding = blocked.body.error.details.findings.find(
      (f: { ruleId?: string }) => f.ruleId === 'onc-11-statin-strong-cyp3a4',
    );
    expect(finding).toMatchObject({ severity: 'contraindicated', kind: 'drug-drug' });
    expect(blocked.body.error.details.blockingFindingIds).toContain(finding.id);
    // Nothing was written.
    const active = await request(h.app).get(`/api/patients/${patientId}/medications`).set(doc.auth).expect(200);
    expect(
      active.body.items.map((m: fhir4.MedicationRequest) => m.medicationCodeableConcept?.coding?.[0]?.code),
    ).toEqual(['198211']);

    await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(doc.auth)
      .send(rx('197517', { override: { reason: 'ok' } }))
      .expect(400);
    await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(doc.auth)
      .send(rx('197517', { override: { reason: 'Short course, statin paused', findingIds: ['something-else'] } }))
      .expect(409);

    const ok = await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(doc.auth)
      .send(rx('197517', { override: { reason: 'Short course, statin paused', findingIds: [finding.id] } }))
      .expect(201);
    expect(ok.body.warnings.map((w: { id: string }) => w.id)).toContain(finding.id);
    expect(ok.body.override).toEqual({ findingIds: [finding.id] });
    const stored = await h.deps.fhir.read('MedicationRequest', ok.body.medicationRequest.id);
    const ext = stored.extension?.find((e) => e.url === EXT_SAFETY_OVERRIDE);
    expect(ext?.extension).toEqual(
      expect.arrayContaining([
        { url: 'reason', valueString: 'Short course, statin paused' },
        { url: 'rule', valueString: 'onc-11-statin-strong-cyp3a4' },
      ]),
    );
    expect(stored.note?.some((n) => n.text.includes('Short course'))).toBe(true);

    const audit = await auditRows(h, { action: 'medication.prescribe', patientId });
    const blockedRow = audit.find(
      (a) =>
        a.outcome === 'failure' &&
        (a.details.blockingRuleIds as string[] | undefined)?.includes('onc-11-statin-strong-cyp3a4'),
    );
    expect(blockedRow).toBeDefined();
    const overrideRow = audit.find((a) => a.resource_id === ok.body.medicationRequest.id)!;
    expect(overrideRow.details).toMatchObject({ override: true, overriddenRuleIds: ['onc-11-statin-strong-cyp3a4'] });
    // The free-text reason never reaches the audit trail.
    expect(JSON.stringify(audit)).not.toContain('statin paused');
  });

  it('flags controlled substances for EPCS and enforces their refill limits', async () => {
    const tooMany = await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(doc.auth)
      .send(rx('1049621'))
      .expect(400);
    expect(tooMany.body.error.details).toEqual([
      expect.objectContaining({ field: 'body.dispense.numberOfRepeatsAllowed' }),
    ]);
    const order = rx('1049621', {
      dispense: { quantity: { value: 12, unit: 'tablet' }, numberOfRepeatsAllowed: 0, expectedSupplyDays: 3 },
    });
    // The chart holds clarithromycin, a strong CYP3A4 inhibitor: oxycodone with it is a critical interaction (NDF-RT,
    // boxed warning), so the order needs an override before the controlled-substance rules are reached.
    const blocked = await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(doc.auth)
      .send(order)
      .expect(409);
    expect(blocked.body.error.code).toBe('SAFETY_OVERRIDE_REQUIRED');
    const ids = blocked.body.error.details.blockingFindingIds as string[];
    expect(JSON.stringify(blocked.body.error.details.findings)).toMatch(/clarithromycin/i);
    const res = await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(doc.auth)
      .send({ ...order, override: { reason: 'Short course; monitored for respiratory depression', findingIds: ids } })
      .expect(201);
    expect(res.body).toMatchObject({ controlled: { schedule: 'II' }, requiresEpcs: true });
  });

  it('discontinues with a reason (stopped + statusReason), refuses a second time and stale versions', async () => {
    const p = await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(doc.auth)
      .send(rx('314076'))
      .expect(201);
    const id = p.body.medicationRequest.id as string;
    // Someone else edits it: the version the client holds (1) is stale.
    const current = await h.deps.fhir.read('MedicationRequest', id);
    await h.deps.fhir.update({ ...current, note: [{ text: 'pharmacist comment' }] });
    const stale = await request(h.app)
      .post(`/api/medications/${id}/discontinue`)
      .set(doc.auth)
      .send({ reason: 'Cough', ifMatch: '1' })
      .expect(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');

    const res = await request(h.app)
      .post(`/api/medications/${id}/discontinue`)
      .set(doc.auth)
      .send({ reason: 'Dry cough on ACE inhibitor' })
      .expect(200);
    expect(res.body).toMatchObject({ id, status: 'stopped' });
    const stored = await h.deps.fhir.read('MedicationRequest', id);
    expect(stored.statusReason?.text).toBe('Dry cough on ACE inhibitor');
    await events.waitFor((e) => e.type === 'medications.discontinued' && e.resourceId === id);
    const again = await request(h.app)
      .post(`/api/medications/${id}/discontinue`)
      .set(doc.auth)
      .send({ reason: 'again' })
      .expect(409);
    expect(again.body.error.code).toBe('INVALID_STATE');

    const active = await request(h.app)
      .get(`/api/patients/${patientId}/medications?status=active`)
      .set(doc.auth)
      .expect(200);
    expect(active.body.items.map((m: fhir4.MedicationRequest) => m.id)).not.toContain(id);
    const all = await request(h.app).get(`/api/patients/${patientId}/medications?status=all`).set(doc.auth).expect(200);
    expect(all.body.items.find((m: fhir4.MedicationRequest) => m.id === id)?.status).toBe('stopped');
    await request(h.app)
      .post('/api/medications/does-not-exist-123/discontinue')
      .set(doc.auth)
      .send({ reason: 'x y z' })
      .expect(404);
  });

  it('records and lists home medications for reconciliation', async () => {
    const created = await request(h.app)
      .post(`/api/patients/${patientId}/medication-statements`)
      .set(doc.auth)
      .send({ medication: { code: '861007' }, dosageText: '500 mg twice daily', effectiveStart: '2024-05-01' })
      .expect(201);
    expect(created.body).toMatchObject({
      resourceType: 'MedicationStatement',
      status: 'active',
      informationSource: { reference: `Patient/${patientId}` },
    });
    await request(h.app)
      .post(`/api/patients/${patientId}/medication-statements`)
      .set(doc.auth)
      .send({ medication: { display: 'Fish oil capsules' } })
      .expect(201);
    await request(h.app)
      .post(`/api/patients/${patientId}/medication-statements`)
      .set(doc.auth)
      .send({ medication: { code: '999999999' } })
      .expect(400);
    await request(h.app)
      .post(`/api/patients/${patientId}/medication-statements`)
      .set(doc.auth)
      .send({ medication: { display: 'x y' }, effectiveStart: '2024-05-01', effectiveEnd: '2024-04-01' })
      .expect(400);
    const list = await request(h.app).get(`/api/patients/${patientId}/medication-statements`).set(doc.auth).expect(200);
    expect(list.body.total).toBe(2);
  });

  it('answers bad input with 400 and the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [rx('999999999'), 'body.medication.code'],
      [rx('29046'), 'body.medication.code'], // an ingredient, not a dispensable product
      [
        rx('314076', {
          dispense: { quantity: { value: -3, unit: 'tablet' }, numberOfRepeatsAllowed: 0, expectedSupplyDays: 30 },
        }),
        'body.dispense.quantity.value',
      ],
      [
        rx('314076', {
          dispense: { quantity: { value: 30, unit: 'tablet' }, numberOfRepeatsAllowed: 12, expectedSupplyDays: 30 },
        }),
        'body.dispense.numberOfRepeatsAllowed',
      ],
      [rx('314076', { startDate: '2026-02-30' }), 'body.startDate'],
      [
        rx('314076', {
          dosage: { dose: { value: 10, unit: 'mg' }, route: 'by-magic', frequency: 1, period: 1, periodUnit: 'd' },
        }),
        'body.dosage.route',
      ],
      [rx('314076', { medication: { code: '314076', system: 'http://snomed.info/sct' } }), 'body.medication.system'],
      [
        rx('314076', {
          dispense: {
            quantity: { value: 30, unit: 'tablet' },
            numberOfRepeatsAllowed: 0,
            expectedSupplyDays: 30,
            pharmacyId: 'no-such-pharmacy-1',
          },
        }),
        'body.dispense.pharmacyId',
      ],
      [rx('314076', { encounterId: 'no-such-encounter-1' }), 'body.encounterId'],
    ];
    for (const [body, field] of cases) {
      const res = await request(h.app).post(`/api/patients/${patientId}/medications`).set(doc.auth).send(body);
      expect([res.status, res.body.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('404 for an unknown patient, 403 without a care relationship or permission', async () => {
    const ghost = `ghost-${Date.now()}`;
    await assign(h, doc, ghost);
    const missing = await request(h.app)
      .post(`/api/patients/${ghost}/medications`)
      .set(doc.auth)
      .send(rx('314076'))
      .expect(404);
    expect(missing.body.error.code).toBe('RESOURCE_NOT_FOUND');
    await request(h.app).get(`/api/patients/${ghost}/medications`).set(doc.auth).expect(404);

    const stranger = await clinician(h, 'physician');
    const denied = await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(stranger.auth)
      .send(rx('314076'))
      .expect(403);
    expect(denied.body.error.code).toBe('PATIENT_ACCESS_DENIED');
    const nurse = await clinician(h, 'nurse', [patientId]);
    await request(h.app).post(`/api/patients/${patientId}/medications`).set(nurse.auth).send(rx('314076')).expect(403);
    await request(h.app).get(`/api/patients/${patientId}/medications`).set(nurse.auth).expect(200);
    // A prescriber account not linked to a Practitioner cannot be named as the requester.
    const unlinked = await createTestUser(h.deps, { role: 'physician' });
    await assign(h, unlinked, patientId);
    const noPractitioner = await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(unlinked.auth)
      .send(rx('314076'))
      .expect(403);
    expect(noPractitioner.body.error.details).toMatchObject({ reason: 'NO_PRACTITIONER' });
  });

  it("passes HAPI's own validation failures on as 422 with its issues", async () => {
    // A user whose Practitioner does not exist: HAPI's referential integrity rejects the requester reference.
    const broken = await createTestUser(h.deps, { role: 'physician', practitionerId: `missing-${Date.now()}` });
    await assign(h, broken, patientId);
    const res = await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(broken.auth)
      .send(rx('314076'))
      .expect(422);
    expect(res.body.error.code).toBe('FHIR_VALIDATION_ERROR');
    expect(res.body.error.details.issues.length).toBeGreaterThan(0);
  });
});

describe('medications API while HAPI is down', () => {
  it('answers 503 HAPI_UNAVAILABLE', async () => {
    const hapi = new URL(testEnv().hapiBaseUrl);
    const proxy = new TcpProxy(hapi.hostname, Number(hapi.port));
    const port = await proxy.start();
    const h = await buildTestApp({ hapiBaseUrl: `http://127.0.0.1:${port}${hapi.pathname}` });
    try {
      const patientId = await newPatient(h);
      const doc = await clinician(h, 'physician', [patientId]);
      await request(h.app).get(`/api/patients/${patientId}/medications`).set(doc.auth).expect(200);
      await proxy.stop();
      const res = await request(h.app)
        .post(`/api/patients/${patientId}/medications`)
        .set(doc.auth)
        .send(rx('314076'))
        .expect(503);
      expect(res.body.error.code).toBe('HAPI_UNAVAILABLE');
    } finally {
      await proxy.stop();
      await h.close();
    }
  });
});
