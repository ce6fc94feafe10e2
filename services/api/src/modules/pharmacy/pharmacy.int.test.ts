import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestUser } from '../../test-support/users';
import {
  counselling,
  createPharmacyWorld,
  days,
  LISINOPRIL_10,
  LISINOPRIL_20,
  medicationRequest,
  OXYCODONE_5,
  type PharmacyWorld,
} from './pharmacy.int-fixtures';

let h: Awaited<ReturnType<typeof buildTestApp>>;
let w: PharmacyWorld;

beforeAll(async () => {
  h = await buildTestApp();
  w = await createPharmacyWorld(h.deps);
});
afterAll(async () => {
  await h.close();
});

const api = () => request(h.app);
const newRx = async (o: Partial<Parameters<typeof medicationRequest>[0]> = {}) =>
  (
    await h.deps.fhir.create(
      medicationRequest({ patientId: w.patientId, prescriberId: w.prescriberId, orgId: w.orgId, ...o }),
    )
  ).id!;
const receive = (body: Record<string, unknown>, auth = w.pharmacist.auth) =>
  api().post('/api/pharmacy/inventory/receipts').set(auth).send(body);
const act = (id: string, what: string, body: unknown = {}, auth = w.pharmacist.auth) =>
  api()
    .post(`/api/pharmacy/queue/${id}/${what}`)
    .set(auth)
    .send(body as object);

/** Claim and verify (accepting every finding that needs a decision). */
async function claimAndVerify(id: string): Promise<void> {
  expect((await act(id, 'claim')).status).toBe(200);
  const item = await api().get(`/api/pharmacy/queue/${id}`).set(w.pharmacist.auth);
  expect(item.status).toBe(200);
  const decisions = (item.body.findings as { id: string; severity: string }[])
    .filter((f) => ['contraindicated', 'major', 'moderate'].includes(f.severity))
    .map((f) => ({ findingId: f.id, action: 'accept' }));
  const v = await act(id, 'verify', { decisions });
  expect(v.status).toBe(200);
  expect(v.body.verified).toBe(true);
}

describe('permissions', () => {
  it('a physician may not see the queue or dispense (403 permission)', async () => {
    const r = await api().get('/api/pharmacy/queue').set(w.physician.auth);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('INSUFFICIENT_PERMISSIONS');
    expect((await act('123', 'dispense', {}, w.physician.auth)).status).toBe(403);
    expect(
      (await receive({ ndc: LISINOPRIL_20.ndc, lot: 'X', expiry: days(100), quantity: 1 }, w.physician.auth)).status,
    ).toBe(403);
  });
  it('a pharmacist without a pharmacy gets 403 NO_PHARMACY', async () => {
    const lone = await createTestUser(h.deps, { role: 'pharmacist' });
    const r = await api().get('/api/pharmacy/queue').set(lone.auth);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('NO_PHARMACY');
  });
  it('no token: 401', async () => {
    expect((await api().get('/api/pharmacy/queue')).status).toBe(401);
  });
});

