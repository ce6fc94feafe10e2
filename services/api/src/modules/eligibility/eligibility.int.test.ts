import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { read270, read271 } from '@wintehr/x12';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';
import { CH_PASSWORD, CH_USER, ClearinghouseProcess } from './clearinghouse-process.test-util';
import { RAW_X12_EXTENSION } from './fhir-records';
import { X12_PAYER_ID_SYSTEM } from './inquiry';

/**
 * Eligibility against the real clearinghouse simulator process and the real HAPI/PostgreSQL: one test per
 * simulator scenario and fault. The API gives the clearinghouse 1.5 s; the timeout fault stays silent for 4 s.
 */
jest.setTimeout(60_000);

let h: Awaited<ReturnType<typeof buildTestApp>>;
const ch = new ClearinghouseProcess(4_000);
let doc: TestUser;
let payerId: string;
let practitionerId: string;

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
  const practitioner = await h.deps.fhir.create<fhir4.Practitioner>({
    resourceType: 'Practitioner',
    name: [{ family: 'Wilson', given: ['Sarah'] }],
    identifier: [
      { system: 'http://hl7.org/fhir/sid/us-npi', value: '1245319599' },
      { system: 'urn:wintehr:test', value: RUN_ID },
    ],
  });
  practitionerId = practitioner.id!;
  doc = await createTestUser(h.deps, { role: 'physician', practitionerId });
});

afterAll(async () => {
  await ch.stop();
  await h?.close();
});

interface Person {
  family: string;
  given: string;
  birthDate: string;
  gender: 'male' | 'female';
}
const ROBERT: Person = { family: 'Smith', given: 'Robert', birthDate: '1943-05-19', gender: 'male' };

/** A patient with one active Coverage under `memberId`, assigned to the test physician. */
async function patientWith(memberId: string | undefined, who: Person = ROBERT, o: { dependentOf?: Person } = {}) {
  const patient = await h.deps.fhir.create<fhir4.Patient>({
    resourceType: 'Patient',
    name: [{ use: 'official', family: who.family, given: [who.given] }],
    birthDate: who.birthDate,
    gender: who.gender,
    identifier: [{ system: 'urn:wintehr:mrn', value: `MRN-${RUN_ID}-${randomUUID().slice(0, 8)}` }],
  });
  let subscriber: fhir4.Reference | undefined;
  if (o.dependentOf) {
    const rp = await h.deps.fhir.create<fhir4.RelatedPerson>({
      resourceType: 'RelatedPerson',
      patient: { reference: `Patient/${patient.id}` },
      name: [{ family: o.dependentOf.family, given: [o.dependentOf.given] }],
      birthDate: o.dependentOf.birthDate,
      gender: o.dependentOf.gender,
    });
    subscriber = { reference: `RelatedPerson/${rp.id}` };
  }
  let coverageId: string | undefined;
  if (memberId) {
    const coverage = await h.deps.fhir.create<fhir4.Coverage>({
      resourceType: 'Coverage',
      status: 'active',
      beneficiary: { reference: `Patient/${patient.id}` },
      subscriberId: memberId,
      subscriber: subscriber ?? { reference: `Patient/${patient.id}` },
      relationship: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
            code: o.dependentOf ? 'child' : 'self',
          },
        ],
      },
      payor: [{ reference: `Organization/${payerId}` }],
    });
    coverageId = coverage.id;
  }
  await h.deps.pg.query('INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, $3)', [
    doc.user.id,
    patient.id,
    'eligibility test',
  ]);
  return { patientId: patient.id!, coverageId };
}

const check = (patientId: string, body: object = {}, user: TestUser = doc) =>
  request(h.app).post(`/api/patients/${patientId}/eligibility`).set(user.auth).send(body);

const auditOf = async (patientId: string) => {
  await h.deps.audit.flush();
  return (
    await h.deps.pg.query(
      "SELECT outcome, resource_type, resource_id, details FROM audit_log WHERE action = 'eligibility.check' AND patient_id = $1 ORDER BY id",
      [patientId],
    )
  ).rows;
};

const rawOf = async (resource: fhir4.DomainResource) => {
  const ref = resource.extension?.find((e) => e.url === RAW_X12_EXTENSION)?.valueReference?.reference;
  const bin = await h.deps.fhir.read('Binary', ref!.split('/')[1]!);
  return { bin, text: Buffer.from(bin.data!, 'base64').toString('utf8') };
};

