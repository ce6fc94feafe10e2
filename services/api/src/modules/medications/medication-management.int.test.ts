import request from 'supertest';
import { createTestUser } from '../../test-support/users';
import { EXT_SAFETY_OVERRIDE } from '../drug-safety';
import { auditRows, clinician, newPatient, pharmacy, type Harness } from './clinical.test-util';
import { buildTestApp } from '../../test-support/app-harness';

/** Renew, modify, reconciliation and the pharmacist's view of an overridden order, against the real HAPI. */

const rx = (code: string, extra: Record<string, unknown> = {}) => ({
  medication: { code },
  dosage: { dose: { value: 1, unit: 'tablet' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
  dispense: { quantity: { value: 30, unit: 'tablet' }, numberOfRepeatsAllowed: 1, expectedSupplyDays: 30 },
  reason: { text: 'Test indication' },
  ...extra,
});
const SIMVASTATIN = '198211';
const CLARITHROMYCIN = '197517';
const LISINOPRIL_10 = '314076';
const METOPROLOL_25 = '866924';

jest.setTimeout(90_000);

describe('medication management against the real HAPI', () => {
  let h: Harness;
  let patientId: string;
  let doc: Awaited<ReturnType<typeof clinician>>;
  let orgId: string;

  beforeAll(async () => {
    h = await buildTestApp();
    patientId = await newPatient(h);
    doc = await clinician(h, 'physician', [patientId]);
    orgId = await pharmacy(h);
  });
  afterAll(async () => {
    await h.close();
  });

  const prescribe = async (body: object) =>
    (await request(h.app).post(`/api/patients/${patientId}/medications`).set(doc.auth).send(body).expect(201)).body
      .medicationRequest as fhir4.MedicationRequest;
  const ordersPointingAt = async (id: string) =>
    (await h.deps.fhir.searchResources('MedicationRequest', { patient: patientId, _count: 200 })).filter(
      (m) => m.priorPrescription?.reference === `MedicationRequest/${id}`,
    );

  let lisinoprilNew: fhir4.MedicationRequest;

  it('modify replaces the order: new dose as a new order, the old one stopped as "changed"', async () => {
    const old = await prescribe(rx(LISINOPRIL_10));
    const res = await request(h.app)
      .post(`/api/medications/${old.id}/modify`)
      .set(doc.auth)
      .send({
        ifMatch: old.meta!.versionId,
        dosage: { dose: { value: 2, unit: 'tablet' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
        reason: 'BP above target',
      })
      .expect(201);
    lisinoprilNew = res.body.medicationRequest;
    expect(lisinoprilNew).toMatchObject({
      status: 'active',
      priorPrescription: { reference: `MedicationRequest/${old.id}` },
      dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 2, code: '{tablet}' } }] }],
    });
    expect(lisinoprilNew.dosageInstruction?.[0]?.text).toContain('2 tablet');
    const stored = await h.deps.fhir.read('MedicationRequest', old.id!);
    expect(stored.status).toBe('stopped');
    expect(stored.statusReason?.coding?.[0]?.code).toBe('changed');
    expect(res.body.previous.status).toBe('stopped');
    const audit = await auditRows(h, { action: 'medication.modify', patientId });
    expect(audit).toEqual([expect.objectContaining({ outcome: 'success', resource_id: lisinoprilNew.id })]);
    expect(audit[0]!.details).toMatchObject({ replaces: old.id, kind: 'modify' });
  });

  it('a stale If-Match is a 409 and writes nothing: the old order stays active, no new order', async () => {
    const old = await prescribe(rx(METOPROLOL_25));
    // Someone else changes the order after this client read version 1.
    await h.deps.fhir.update({ ...old, note: [{ text: 'pharmacy called' }] });
    const stale = await request(h.app)
      .post(`/api/medications/${old.id}/renew`)
      .set(doc.auth)
      .send({ ifMatch: old.meta!.versionId })
      .expect(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const viaHeader = await request(h.app)
      .post(`/api/medications/${old.id}/modify`)
      .set(doc.auth)
      .set('If-Match', `W/"${old.meta!.versionId}"`)
      .send({ dosage: { dose: { value: 2, unit: 'tablet' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' } })
      .expect(409);
    expect(viaHeader.body.error.code).toBe('VERSION_CONFLICT');
    expect((await h.deps.fhir.read('MedicationRequest', old.id!)).status).toBe('active');
    expect(await ordersPointingAt(old.id!)).toEqual([]);
    // Stopped orders cannot be renewed.
    await request(h.app)
      .post(`/api/medications/${lisinoprilNew.priorPrescription!.reference!.split('/')[1]}/renew`)
      .set(doc.auth)
      .send({})
      .expect(409);
  });

  let clarithroRenewed: fhir4.MedicationRequest;

  it('renew re-runs the safety check: 422 without an override reason, then a new order and the old completed', async () => {
    await prescribe(rx(SIMVASTATIN));
    const first = await request(h.app)
      .post(`/api/patients/${patientId}/medications`)
      .set(doc.auth)
      .send(
        rx(CLARITHROMYCIN, {
          override: { reason: 'Short course, statin paused' },
          dispense: {
            quantity: { value: 14, unit: 'tablet' },
            numberOfRepeatsAllowed: 0,
            expectedSupplyDays: 7,
            pharmacyId: orgId,
          },
        }),
      )
      .expect(201);
    const old = first.body.medicationRequest as fhir4.MedicationRequest;

    const blocked = await request(h.app).post(`/api/medications/${old.id}/renew`).set(doc.auth).send({}).expect(422);
    expect(blocked.body.error.code).toBe('SAFETY_OVERRIDE_REQUIRED');
    expect(
      blocked.body.error.details.findings.some((f: { ruleId?: string }) => f.ruleId === 'onc-11-statin-strong-cyp3a4'),
    ).toBe(true);
    // The order being renewed is not reported as a duplicate of itself.
    expect(blocked.body.error.details.findings.some((f: { kind: string }) => f.kind === 'duplicate-therapy')).toBe(
      false,
    );
    expect((await h.deps.fhir.read('MedicationRequest', old.id!)).status).toBe('active');
    expect(await ordersPointingAt(old.id!)).toEqual([]);

    const ok = await request(h.app)
      .post(`/api/medications/${old.id}/renew`)
      .set(doc.auth)
      .send({
        ifMatch: old.meta!.versionId,
        dispense: { numberOfRepeatsAllowed: 1 },
        override: { reason: 'Second week needed, CK checked' },
      })
      .expect(201);
    clarithroRenewed = ok.body.medicationRequest;
    expect(clarithroRenewed).toMatchObject({
      status: 'active',
      priorPrescription: { reference: `MedicationRequest/${old.id}` },
      dispenseRequest: { numberOfRepeatsAllowed: 1, quantity: { value: 14 } },
    });
    expect(clarithroRenewed.authoredOn! > old.authoredOn!).toBe(true);
    const ext = clarithroRenewed.extension?.find((e) => e.url === EXT_SAFETY_OVERRIDE);
    expect(ext?.extension).toEqual(
      expect.arrayContaining([{ url: 'reason', valueString: 'Second week needed, CK checked' }]),
    );
    expect((await h.deps.fhir.read('MedicationRequest', old.id!)).status).toBe('completed');
    const audit = await auditRows(h, { action: 'medication.renew', patientId });
    // The blocked attempt and the renewal (earlier rows are the stale attempts of the test above).
    expect(audit.slice(-2).map((a) => [a.outcome, a.resource_id])).toEqual([
      ['failure', old.id],
      ['success', clarithroRenewed.id],
    ]);
    expect(JSON.stringify(audit)).not.toContain('CK checked');
  });

  it('a pharmacist sees the override reason, the full sig and the allergies on the queue item', async () => {
    await h.deps.fhir.create<fhir4.AllergyIntolerance>({
      resourceType: 'AllergyIntolerance',
      patient: { reference: `Patient/${patientId}` },
      code: { text: 'Penicillin' },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }],
      },
      verificationStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' },
        ],
      },
      criticality: 'high',
      reaction: [{ manifestation: [{ text: 'Hives' }], severity: 'moderate' }],
    });
    await h.deps.fhir.create<fhir4.AllergyIntolerance>({
      resourceType: 'AllergyIntolerance',
      patient: { reference: `Patient/${patientId}` },
      code: { text: 'Latex' },
      verificationStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'entered-in-error' },
        ],
      },
    });
    const pharmacist = await createTestUser(h.deps, {
      role: 'pharmacist',
      pharmacyOrgId: orgId,
      practitionerId: doc.practitionerId,
    });
    await request(h.app).get('/api/pharmacy/queue').set(pharmacist.auth).expect(200);
    const item = await request(h.app)
      .get(`/api/pharmacy/queue/${clarithroRenewed.id}`)
      .set(pharmacist.auth)
      .expect(200);
    expect(item.body.prescriberOverrides).toEqual([
      expect.objectContaining({ reason: 'Second week needed, CK checked', ruleIds: ['onc-11-statin-strong-cyp3a4'] }),
    ]);
    expect(item.body.sigDetail).toMatchObject({
      text: expect.stringContaining('1 tablet oral'),
      dose: { value: 1, unit: 'tablet' },
      frequency: 1,
      period: 1,
      periodUnit: 'd',
      route: 'Oral',
    });
    expect(item.body.allergies).toEqual([
      expect.objectContaining({
        substance: 'Penicillin',
        criticality: 'high',
        reactions: [{ manifestations: ['Hives'], severity: 'moderate' }],
      }),
    ]);
  });

  it('reconciliation lines the sources up by ingredient and saves the decisions as a List, audited', async () => {
    await request(h.app)
      .post(`/api/patients/${patientId}/medication-statements`)
      .set(doc.auth)
      .send({ medication: { display: 'Lopressor' }, dosageText: '25 mg twice a day' })
      .expect(201);
    const before = await request(h.app)
      .get(`/api/patients/${patientId}/medication-reconciliation`)
      .set(doc.auth)
      .expect(200);
    const lines = before.body.lines as {
      key: string;
      status: string;
      display: string;
      order?: { medicationRequestId: string };
    }[];
    const metoprolol = lines.find((l) => l.display.toLowerCase().includes('metoprolol'))!;
    // The ordered metoprolol tartrate and the reported "Lopressor" are one line.
    expect(metoprolol.status).toBe('matched');
    const lisinopril = lines.find((l) => l.order?.medicationRequestId === lisinoprilNew.id)!;
    expect(lisinopril.status).toBe('only-ordered');
    expect(['ok', 'unavailable']).toContain(before.body.history.status);

    const saved = await request(h.app)
      .post(`/api/patients/${patientId}/medication-reconciliation`)
      .set(doc.auth)
      .send({
        decisions: [
          {
            lineKey: lisinopril.key,
            action: 'discontinue',
            medicationRequestId: lisinoprilNew.id,
            reason: 'Patient no longer takes it',
          },
          { lineKey: metoprolol.key, action: 'continue', medicationRequestId: metoprolol.order!.medicationRequestId },
          { lineKey: '6809', action: 'add-to-orders', prescription: rx('861007') },
        ],
        note: 'Reviewed with the patient',
      });
    expect([saved.status, saved.body.error]).toEqual([201, undefined]);
    const added = saved.body.results.find((r: { action: string }) => r.action === 'add-to-orders');
    expect(added).toMatchObject({ resourceType: 'MedicationRequest', resourceId: expect.any(String) });
    expect((await h.deps.fhir.read('MedicationRequest', lisinoprilNew.id!)).status).toBe('stopped');
    expect((await h.deps.fhir.read('MedicationRequest', added.resourceId)).status).toBe('active');
    const list = await h.deps.fhir.read('List', saved.body.listId);
    expect(list).toMatchObject({
      title: 'Medication reconciliation',
      subject: { reference: `Patient/${patientId}` },
      source: { reference: `Practitioner/${doc.practitionerId}` },
    });
    expect(list.entry?.map((e) => e.flag?.coding?.[0]?.code)).toEqual(['discontinue', 'continue', 'add-to-orders']);
    expect(list.entry?.[2]?.item.reference).toBe(`MedicationRequest/${added.resourceId}`);
    const audit = await auditRows(h, { action: 'medication.reconciliation.save', patientId });
    expect(audit).toEqual([expect.objectContaining({ outcome: 'success', resource_id: saved.body.listId })]);

    const after = await request(h.app)
      .get(`/api/patients/${patientId}/medication-reconciliation`)
      .set(doc.auth)
      .expect(200);
    expect(after.body.last).toMatchObject({ listId: saved.body.listId });

    // An added order that the safety check blocks stops the whole save, with its line named.
    const blocked = await request(h.app)
      .post(`/api/patients/${patientId}/medication-reconciliation`)
      .set(doc.auth)
      .send({ decisions: [{ lineKey: 'x', action: 'add-to-orders', prescription: rx(CLARITHROMYCIN) }] })
      .expect(422);
    expect(blocked.body.error).toMatchObject({ code: 'SAFETY_OVERRIDE_REQUIRED', details: { lineKey: 'x' } });
    await request(h.app)
      .post(`/api/patients/${patientId}/medication-reconciliation`)
      .set(doc.auth)
      .send({ decisions: [{ lineKey: 'y', action: 'discontinue' }] })
      .expect(400);
  });
});