describe('queue', () => {
  it('lists prescriptions routed to my pharmacy, STAT first then newest, with patient, drug, prescriber and findings', async () => {
    const older = await newRx({ authoredOn: new Date(Date.now() - 3_600_000).toISOString() });
    const newer = await newRx();
    const stat = await newRx({ priority: 'stat', authoredOn: new Date(Date.now() - 7_200_000).toISOString() });
    const elsewhere = await newRx({ orgId: w.otherOrgId });
    const r = await api().get('/api/pharmacy/queue?limit=100').set(w.pharmacist.auth);
    expect(r.status).toBe(200);
    const ids = (r.body.items as { medicationRequestId: string }[]).map((i) => i.medicationRequestId);
    expect(ids).not.toContain(elsewhere);
    expect(ids.indexOf(stat)).toBeLessThan(ids.indexOf(newer));
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    const item = r.body.items.find((i: { medicationRequestId: string }) => i.medicationRequestId === stat);
    expect(item).toMatchObject({
      status: 'queued',
      priority: 'stat',
      stat: true,
      patient: {
        id: w.patientId,
        name: 'Test Pharmacytest',
        ageYears: expect.any(Number),
        mrn: expect.stringMatching(/^MRN-/),
      },
      drug: { rxnorm: LISINOPRIL_20.rxcui, quantity: { value: 30 }, sig: 'Take 1 tablet by mouth once daily' },
      prescriber: { id: w.prescriberId, name: 'Pat Tester' },
      quantityRemaining: 30,
      claimedByMe: false,
    });
    expect(Array.isArray(item.findings)).toBe(true);
    // The other pharmacy sees its own prescription and not ours.
    const other = await api().get('/api/pharmacy/queue?findings=false').set(w.otherPharmacist.auth);
    const otherIds = other.body.items.map((i: { medicationRequestId: string }) => i.medicationRequestId);
    expect(otherIds).toContain(elsewhere);
    expect(otherIds).not.toContain(stat);
  });

  it('rejects a bad status filter with 400 naming the field', async () => {
    const r = await api().get('/api/pharmacy/queue?status=bogus').set(w.pharmacist.auth);
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].field).toBe('query.status');
  });

  it("another pharmacy's item is 404", async () => {
    const id = await newRx();
    await api().get('/api/pharmacy/queue?findings=false').set(w.pharmacist.auth);
    expect((await act(id, 'claim', {}, w.otherPharmacist.auth)).status).toBe(404);
  });
});