describe('POST /api/patients/:id/eligibility', () => {
  it('active coverage: benefits answered, request/response/raw X12 stored in HAPI, audited with ids only', async () => {
    const { patientId, coverageId } = await patientWith('ELIG-ACTIVE-1');
    const res = await check(patientId, { serviceDate: '2026-12-04', serviceTypes: ['30', '98'] }).expect(200);
    expect(res.body).toMatchObject({
      status: 'active',
      plan: 'Prairie PPO Gold',
      payer: { name: 'Prairie BlueCross Health Plan', id: '00621' },
      memberId: 'ELIG-ACTIVE-1',
      serviceDate: '2026-12-04',
      coverageId,
      planPeriod: { start: '2026-01-01', end: '2026-12-31' },
    });
    const b = res.body.benefits as Array<{
      code: string;
      amount?: number;
      percent?: number;
      inNetwork?: boolean;
      serviceTypes: { code: string }[];
    }>;
    expect(b.filter((x) => x.code === 'C').map((x) => [x.amount, x.inNetwork])).toEqual([
      [1500, true],
      [1100.5, true],
      [3000, false],
    ]);
    expect(b.find((x) => x.code === 'B' && x.serviceTypes[0]!.code === '98')!.amount).toBe(25);
    expect(b.filter((x) => x.code === 'A').map((x) => x.percent)).toEqual([20, 40]);

    const response = await h.deps.fhir.read('CoverageEligibilityResponse', res.body.responseId);
    expect(response).toMatchObject({
      outcome: 'complete',
      patient: { reference: `Patient/${patientId}` },
      request: { reference: `CoverageEligibilityRequest/${res.body.requestId}` },
      insurance: [{ coverage: { reference: `Coverage/${coverageId}` }, inforce: true }],
    });
    const req = await h.deps.fhir.read('CoverageEligibilityRequest', res.body.requestId);
    expect(req).toMatchObject({
      patient: { reference: `Patient/${patientId}` },
      insurance: [{ coverage: { reference: `Coverage/${coverageId}` } }],
      insurer: { reference: `Organization/${payerId}` },
      provider: { reference: `Practitioner/${practitionerId}` },
    });

    // The raw X12 of both directions, readable only with access to the patient.
    const sent = await rawOf(req);
    expect(sent.bin).toMatchObject({
      contentType: 'application/edi-x12',
      securityContext: { reference: `Patient/${patientId}` },
    });
    const inquiry = read270(sent.text);
    expect(inquiry.issues).toEqual([]);
    expect(inquiry.inquiry).toMatchObject({
      provider: { npi: '1245319599' },
      subscriber: { lastName: 'Smith', memberId: 'ELIG-ACTIVE-1', birthDate: '1943-05-19', gender: 'M' },
      serviceTypes: ['30', '98'],
      serviceDate: '2026-12-04',
    });
    const received = await rawOf(response);
    expect(read271(received.text).active).toBe(true);

    const audit = await auditOf(patientId);
    expect(audit).toEqual([
      expect.objectContaining({
        outcome: 'success',
        resource_type: 'CoverageEligibilityResponse',
        resource_id: res.body.responseId,
      }),
    ]);
    expect(audit[0].details).toMatchObject({
      coverageId,
      requestId: res.body.requestId,
      responseId: res.body.responseId,
      eligibility: 'active',
      status: 200,
    });
    expect(JSON.stringify(audit[0].details)).not.toMatch(/Smith|ELIG-ACTIVE-1|1943/);
  });

  it('inactive coverage answers status inactive', async () => {
    const { patientId } = await patientWith('ELIG-INACTIVE-1', {
      family: 'Jones',
      given: 'Alice',
      birthDate: '1970-08-02',
      gender: 'female',
    });
    const res = await check(patientId).expect(200);
    expect(res.body).toMatchObject({
      status: 'inactive',
      benefits: [{ code: '6', messages: ['Coverage terminated 2025-06-30'] }],
    });
  });

  it('a dependent is checked under the subscriber, from the Coverage relationship', async () => {
    const luis: Person = { family: 'Garcia', given: 'Luis', birthDate: '1980-11-11', gender: 'male' };
    const { patientId } = await patientWith(
      'ELIG-FAMILY-1',
      { family: 'Garcia', given: 'Sofia', birthDate: '2015-02-03', gender: 'female' },
      { dependentOf: luis },
    );
    const res = await check(patientId).expect(200);
    expect(res.body.status).toBe('active');
    expect(res.body.benefits[0]).toMatchObject({ code: '1', coverageLevel: { code: 'DEP' } });
    const sent = read270((await rawOf(await h.deps.fhir.read('CoverageEligibilityRequest', res.body.requestId))).text);
    expect(sent.inquiry).toMatchObject({
      subscriber: { lastName: 'Garcia', firstName: 'Luis', memberId: 'ELIG-FAMILY-1' },
      dependent: { firstName: 'Sofia', birthDate: '2015-02-03' },
    });
  });

  it.each([
    ['member not found', 'NO-SUCH-MEMBER', ROBERT, '75', /no subscriber with this member id/],
    ['name mismatch', 'ELIG-ACTIVE-1', { ...ROBERT, family: 'Smythe' }, '73', /subscriber name does not match/],
    [
      'birth date mismatch',
      'ELIG-ACTIVE-1',
      { ...ROBERT, birthDate: '1944-05-19' },
      '71',
      /date of birth does not match/,
    ],
    ['payer down', 'ELIG-PAYERDOWN', ROBERT, '42', /cannot respond at the moment/],
  ])('%s → 422 with the AAA message, the error response stored', async (_name, memberId, who, reason, message) => {
    const { patientId } = await patientWith(memberId, who);
    const res = await check(patientId).expect(422);
    expect(res.body.error).toMatchObject({
      code: 'ELIGIBILITY_REJECTED',
      details: { rejections: [expect.objectContaining({ reasonCode: reason })] },
    });
    expect(res.body.error.message).toMatch(message);
    const stored = await h.deps.fhir.read('CoverageEligibilityResponse', res.body.error.details.responseId);
    expect(stored).toMatchObject({
      outcome: 'error',
      error: [{ code: { coding: [expect.objectContaining({ code: reason })] } }],
    });
    const audit = await auditOf(patientId);
    expect(audit).toEqual([expect.objectContaining({ outcome: 'failure' })]);
    expect(audit[0].details).toMatchObject({ aaa: [reason], error: 'ELIGIBILITY_REJECTED', status: 422 });
  });

  it.each([
    ['timeout', 'FAULT-TIMEOUT', 504, 'CLEARINGHOUSE_TIMEOUT', /did not answer within 1.5 s/],
    ['5xx', 'FAULT-5XX', 502, 'CLEARINGHOUSE_ERROR', /HTTP 500/],
    ['malformed 271', 'FAULT-MALFORMED', 502, 'CLEARINGHOUSE_BAD_RESPONSE', /malformed 271/],
  ])('clearinghouse %s (%s) → %i with a clear message', async (_name, memberId, status, code, message) => {
    const { patientId } = await patientWith(memberId);
    const started = Date.now();
    const res = await check(patientId).expect(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    // The simulator holds a timed-out call far longer than this; the bound proves our 1.5 s limit cut it short
    // while leaving room for a busy machine.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await auditOf(patientId))[0]).toMatchObject({ outcome: 'failure' });
    // The failed attempt is stored: the request, and a response with outcome error naming the cause.
    const { eligibilityRequestId, eligibilityResponseId } = res.body.error.details;
    const stored = await h.deps.fhir.read('CoverageEligibilityResponse', eligibilityResponseId);
    expect(stored).toMatchObject({
      outcome: 'error',
      request: { reference: `CoverageEligibilityRequest/${eligibilityRequestId}` },
      patient: { reference: `Patient/${patientId}` },
      error: [{ code: { coding: [expect.objectContaining({ code })] } }],
    });
  });

  it('clearinghouse unreachable → 503 CLEARINGHOUSE_UNAVAILABLE with Retry-After, the attempt stored', async () => {
    const down = await buildTestApp({
      env: {
        // Nothing listens on port 9 (discard) locally: connection refused at once.
        CLEARINGHOUSE_URL: 'http://127.0.0.1:9',
        CLEARINGHOUSE_USER: CH_USER,
        CLEARINGHOUSE_PASSWORD: CH_PASSWORD,
        CLEARINGHOUSE_TIMEOUT_MS: '1500',
      },
    });
    try {
      const { patientId } = await patientWith('ELIG-ACTIVE-1');
      const res = await request(down.app).post(`/api/patients/${patientId}/eligibility`).set(doc.auth).send({});
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.error).toMatchObject({
        code: 'CLEARINGHOUSE_UNAVAILABLE',
        message: expect.stringMatching(/cannot be reached/),
      });
      const stored = await h.deps.fhir.read(
        'CoverageEligibilityResponse',
        res.body.error.details.eligibilityResponseId,
      );
      expect(stored.outcome).toBe('error');
    } finally {
      await down.close();
    }
  });

  it('refuses bad input, missing coverage, no relationship and no permission', async () => {
    const { patientId } = await patientWith(undefined);
    expect((await check(patientId).expect(422)).body.error.code).toBe('NO_ACTIVE_COVERAGE');
    expect((await check(patientId, { serviceTypes: ['not a code'] }).expect(400)).body.error.code).toBe(
      'VALIDATION_ERROR',
    );
    expect((await check(patientId, { serviceDate: '2026-02-30' }).expect(400)).body.error.code).toBe(
      'VALIDATION_ERROR',
    );
    expect((await check(patientId, { coverageId: 'does-not-exist' }).expect(404)).body.error.code).toBe(
      'RESOURCE_NOT_FOUND',
    );
    const stranger = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });
    expect((await check(patientId, {}, stranger).expect(403)).body.error.code).toBe('PATIENT_ACCESS_DENIED');
    const pharmacist = await createTestUser(h.deps, { role: 'pharmacist' });
    expect((await check(patientId, {}, pharmacist).expect(403)).body.error.code).toBe('INSUFFICIENT_PERMISSIONS');
  });

  it("refuses another patient's coverage", async () => {
    const a = await patientWith('ELIG-ACTIVE-1');
    const b = await patientWith(undefined);
    expect((await check(b.patientId, { coverageId: a.coverageId }).expect(404)).body.error.code).toBe(
      'RESOURCE_NOT_FOUND',
    );
  });
});

