import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';
import { CH_PASSWORD, CH_USER, ClearinghouseProcess } from '../eligibility/clearinghouse-process.test-util';
import { X12_PAYER_ID_SYSTEM } from '../eligibility/inquiry';

/** Registration with insurance: the Coverage is created and checked at once; a clearinghouse outage never fails it. */
jest.setTimeout(60_000);

let h: Awaited<ReturnType<typeof buildTestApp>>;
const ch = new ClearinghouseProcess(3_000);
let nurse: TestUser;
// A payer id of this run's own, so the payer found is the one created here.
const payerCode = `T${RUN_ID.slice(-8)}`.slice(0, 10).toUpperCase();

// Letters only (names refuse digits): a family name no other run uses.
const uniqueFamily = `Nopayer${RUN_ID.replace(/[^a-z]/g, '')}`;

const robert = {
  name: { family: 'Smith', given: ['Robert'] },
  birthDate: '1943-05-19',
  gender: 'male',
};

beforeAll(async () => {
  await ch.start();
  const env = { CLEARINGHOUSE_USER: CH_USER, CLEARINGHOUSE_PASSWORD: CH_PASSWORD, CLEARINGHOUSE_TIMEOUT_MS: '1500' };
  h = await buildTestApp({ env: { ...env, CLEARINGHOUSE_URL: ch.url } });
  await h.deps.fhir.create<fhir4.Organization>({
    resourceType: 'Organization',
    name: 'Prairie BlueCross Health Plan',
    identifier: [{ system: X12_PAYER_ID_SYSTEM, value: payerCode }],
  });
  nurse = await createTestUser(h.deps, { role: 'nurse', practitionerId: await createTestPractitioner(h.deps) });
});
afterAll(async () => {
  await ch.stop();
  await h?.close();
});

describe('POST /api/patients with insurance', () => {
  it('creates the Coverage, checks it with the payer and answers the outcome', async () => {
    const res = await request(h.app)
      .post('/api/patients')
      .set(nurse.auth)
      .send({ ...robert, insurance: { payerId: payerCode, memberId: 'ELIG-ACTIVE-1', groupNumber: 'GRP-1' } })
      .expect(201);
    expect(res.body.eligibility).toMatchObject({
      state: 'checked',
      result: { status: 'active', plan: 'Prairie PPO Gold', memberId: 'ELIG-ACTIVE-1' },
    });
    const coverage = await h.deps.fhir.read('Coverage', res.body.eligibility.coverageId);
    expect(coverage).toMatchObject({
      status: 'active',
      beneficiary: { reference: `Patient/${res.body.id}` },
      subscriberId: 'ELIG-ACTIVE-1',
      class: [{ value: 'GRP-1' }],
    });
    const stored = await h.deps.fhir.read('CoverageEligibilityResponse', res.body.eligibility.result.responseId);
    expect(stored.insurance?.[0]?.inforce).toBe(true);
  });

  it('a payer rejection is the outcome, not a failed registration', async () => {
    const res = await request(h.app)
      .post('/api/patients')
      .set(nurse.auth)
      .send({ ...robert, insurance: { payerId: payerCode, memberId: 'NO-SUCH-MEMBER' } })
      .expect(201);
    expect(res.body.eligibility).toMatchObject({ state: 'rejected', rejections: [{ reasonCode: '75' }] });
  });

  it('clearinghouse down: the patient is registered, eligibility "not checked (clearinghouse unavailable)"', async () => {
    const down = await buildTestApp({
      env: {
        CLEARINGHOUSE_URL: 'http://127.0.0.1:9',
        CLEARINGHOUSE_USER: CH_USER,
        CLEARINGHOUSE_PASSWORD: CH_PASSWORD,
      },
    });
    try {
      const res = await request(down.app)
        .post('/api/patients')
        .set(nurse.auth)
        .send({ ...robert, insurance: { payerId: payerCode, memberId: 'ELIG-ACTIVE-1' } })
        .expect(201);
      expect(res.body.eligibility).toEqual({
        state: 'not-checked',
        coverageId: expect.any(String),
        code: 'CLEARINGHOUSE_UNAVAILABLE',
        message: 'not checked (clearinghouse unavailable)',
      });
      expect((await h.deps.fhir.read('Patient', res.body.id)).id).toBe(res.body.id);
    } finally {
      await down.close();
    }
  });

  it('refuses an unknown payer and a malformed member id before writing anything', async () => {
    const unknown = await request(h.app)
      .post('/api/patients')
      .set(nurse.auth)
      .send({
        ...robert,
        name: { family: uniqueFamily, given: ['Robert'] },
        insurance: { payerId: 'ZZ999', memberId: 'M1' },
      })
      .expect(422);
    expect(unknown.body.error.code).toBe('UNKNOWN_PAYER');
    const none = await h.deps.fhir.searchResources('Patient', { family: uniqueFamily });
    expect(none).toEqual([]);
    const bad = await request(h.app)
      .post('/api/patients')
      .set(nurse.auth)
      .send({ ...robert, insurance: { payerId: payerCode, memberId: 'has spaces!' } })
      .expect(400);
    expect(bad.body.error.details[0].field).toBe('body.insurance.memberId');
  });
});