describe('claim → verify → dispense', () => {
  it('runs the whole flow: FEFO lot, MedicationDispense in HAPI, stock decremented, audit', async () => {
    // A duplicate-therapy finding: the patient already takes lisinopril 10 mg (not routed to us).
    await h.deps.fhir.create(
      medicationRequest({ patientId: w.patientId, prescriberId: w.prescriberId, rxcui: LISINOPRIL_10 }),
    );
    const id = await newRx({ quantity: 30 });
    expect(
      (
        await receive({
          ndc: LISINOPRIL_20.ndc,
          lot: 'LATE-1',
          expiry: days(400),
          quantity: 100,
          lowStockThreshold: 50,
        })
      ).status,
    ).toBe(201);
    const early = await receive({ ndc: '00143-9713-01', lot: 'EARLY-1', expiry: days(90), quantity: 40 });
    expect(early.status).toBe(201);
    expect(early.body.lot).toMatchObject({ ndc: LISINOPRIL_20.ndc, quantity: 40, lotNumber: 'EARLY-1' });

    await api().get('/api/pharmacy/queue?findings=false').set(w.pharmacist.auth);
    expect(
      (await act(id, 'dispense', { ndc: LISINOPRIL_20.ndc, quantity: 30, daysSupply: 30, counselling })).body.error
        .code,
    ).toBe('NOT_CLAIMED');
    const claimed = await act(id, 'claim');
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', claimedBy: w.pharmacist.user.id });
    const stolen = await act(id, 'claim', {}, w.pharmacist2.auth);
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.code).toBe('CLAIMED_BY_OTHER');
    expect(
      (await act(id, 'dispense', { ndc: LISINOPRIL_20.ndc, quantity: 30, daysSupply: 30, counselling })).body.error
        .code,
    ).toBe('NOT_VERIFIED');

    const detail = await api().get(`/api/pharmacy/queue/${id}`).set(w.pharmacist.auth);
    const dup = detail.body.findings.find(
      (f: { kind: string; drugs: { code: string }[] }) =>
        f.kind === 'duplicate-therapy' && f.drugs.some((x) => x.code === LISINOPRIL_10),
    );
    expect(dup).toMatchObject({ severity: 'moderate' });
    const missing = await act(id, 'verify', { decisions: [] });
    expect(missing.status).toBe(409);
    expect(missing.body.error.code).toBe('DECISIONS_REQUIRED');
    expect(missing.body.error.details.findingIds).toContain(dup.id);
    // Earlier tests left other lisinopril prescriptions active for this patient: decide on every required finding.
    const others = (detail.body.findings as { id: string; severity: string }[])
      .filter((f) => f.id !== dup.id && ['contraindicated', 'major', 'moderate'].includes(f.severity))
      .map((f) => ({ findingId: f.id, action: 'accept' }));
    const noReason = await act(id, 'verify', { decisions: [...others, { findingId: dup.id, action: 'override' }] });
    expect(noReason.body.error.code).toBe('REASON_REQUIRED');
    const verified = await act(id, 'verify', {
      decisions: [
        ...others,
        { findingId: dup.id, action: 'override', reason: 'Prescriber is switching 10 mg to 20 mg' },
      ],
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'verified', verified: true });
    expect(verified.body.decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ findingId: dup.id, action: 'override', severity: 'moderate' }),
      ]),
    );

    const d = await act(id, 'dispense', { ndc: LISINOPRIL_20.ndc, quantity: 30, daysSupply: 30, counselling });
    expect(d.status).toBe(201);
    expect(d.body.dispense).toMatchObject({
      quantity: 30,
      fillType: 'FF',
      lot: { lotNumber: 'EARLY-1', remaining: 10 },
    });
    expect(d.body.item).toMatchObject({ status: 'dispensed', quantityDispensed: 30, quantityRemaining: 0 });

    const md = await h.deps.fhir.read('MedicationDispense', d.body.medicationDispense.id);
    expect(md.status).toBe('completed');
    expect(md.authorizingPrescription?.[0]?.reference).toBe(`MedicationRequest/${id}`);
    expect(md.performer?.[0]?.actor.reference).toBe(`Practitioner/${w.pharmacist.user.fhir_practitioner_id}`);
    expect(md.quantity).toMatchObject({ value: 30, code: '{tablet}' });
    expect(md.substitution?.wasSubstituted).toBe(false);
    const med = md.contained?.[0] as fhir4.Medication;
    expect(med.batch).toEqual({ lotNumber: 'EARLY-1', expirationDate: early.body.lot.expiry });
    expect(med.code?.coding?.map((c) => c.code)).toEqual(['00143-9713-01', LISINOPRIL_20.rxcui]);
    expect(md.note?.[0]?.text).toContain('Counselling offered; accepted');

    const inv = await api().get(`/api/pharmacy/inventory?ndc=${LISINOPRIL_20.ndc}`).set(w.pharmacist.auth);
    expect(inv.status).toBe(200);
    expect(inv.body.items[0]).toMatchObject({ onHand: 110, lowStockThreshold: 50, lowStock: false });

    const again = await act(id, 'dispense', { ndc: LISINOPRIL_20.ndc, quantity: 1, daysSupply: 30, counselling });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_DISPENSED');

    await h.deps.audit.flush();
    const audit = await h.deps.pg.query(
      'SELECT action, outcome, patient_id, resource_type, resource_id, details FROM audit_log WHERE user_id = $1 ORDER BY id',
      [w.pharmacist.user.id],
    );
    const dispensed = audit.rows.find((a) => a.action === 'pharmacy.dispense' && a.outcome === 'success');
    expect(dispensed).toMatchObject({
      patient_id: w.patientId,
      resource_type: 'MedicationDispense',
      resource_id: md.id,
    });
    expect(JSON.stringify(dispensed.details)).not.toContain('dizziness');
    expect(audit.rows.some((a) => a.action === 'pharmacy.queue.view' && a.patient_id === w.patientId)).toBe(true);
    expect(audit.rows.some((a) => a.action === 'pharmacy.verify' && a.outcome === 'success')).toBe(true);
  });

  it('partial fills track the remainder; the last portion completes it', async () => {
    await receive({ ndc: LISINOPRIL_20.ndc, lot: 'PART-1', expiry: days(200), quantity: 100 });
    const id = await newRx({ quantity: 30 });
    await api().get('/api/pharmacy/queue?findings=false').set(w.pharmacist.auth);
    await claimAndVerify(id);
    const first = await act(id, 'dispense', {
      ndc: LISINOPRIL_20.ndc,
      quantity: 10,
      lot: 'PART-1',
      daysSupply: 10,
      counselling,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      dispense: { fillType: 'FFP' },
      item: { status: 'partially_dispensed', quantityRemaining: 20 },
    });
    const tooMuch = await act(id, 'dispense', { ndc: LISINOPRIL_20.ndc, quantity: 25, daysSupply: 25, counselling });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.details[0].field).toBe('body.quantity');
    const last = await act(id, 'dispense', {
      ndc: LISINOPRIL_20.ndc,
      quantity: 20,
      daysSupply: 20,
      counselling: { offered: false, accepted: false },
    });
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({
      dispense: { fillType: 'FFC' },
      item: { status: 'dispensed', quantityRemaining: 0 },
    });
    const mds = await h.deps.fhir.searchResources('MedicationDispense', { prescription: `MedicationRequest/${id}` });
    expect(mds.map((m) => m.quantity?.value).sort()).toEqual([10, 20]);
    const detail = await api().get(`/api/pharmacy/queue/${id}`).set(w.pharmacist.auth);
    expect(detail.body.dispenses.map((x: { quantity: number }) => x.quantity)).toEqual([10, 20]);
  });

  it('substitution: another product needs a declared substitution the prescription allows', async () => {
    await receive({ ndc: '00185062001', lot: 'SUB-1', expiry: days(200), quantity: 50 });
    const oxy = await receive({ ndc: OXYCODONE_5.ndc, lot: 'OXY-SUB', expiry: days(200), quantity: 5 });
    expect(oxy.status).toBe(201);
    const id = await newRx({ quantity: 5 });
    await api().get('/api/pharmacy/queue?findings=false').set(w.pharmacist.auth);
    await claimAndVerify(id);
    const wrong = await act(id, 'dispense', { ndc: OXYCODONE_5.ndc, quantity: 5, daysSupply: 5, counselling });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0].field).toBe('body.ndc');
    const notSame = await act(id, 'dispense', {
      ndc: OXYCODONE_5.ndc,
      quantity: 5,
      daysSupply: 5,
      counselling,
      substitution: { type: 'G', reason: 'generic on hand' },
    });
    expect(notSame.status).toBe(400);
    expect(notSame.body.error.details[0].field).toBe('body.substitution.type');
    const notNeeded = await act(id, 'dispense', {
      ndc: '00185062001',
      quantity: 5,
      daysSupply: 5,
      counselling,
      substitution: { type: 'G', reason: 'generic on hand' },
    });
    expect(notNeeded.status).toBe(400);
    // A different manufacturer's NDC of the same product is not a substitution.
    const ok = await act(id, 'dispense', { ndc: '00185062001', quantity: 5, daysSupply: 5, counselling });
    expect(ok.status).toBe(201);
  });
});