describe('GET /api/portal/coverage', () => {
  it("the patient reads its own coverage and the latest answer in plain words, never another's", async () => {
    const mine = await patientWith('ELIG-ACTIVE-1');
    const other = await patientWith('ELIG-INACTIVE-1', {
      family: 'Jones',
      given: 'Alice',
      birthDate: '1970-08-02',
      gender: 'female',
    });
    const me = await createTestUser(h.deps, { role: 'patient', patientId: mine.patientId });

    const before = await request(h.app).get('/api/portal/coverage').set(me.auth).expect(200);
    expect(before.body.coverages).toEqual([
      expect.objectContaining({ coverageId: mine.coverageId, eligibility: 'never-checked', highlights: [] }),
    ]);

    await check(mine.patientId, { serviceDate: '2026-12-04' }).expect(200);
    await check(other.patientId).expect(200);
    const after = await request(h.app).get('/api/portal/coverage').set(me.auth).expect(200);
    expect(after.body.coverages).toHaveLength(1);
    const c = after.body.coverages[0];
    expect(c).toMatchObject({
      coverageId: mine.coverageId,
      payerName: 'Prairie BlueCross Health Plan',
      memberId: 'ELIG-ACTIVE-1',
      eligibility: 'active',
      summary: expect.stringMatching(/^Prairie BlueCross Health Plan confirmed your coverage is active on /),
    });
    expect(c.highlights).toEqual(
      expect.arrayContaining([
        'Office visit copay: $25',
        'Yearly deductible: $1,500',
        'Yearly out-of-pocket maximum: $6,000',
        'After the deductible you pay 20% of the cost',
      ]),
    );

    const them = await createTestUser(h.deps, { role: 'patient', patientId: other.patientId });
    const theirs = await request(h.app).get('/api/portal/coverage').set(them.auth).expect(200);
    expect(theirs.body.coverages).toEqual([
      expect.objectContaining({ coverageId: other.coverageId, eligibility: 'inactive', highlights: [] }),
    ]);
  });

  it('is for patients only', async () => {
    const res = await request(h.app).get('/api/portal/coverage').set(doc.auth).expect(403);
    expect(res.body.error.message).toMatch(/patient portal/);
  });
});
