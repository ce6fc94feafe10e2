import type { Pool, PoolClient } from 'pg';
import request from 'supertest';
import type { AppDeps } from '../../core/deps';
import { hapiUnavailable } from '../../core/errors';
import { buildTestApp } from '../../test-support/app-harness';
import { dispense } from './dispense';
import { DISPENSE_ID_SYSTEM } from './medication-dispense';
import {
  counselling,
  createPharmacyWorld,
  days,
  LISINOPRIL_20,
  medicationRequest,
  type PharmacyWorld,
} from './pharmacy.int-fixtures';

/**
 * Nothing half-written: a HAPI failure rolls the PostgreSQL transaction back; a commit failure after the HAPI
 * write removes the MedicationDispense again. Faults are injected around the real HAPI and PostgreSQL.
 */
let h: Awaited<ReturnType<typeof buildTestApp>>;
let w: PharmacyWorld;
let id: string;
let mr: fhir4.MedicationRequest;

beforeAll(async () => {
  h = await buildTestApp();
  w = await createPharmacyWorld(h.deps);
  mr = await h.deps.fhir.create(
    medicationRequest({ patientId: w.patientId, prescriberId: w.prescriberId, orgId: w.orgId, quantity: 10 }),
  );
  id = mr.id!;
  expect(
    (
      await request(h.app)
        .post('/api/pharmacy/inventory/receipts')
        .set(w.pharmacist.auth)
        .send({ ndc: LISINOPRIL_20.ndc, lot: 'FAULT-1', expiry: days(100), quantity: 10 })
    ).status,
  ).toBe(201);
  await request(h.app).get('/api/pharmacy/queue?findings=false').set(w.pharmacist.auth);
  expect((await request(h.app).post(`/api/pharmacy/queue/${id}/claim`).set(w.pharmacist.auth)).status).toBe(200);
  expect(
    (await request(h.app).post(`/api/pharmacy/queue/${id}/verify`).set(w.pharmacist.auth).send({ decisions: [] }))
      .status,
  ).toBe(200);
});
afterAll(async () => {
  await h.close();
});

const pharmacist = () => ({
  userId: w.pharmacist.user.id,
  orgId: w.orgId,
  practitionerId: w.pharmacist.user.fhir_practitioner_id!,
});
const body = { ndc: LISINOPRIL_20.ndc, quantity: 4, daysSupply: 4, counselling };

async function state() {
  const lot = await h.deps.pg.query<{ quantity: string }>(
    'SELECT quantity FROM inventory_lots WHERE pharmacy_org_id = $1',
    [w.orgId],
  );
  const ledger = await h.deps.pg.query('SELECT 1 FROM pharmacy_dispenses WHERE medication_request_id = $1', [id]);
  const item = await h.deps.pg.query<{ status: string }>(
    'SELECT status FROM pharmacy_queue_items WHERE medication_request_id = $1',
    [id],
  );
  const events = await h.deps.pg.query(
    `SELECT 1 FROM event_outbox WHERE type = 'pharmacy.queue.changed' AND payload->>'resourceId' = $1 AND payload->'data'->>'change' IN ('dispensed','partially_dispensed')`,
    [id],
  );
  const mds = await h.deps.fhir.searchResources('MedicationDispense', { prescription: `MedicationRequest/${id}` });
  return {
    stock: Number(lot.rows[0]!.quantity),
    ledger: ledger.rows.length,
    status: item.rows[0]!.status,
    events: events.rows.length,
    mds: mds.length,
  };
}

it('HAPI failing on the create rolls everything back', async () => {
  const fhir = Object.create(h.deps.fhir) as AppDeps['fhir'];
  fhir.create = async () => {
    throw hapiUnavailable('injected: HAPI down');
  };
  await expect(dispense({ ...h.deps, fhir }, pharmacist(), mr, body)).rejects.toMatchObject({
    status: 503,
    code: 'HAPI_UNAVAILABLE',
  });
  expect(await state()).toEqual({ stock: 10, ledger: 0, status: 'verified', events: 0, mds: 0 });
});

it('HAPI committing but answering an error (timeout) is undone by identifier', async () => {
  const real = h.deps.fhir;
  const fhir = Object.create(real) as AppDeps['fhir'];
  fhir.create = async (r, o) => {
    await real.create(r, o);
    throw hapiUnavailable('injected: timeout after the write');
  };
  await expect(dispense({ ...h.deps, fhir }, pharmacist(), mr, body)).rejects.toMatchObject({ status: 503 });
  expect(await state()).toEqual({ stock: 10, ledger: 0, status: 'verified', events: 0, mds: 0 });
});

it('a failed COMMIT after the HAPI write deletes the MedicationDispense again', async () => {
  let createdIdentifier: string | undefined;
  const real = h.deps.fhir;
  const fhir = Object.create(real) as AppDeps['fhir'];
  fhir.create = async (r, o) => {
    createdIdentifier = (r as fhir4.MedicationDispense).identifier?.[0]?.value;
    return real.create(r, o);
  };
  // A pool whose client fails COMMIT (after rolling back, as a lost connection would).
  const pg = Object.create(h.deps.pg) as Pool;
  pg.connect = (async () => {
    const client = await h.deps.pg.connect();
    const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
    (client as unknown as { query: unknown }).query = async (...args: unknown[]) => {
      if (args[0] === 'COMMIT') {
        await query('ROLLBACK');
        throw new Error('injected: connection lost at commit');
      }
      return query(...args);
    };
    return client as PoolClient;
  }) as Pool['connect'];
  await expect(dispense({ ...h.deps, fhir, pg }, pharmacist(), mr, body)).rejects.toMatchObject({
    status: 503,
    code: 'DISPENSE_NOT_RECORDED',
  });
  expect(createdIdentifier).toBeDefined();
  expect(
    await h.deps.fhir.searchResources('MedicationDispense', {
      identifier: `${DISPENSE_ID_SYSTEM}|${createdIdentifier}`,
    }),
  ).toHaveLength(0);
  expect(await state()).toEqual({ stock: 10, ledger: 0, status: 'verified', events: 0, mds: 0 });
});

it('after the faults, a normal dispense works and is recorded on both sides', async () => {
  const r = await request(h.app).post(`/api/pharmacy/queue/${id}/dispense`).set(w.pharmacist.auth).send(body);
  expect(r.status).toBe(201);
  expect(await state()).toEqual({ stock: 6, ledger: 1, status: 'partially_dispensed', events: 1, mds: 1 });
});