describe('errors', () => {
  let id: string;
  beforeAll(async () => {
    id = await newRx({ quantity: 30 });
    await api().get('/api/pharmacy/queue?findings=false').set(w.pharmacist.auth);
    await claimAndVerify(id);
  });

  it('bad input is 400 with fields', async () => {
    const r = await act(id, 'dispense', {
      ndc: 'abc',
      quantity: 0,
      daysSupply: 0,
      counselling: { offered: false, accepted: true },
    });
    expect(r.status).toBe(400);
    const fields = r.body.error.details.map((x: { field: string }) => x.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.ndc', 'body.quantity', 'body.daysSupply', 'body.counselling.accepted']),
    );
    const unknownNdc = await act(id, 'dispense', { ndc: '99999999999', quantity: 1, daysSupply: 1, counselling });
    expect(unknownNdc.status).toBe(400);
    expect(unknownNdc.body.error.details[0].field).toBe('body.ndc');
    const bad = await receive({ ndc: LISINOPRIL_20.ndc, lot: 'L', expiry: days(-1), quantity: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.expiry');
  });

  it('an expired lot is refused (409 LOT_EXPIRED)', async () => {
    // Stock that expired on the shelf: it was received before its expiry (inserted directly; receipts refuse expired stock).
    await h.deps.pg.query(
      `INSERT INTO inventory_lots (id, pharmacy_org_id, ndc, rxcui, lot_number, expiry, quantity, unit) VALUES (gen_random_uuid(), $1, $2, $3, 'EXPIRED-1', $4, 10, '{tablet}')`,
      [w.orgId, LISINOPRIL_20.ndc, LISINOPRIL_20.rxcui, days(-3)],
    );
    const r = await act(id, 'dispense', {
      ndc: LISINOPRIL_20.ndc,
      quantity: 1,
      lot: 'EXPIRED-1',
      daysSupply: 1,
      counselling,
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('LOT_EXPIRED');
    const alerts = await api().get('/api/pharmacy/inventory/alerts').set(w.pharmacist.auth);
    expect(alerts.status).toBe(200);
    expect(alerts.body.alerts).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'expired', lotNumber: 'EXPIRED-1', quantity: 10 })]),
    );
  });

  it('out of stock is 409 OUT_OF_STOCK and changes nothing', async () => {
    const before = await api().get(`/api/pharmacy/inventory?ndc=${LISINOPRIL_20.ndc}`).set(w.pharmacist.auth);
    const onHand = before.body.items[0].onHand as number;
    // More than any single lot holds but within the prescription's remaining 30? Use a fresh large prescription.
    const big = await newRx({ quantity: 100_000 });
    await api().get('/api/pharmacy/queue?findings=false').set(w.pharmacist.auth);
    await claimAndVerify(big);
    const r = await act(big, 'dispense', { ndc: LISINOPRIL_20.ndc, quantity: onHand + 1, daysSupply: 30, counselling });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('OUT_OF_STOCK');
    const after = await api().get(`/api/pharmacy/inventory?ndc=${LISINOPRIL_20.ndc}`).set(w.pharmacist.auth);
    expect(after.body.items[0].onHand).toBe(onHand);
    expect(
      await h.deps.fhir.searchResources('MedicationDispense', { prescription: `MedicationRequest/${big}` }),
    ).toHaveLength(0);
    const row = await h.deps.pg.query(
      'SELECT status, quantity_dispensed FROM pharmacy_queue_items WHERE medication_request_id = $1',
      [big],
    );
    expect(row.rows[0]).toMatchObject({ status: 'verified', quantity_dispensed: '0.000' });
  });
});

