import { randomInt, randomUUID } from 'node:crypto';
import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestUser, type TestUser } from '../../test-support/users';
import { CH_PASSWORD, CH_USER, ClearinghouseProcess } from './clearinghouse-process.test-util';
import { X12_PAYER_ID_SYSTEM } from './inquiry';

/**
 * The nightly eligibility batch against the real clearinghouse simulator, HAPI and PostgreSQL. The run is started
 * through the admin endpoint for one service date; a date of its own per test run keeps the shared HAPI's other
 * appointments (demo data, other tests) out of the counts.
 */
jest.setTimeout(60_000);

let h: Awaited<ReturnType<typeof buildTestApp>>;
const ch = new ClearinghouseProcess(3_000);
let admin: TestUser;
let payerId: string;
const serviceDate = `20${randomInt(70, 99)}-${String(randomInt(1, 12)).padStart(2, '0')}-${String(randomInt(1, 28)).padStart(2, '0')}`;

beforeAll(async () => {
  await ch.start();
  h = await buildTestApp({
    env: {
      CLEARINGHOUSE_URL: ch.url,
      CLEARINGHOUSE_USER: CH_USER,
      CLEARINGHOUSE_PASSWORD: CH_PASSWORD,
      CLEARINGHOUSE_TIMEOUT_MS: '1500',
    },
  });
  const payer = await h.deps.fhir.create<fhir4.Organization>({
    resourceType: 'Organization',
    name: 'Prairie BlueCross Health Plan',
    identifier: [
      { system: X12_PAYER_ID_SYSTEM, value: '00621' },
      { system: 'urn:wintehr:test', value: RUN_ID },
    ],
  });
  payerId = payer.id!;
  admin = await createTestUser(h.deps, { role: 'admin' });
});

afterAll(async () => {
  await ch.stop();
  await h?.close();
});

async function scheduled(
  who: { family: string; given: string; birthDate: string; gender: 'male' | 'female' },
  memberId: string | undefined,
  status: fhir4.Appointment['status'] = 'booked',
) {
  const patient = await h.deps.fhir.create<fhir4.Patient>({
    resourceType: 'Patient',
    name: [{ use: 'official', family: who.family, given: [who.given] }],
    birthDate: who.birthDate,
    gender: who.gender,
    identifier: [{ system: 'urn:wintehr:mrn', value: `MRN-${RUN_ID}-${randomUUID().slice(0, 8)}` }],
  });
  if (memberId)
    await h.deps.fhir.create<fhir4.Coverage>({
      resourceType: 'Coverage',
      status: 'active',
      beneficiary: { reference: `Patient/${patient.id}` },
      subscriber: { reference: `Patient/${patient.id}` },
      subscriberId: memberId,
      relationship: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship', code: 'self' }],
      },
      payor: [{ reference: `Organization/${payerId}` }],
    });
  await h.deps.fhir.create<fhir4.Appointment>({
    resourceType: 'Appointment',
    status,
    start: `${serviceDate}T10:00:00Z`,
    end: `${serviceDate}T10:20:00Z`,
    participant: [{ actor: { reference: `Patient/${patient.id}` }, status: 'accepted' }],
  });
  return patient.id!;
}

const run = () => request(h.app).post('/api/eligibility/batch-runs').set(admin.auth).send({ date: serviceDate });

describe('nightly eligibility batch', () => {
  it('checks every booked patient once, goes on after a failure, stores the answers and skips them on a re-run', async () => {
    const active = await scheduled(
      { family: 'Smith', given: 'Robert', birthDate: '1943-05-19', gender: 'male' },
      'ELIG-ACTIVE-1',
    );
    const inactive = await scheduled(
      { family: 'Jones', given: 'Alice', birthDate: '1970-08-02', gender: 'female' },
      'ELIG-INACTIVE-1',
    );
    const failing = await scheduled(
      { family: 'Fault', given: 'Five', birthDate: '1960-01-01', gender: 'male' },
      'FAULT-5XX',
    );
    const uninsured = await scheduled(
      { family: 'Cash', given: 'Pay', birthDate: '1990-01-01', gender: 'female' },
      undefined,
    );
    const cancelled = await scheduled(
      { family: 'Smith', given: 'Robert', birthDate: '1943-05-19', gender: 'male' },
      'ELIG-ACTIVE-1',
      'cancelled',
    );

    const first = await run().expect(201);
    expect(first.body).toMatchObject({
      serviceDate,
      trigger: 'manual',
      status: 'done',
      counts: {
        appointments: 4,
        patients: 4,
        active: 1,
        inactive: 1,
        failed: 1,
        noCoverage: 1,
        rejected: 0,
        skipped: 0,
      },
    });

    // The answers are in HAPI, dated for the service date, linked to the patients.
    const answers = async (patientId: string) =>
      h.deps.fhir.searchResources('CoverageEligibilityResponse', { patient: `Patient/${patientId}` });
    const [a] = await answers(active);
    expect(a).toMatchObject({ outcome: 'complete', servicedDate: serviceDate, insurance: [{ inforce: true }] });
    const [i] = await answers(inactive);
    expect(i).toMatchObject({ outcome: 'complete', insurance: [{ inforce: false }] });
    expect((await answers(failing))[0]).toMatchObject({ outcome: 'error' });
    expect(await answers(uninsured)).toEqual([]);
    expect(await answers(cancelled)).toEqual([]);

    // Audited per patient as the system actor, with ids and the outcome only.
    await h.deps.audit.flush();
    const audit = await h.deps.pg.query(
      `SELECT patient_id, outcome, username, role, details FROM audit_log
        WHERE action = 'eligibility.check' AND details->>'batchRunId' = $1`,
      [first.body.id],
    );
    expect(audit.rows).toHaveLength(4);
    expect(audit.rows.every((r) => r.username === 'system:eligibility-batch' && r.role === 'system')).toBe(true);
    expect(audit.rows.find((r) => r.patient_id === failing)).toMatchObject({
      outcome: 'failure',
      details: expect.objectContaining({ error: 'CLEARINGHOUSE_ERROR' }),
    });
    expect(audit.rows.find((r) => r.patient_id === active)?.details.eligibility).toBe('active');

    // A re-run checks nobody already answered; only the transport failure is tried again.
    const second = await run().expect(201);
    expect(second.body.counts).toMatchObject({
      patients: 4,
      skipped: 3,
      failed: 1,
      active: 0,
      inactive: 0,
      noCoverage: 0,
    });
    expect(await answers(active)).toHaveLength(1);
    expect(await answers(inactive)).toHaveLength(1);

    const list = await request(h.app).get('/api/eligibility/batch-runs').set(admin.auth).expect(200);
    expect(list.body.runs.slice(0, 2).map((r: { id: string }) => r.id)).toEqual([second.body.id, first.body.id]);
  });

  it('is for administrators only, and refuses a bad date', async () => {
    const doc = await createTestUser(h.deps, { role: 'physician' });
    await request(h.app).post('/api/eligibility/batch-runs').set(doc.auth).send({}).expect(403);
    await request(h.app).get('/api/eligibility/batch-runs').set(doc.auth).expect(403);
    const bad = await request(h.app).post('/api/eligibility/batch-runs').set(admin.auth).send({ date: 'tomorrow' });
    expect(bad.status).toBe(400);
  });
});
