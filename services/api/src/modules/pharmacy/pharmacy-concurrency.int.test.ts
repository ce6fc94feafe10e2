import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../app';
import { buildDeps, type BuiltDeps } from '../../core/bootstrap';
import { loadConfig } from '../../core/config';
import { testEnv } from '../../test-support/test-env';
import { createTestPatient } from '../../test-support/users';
import {
  counselling,
  createPharmacyWorld,
  days,
  LISINOPRIL_20,
  medicationRequest,
  type PharmacyWorld,
} from './pharmacy.int-fixtures';
import { DISPENSE_ID_SYSTEM } from './medication-dispense';

/**
 * 50 parallel dispenses of 1 unit, on 50 different prescriptions, against 20 units in stock: exactly 20 succeed,
 * 30 get OUT_OF_STOCK, stock ends at 0 (never below), and HAPI holds exactly 20 MedicationDispenses for them.
 * The app gets a pool of 20 PostgreSQL connections (like production) so the requests really overlap.
 */
let deps: BuiltDeps;
let app: ReturnType<typeof createApp>;
let w: PharmacyWorld;
const N = 50;
const STOCK = 20;
const ids: string[] = [];

beforeAll(async () => {
  const env = testEnv();
  const config = loadConfig({
    NODE_ENV: 'test',
    HAPI_BASE_URL: env.hapiBaseUrl,
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    HAPI_TIMEOUT_MS: '10000',
    HAPI_RETRIES: '0',
  });
  deps = await buildDeps(config, pino({ level: process.env.PHARMACY_TEST_LOG ?? 'silent' }), { pgPoolSize: 20 });
  await deps.redis.connect().catch(() => undefined);
  app = createApp(deps);
  w = await createPharmacyWorld(deps);
  // 50 patients (one prescription each), created in two HAPI transactions.
  const patients = await Promise.all(Array.from({ length: N }, () => createTestPatient(deps, 'Concurrency')));
  const bundle: fhir4.Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: patients.map((patientId) => ({
      resource: medicationRequest({ patientId, prescriberId: w.prescriberId, orgId: w.orgId, quantity: 1 }),
      request: { method: 'POST', url: 'MedicationRequest' },
    })),
  };
  const res = await deps.fhir.transaction(bundle);
  for (const e of res.entry ?? []) ids.push(e.response!.location!.split('/')[1]!);
  expect(ids).toHaveLength(N);
  const r = await request(app)
    .post('/api/pharmacy/inventory/receipts')
    .set(w.pharmacist.auth)
    .send({ ndc: LISINOPRIL_20.ndc, lot: 'CONC-1', expiry: days(300), quantity: STOCK });
  expect(r.status).toBe(201);
  // Sync the queue, then claim and verify every item (no findings: each patient has one prescription).
  expect((await request(app).get('/api/pharmacy/queue?findings=false&limit=100').set(w.pharmacist.auth)).status).toBe(
    200,
  );
  for (const id of ids) {
    expect((await request(app).post(`/api/pharmacy/queue/${id}/claim`).set(w.pharmacist.auth)).status).toBe(200);
    const v = await request(app)
      .post(`/api/pharmacy/queue/${id}/verify`)
      .set(w.pharmacist.auth)
      .send({ decisions: [] });
    expect(v.status).toBe(200);
  }
}, 180_000);

afterAll(async () => {
  await deps.close();
});

it('lists a 50-item queue with a fresh safety screen per item (timed)', async () => {
  const timings: number[] = [];
  for (const findings of ['false', 'true', 'true']) {
    const t0 = Date.now();
    const r = await request(app).get(`/api/pharmacy/queue?limit=50&findings=${findings}`).set(w.pharmacist.auth);
    timings.push(Date.now() - t0);
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(50);
    if (findings === 'true')
      expect(r.body.items.every((i: { findings?: unknown[] }) => Array.isArray(i.findings))).toBe(true);
  }
  process.stdout.write(
    `pharmacy queue of 50 (50 patients): without findings ${timings[0]} ms, with findings ${timings[1]} ms / ${timings[2]} ms\n`,
  );
}, 60_000);

it('50 parallel dispenses against 20 in stock: 20 succeed, 30 OUT_OF_STOCK, stock 0, 20 MedicationDispenses', async () => {
  const started = Date.now();
  const results = await Promise.all(
    ids.map((id) =>
      request(app)
        .post(`/api/pharmacy/queue/${id}/dispense`)
        .set(w.pharmacist.auth)
        .send({ ndc: LISINOPRIL_20.ndc, quantity: 1, daysSupply: 1, counselling }),
    ),
  );
  const elapsed = Date.now() - started;
  const ok = results.filter((r) => r.status === 201);
  const out = results.filter((r) => r.status === 409 && r.body.error?.code === 'OUT_OF_STOCK');
  const other = results.filter((r) => r.status !== 201 && !(r.status === 409 && r.body.error?.code === 'OUT_OF_STOCK'));
  process.stdout.write(
    `pharmacy concurrency: ${N} dispenses in ${elapsed} ms: ${ok.length} ok, ${out.length} OUT_OF_STOCK, ${other.length} other\n`,
  );
  expect(other.map((r) => [r.status, r.body.error?.code, r.text.slice(0, 300)])).toEqual([]);
  expect(ok).toHaveLength(STOCK);
  expect(out).toHaveLength(N - STOCK);

  const stock = await deps.pg.query<{ quantity: string }>(
    'SELECT quantity FROM inventory_lots WHERE pharmacy_org_id = $1 AND ndc = $2',
    [w.orgId, LISINOPRIL_20.ndc],
  );
  expect(stock.rows.map((r) => Number(r.quantity))).toEqual([0]);
  const ledger = await deps.pg.query<{ n: string; ids: string[] }>(
    'SELECT count(*) AS n, array_agg(medication_dispense_id) AS ids FROM pharmacy_dispenses WHERE pharmacy_org_id = $1',
    [w.orgId],
  );
  expect(Number(ledger.rows[0]!.n)).toBe(STOCK);
  expect(ledger.rows[0]!.ids.every((x) => !!x)).toBe(true);

  // HAPI: exactly one MedicationDispense per successful request, none for the refused ones.
  const mds = await deps.fhir.searchResources('MedicationDispense', {
    prescription: ids.map((id) => `MedicationRequest/${id}`).join(','),
    _count: 200,
  });
  expect(mds).toHaveLength(STOCK);
  expect(new Set(mds.map((m) => m.identifier?.find((i) => i.system === DISPENSE_ID_SYSTEM)?.value)).size).toBe(STOCK);
  const dispensedIds = new Set(ok.map((r) => r.body.item.medicationRequestId));
  expect(new Set(mds.map((m) => m.authorizingPrescription![0]!.reference!.split('/')[1]))).toEqual(dispensedIds);

  const states = await deps.pg.query<{ status: string; n: string }>(
    'SELECT status, count(*) AS n FROM pharmacy_queue_items WHERE medication_request_id = ANY($1::text[]) GROUP BY status ORDER BY status',
    [ids],
  );
  expect(Object.fromEntries(states.rows.map((r) => [r.status, Number(r.n)]))).toEqual({
    dispensed: STOCK,
    verified: N - STOCK,
  });
}, 120_000);