describe('return to prescriber', () => {
  it('puts the prescription on hold, messages the prescriber and closes the item', async () => {
    const id = await newRx();
    await api().get('/api/pharmacy/queue?findings=false').set(w.pharmacist.auth);
    expect((await act(id, 'return', { reason: 'Please clarify' })).body.error.code).toBe('NOT_CLAIMED');
    await act(id, 'claim');
    const short = await act(id, 'return', { reason: 'no' });
    expect(short.status).toBe(400);
    const r = await act(id, 'return', { reason: 'Dose unclear: please confirm 20 mg', reasonCode: 'dose' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'returned', prescriptionStatus: 'on-hold' });
    const mr = await h.deps.fhir.read('MedicationRequest', id);
    expect(mr.status).toBe('on-hold');
    expect(mr.statusReason?.text).toBe('Dose unclear: please confirm 20 mg');
    const comm = await h.deps.fhir.read('Communication', r.body.communicationId);
    expect(comm.recipient?.[0]?.reference).toBe(`Practitioner/${w.prescriberId}`);
    expect(comm.about?.[0]?.reference).toBe(`MedicationRequest/${id}`);
    const again = await act(id, 'dispense', { ndc: LISINOPRIL_20.ndc, quantity: 1, daysSupply: 1, counselling });
    expect(again.status).toBe(409);
    const returned = await api()
      .get('/api/pharmacy/queue?status=returned&findings=false&limit=100')
      .set(w.pharmacist.auth);
    expect(returned.body.items.map((i: { medicationRequestId: string }) => i.medicationRequestId)).toContain(id);
  });
});

describe('controlled substances', () => {
  it('keeps a perpetual log with running balances and reports a period', async () => {
    // Same clock as the log's timestamps; the pause keeps earlier tests' receipts strictly before `from`.
    await new Promise((r) => setTimeout(r, 10));
    const from = new Date().toISOString();
    const rec = await receive({ ndc: OXYCODONE_5.ndc, lot: 'OXY-1', expiry: days(300), quantity: 50 });
    expect(rec.status).toBe(201);
    expect(rec.body.controlled).toMatchObject({ schedule: 'II' });
    const id = await newRx({ rxcui: OXYCODONE_5.rxcui, quantity: 10 });
    await api().get('/api/pharmacy/queue?findings=false').set(w.pharmacist.auth);
    await claimAndVerify(id);
    const d = await act(id, 'dispense', {
      ndc: OXYCODONE_5.ndc,
      quantity: 10,
      lot: 'OXY-1',
      daysSupply: 5,
      counselling,
    });
    expect(d.status).toBe(201);
    expect(d.body.dispense.deaSchedule).toBe('II');
    const r = await api()
      .get(
        `/api/pharmacy/controlled-substances/report?ndc=${OXYCODONE_5.ndc}&from=${encodeURIComponent(from)}&to=${days(1)}`,
      )
      .set(w.pharmacist.auth);
    expect(r.status).toBe(200);
    const line = r.body.drugs[0];
    expect(line).toMatchObject({
      ndc: OXYCODONE_5.ndc,
      deaSchedule: 'II',
      received: 50,
      dispensed: 10,
      reconciled: true,
    });
    expect(line.closingBalance).toBe(line.openingBalance + 40);
    expect(line.entries.map((e: { kind: string }) => e.kind)).toEqual(['receipt', 'dispense']);
    const all = await api()
      .get(`/api/pharmacy/controlled-substances/report?from=${days(-1)}&to=${days(1)}`)
      .set(w.pharmacist.auth);
    expect(all.body.drugs.map((x: { ndc: string }) => x.ndc)).toEqual([OXYCODONE_5.ndc]);
    const notCs = await api()
      .get(`/api/pharmacy/controlled-substances/report?ndc=${LISINOPRIL_20.ndc}&from=${days(-1)}&to=${days(1)}`)
      .set(w.pharmacist.auth);
    expect(notCs.status).toBe(400);
  });

  it('the log is append-only', async () => {
    await expect(
      h.deps.pg.query('UPDATE controlled_substance_log SET quantity = 1 WHERE pharmacy_org_id = $1', [w.orgId]),
    ).rejects.toThrow(/append-only/);
    await expect(
      h.deps.pg.query('DELETE FROM controlled_substance_log WHERE pharmacy_org_id = $1', [w.orgId]),
    ).rejects.toThrow(/append-only/);
  });
});

describe('OpenAPI', () => {
  it('documents the pharmacy routes', async () => {
    const r = await api().get('/api/openapi.json');
    expect(r.status).toBe(200);
    const paths = Object.keys(r.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/pharmacy/queue',
        '/api/pharmacy/queue/{medicationRequestId}/dispense',
        '/api/pharmacy/inventory/receipts',
        '/api/pharmacy/inventory/alerts',
        '/api/pharmacy/controlled-substances/report',
      ]),
    );
  });
});
