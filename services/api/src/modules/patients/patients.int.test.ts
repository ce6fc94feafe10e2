import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';
import { RUN_ID, testEnv } from '../../test-support/test-env';
import { TcpProxy } from '../../test-support/tcp-proxy';
import { formatMrn, MRN_SYSTEM } from './mrn';

// The first patient search loads the whole search index from HAPI; on a busy machine that takes seconds.
jest.setTimeout(60_000);

type App = Awaited<ReturnType<typeof buildTestApp>>;
/** Letters only (names are validated): the run id's digits become letters so each run has its own family name. */
// Reversed, so the run id's random tail comes first and earlier runs' patients do not share the prefix.
const FAMILY = `Quist${[...RUN_ID.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!).replace(/[^a-z]/g, '')].reverse().join('')}`;

describe('patients API (real HAPI)', () => {
  let t: App;
  let doc: TestUser;
  let stranger: TestUser;
  let admin: TestUser;
  let patientId: string;
  let etag: string;

  beforeAll(async () => {
    t = await buildTestApp();
    doc = await createTestUser(t.deps, { role: 'physician', practitionerId: await createTestPractitioner(t.deps) });
    stranger = await createTestUser(t.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(t.deps),
    });
    admin = await createTestUser(t.deps, { role: 'admin' });
  });
  afterAll(async () => t.close());

  const auditRows = async (where: string, args: unknown[]) => {
    await t.deps.audit.flush();
    return (
      await t.deps.pg.query(
        `SELECT action, outcome, patient_id, details FROM audit_log WHERE ${where} ORDER BY id`,
        args,
      )
    ).rows;
  };

  it('registers a patient with a generated MRN, a masked SSN and an assignment for the registering clinician', async () => {
    const res = await request(t.app)
      .post('/api/patients')
      .set(doc.auth)
      .send({
        name: { family: FAMILY, given: ['Katherine'] },
        birthDate: '1975-03-14',
        gender: 'female',
        phone: '(410) 555-7788',
        ssn: '123-45-6789',
        address: { line: ['1 Main St'], city: 'Baltimore', state: 'MD', postalCode: '21201' },
      })
      .expect(201);
    patientId = res.body.id;
    etag = String(res.headers.etag);
    expect(res.body.mrn).toMatch(/^MRN-\d{7,}$/);
    expect(res.body.ssn).toBe('***-**-6789');
    expect(JSON.stringify(res.body)).not.toContain('123-45-6789');
    expect(etag).toBe('W/"1"');
    const stored = await t.deps.fhir.read('Patient', patientId);
    expect(stored.identifier!.find((i) => i.system === 'http://hl7.org/fhir/sid/us-ssn')!.value).toBe('123-45-6789');
    const got = await request(t.app).get(`/api/patients/${patientId}`).set(doc.auth).expect(200);
    expect(got.body.ssn).toBe('***-**-6789');
    expect(got.body.age).toBeGreaterThan(40);
    const rows = await auditRows('patient_id = $1', [patientId]);
    expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(
      expect.arrayContaining(['patient.create:success', 'patient.read:success']),
    );
    // No part of the SSN in the audit trail (the random patient id itself may contain the same digits).
    const withoutIds = JSON.stringify(rows.map(({ patient_id: _id, ...rest }) => rest));
    expect(withoutIds).not.toMatch(/6789|123-?45/);
  });

  it('gives two registrations different MRNs and refuses a duplicate given MRN', async () => {
    const body = { name: { family: FAMILY, given: ['Twin'] }, birthDate: '1990-01-01', gender: 'male' };
    const a = await request(t.app).post('/api/patients').set(doc.auth).send(body).expect(201);
    const b = await request(t.app).post('/api/patients').set(doc.auth).send(body).expect(201);
    expect(a.body.mrn).not.toBe(b.body.mrn);
    const dup = await request(t.app)
      .post('/api/patients')
      .set(doc.auth)
      .send({ ...body, mrn: a.body.mrn })
      .expect(409);
    expect(dup.body.error.code).toBe('MRN_EXISTS');
  });

  it('skips a generated MRN that another system already gave a patient in HAPI', async () => {
    const n = BigInt((await t.deps.pg.query<{ n: string }>("SELECT nextval('patient_mrn_seq')::text AS n")).rows[0]!.n);
    const taken = formatMrn(n + 1n);
    await t.deps.fhir.create<fhir4.Patient>({
      resourceType: 'Patient',
      identifier: [{ system: MRN_SYSTEM, value: taken }],
      name: [{ family: FAMILY }],
    });
    const res = await request(t.app)
      .post('/api/patients')
      .set(doc.auth)
      .send({ name: { family: FAMILY, given: ['Imported'] }, birthDate: '1980-02-02', gender: 'female' })
      .expect(201);
    expect(res.body.mrn).not.toBe(taken);
    // n+1 taken: the sequence jumps one further (n+2 is drawn, then skipped past by the stride).
    expect(res.body.mrn).toBe(formatMrn(n + 3n));
  });

  it('leaves a long run of taken MRNs behind in a few tries (a recreated database restarts the sequence)', async () => {
    const n = BigInt((await t.deps.pg.query<{ n: string }>("SELECT nextval('patient_mrn_seq')::text AS n")).rows[0]!.n);
    const taken = Array.from({ length: 150 }, (_, i) => formatMrn(n + 1n + BigInt(i)));
    await t.deps.fhir.request('POST', '', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: taken.map((mrn) => ({
          resource: {
            resourceType: 'Patient',
            identifier: [{ system: MRN_SYSTEM, value: mrn }],
            name: [{ family: FAMILY }],
          },
          request: { method: 'POST', url: 'Patient' },
        })),
      },
      interaction: 'seed taken MRNs',
    });
    const res = await request(t.app)
      .post('/api/patients')
      .set(doc.auth)
      .send({ name: { family: FAMILY, given: ['Afterrun'] }, birthDate: '1980-02-03', gender: 'male' })
      .expect(201);
    expect(taken).not.toContain(res.body.mrn);
  });

  it("search lists the caller's own patients first among many of the same name", async () => {
    const family = `${FAMILY}mine`;
    const strangers = await t.deps.fhir.request('POST', '', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: Array.from({ length: 40 }, (_, i) => ({
          resource: {
            resourceType: 'Patient',
            name: [{ family, given: [`Stranger${String.fromCharCode(97 + (i % 26))}`] }],
          },
          request: { method: 'POST', url: 'Patient' },
        })),
      },
      interaction: 'seed namesakes',
    });
    expect(strangers.status).toBe(200);
    const mine = await request(t.app)
      .post('/api/patients')
      .set(doc.auth)
      .send({ name: { family, given: ['Zed'] }, birthDate: '1970-07-07', gender: 'male' })
      .expect(201);
    const res = await request(t.app).get('/api/patients').query({ q: family, limit: 5 }).set(doc.auth).expect(200);
    expect(res.body.total).toBeGreaterThanOrEqual(41);
    expect(res.body.results[0]).toMatchObject({ id: mine.body.id, access: { related: true } });
    expect(res.body.results.slice(1).every((r: { access: { related: boolean } }) => !r.access.related)).toBe(true);
  });

  it('lets only one of several concurrent registrations with the same MRN through', async () => {
    const body = {
      name: { family: FAMILY, given: ['Racer'] },
      birthDate: '1991-01-01',
      gender: 'male',
      mrn: `EXT-${RUN_ID}`,
    };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => request(t.app).post('/api/patients').set(doc.auth).send(body)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(
      (await t.deps.fhir.search('Patient', { identifier: `urn:wintehr:mrn|EXT-${RUN_ID}`, _summary: 'count' })).total,
    ).toBe(1);
  });

  it('rejects bad registrations with the field', async () => {
    const base = { name: { family: FAMILY, given: ['Bad'] }, birthDate: '1980-01-01', gender: 'female' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, birthDate: '2999-01-01' }, 'body.birthDate'],
      [{ ...base, birthDate: '1980-02-30' }, 'body.birthDate'],
      [{ ...base, gender: 'robot' }, 'body.gender'],
      [{ ...base, phone: '12' }, 'body.phone'],
      [{ ...base, ssn: '000-12-3456' }, 'body.ssn'],
      [{ ...base, name: { family: 'X1', given: ['A'] } }, 'body.name.family'],
      [{ ...base, address: { line: ['x'], city: 'y', state: 'Maryland', postalCode: '2120' } }, 'body.address.state'],
    ];
    for (const [body, field] of cases) {
      const res = await request(t.app).post('/api/patients').set(doc.auth).send(body).expect(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('finds patients despite typos, phonetic spelling and partial names, and audits parameter names only', async () => {
    const typo = FAMILY.slice(0, -2) + FAMILY.slice(-1) + FAMILY.slice(-2, -1); // swap the last two letters
    const res = await request(t.app)
      .get('/api/patients')
      .query({ q: `Catherine ${typo}` })
      .set(doc.auth)
      .set('X-Request-ID', `search-${RUN_ID}`)
      .expect(200);
    expect(res.body.results[0]).toMatchObject({
      id: patientId,
      birthDate: '1975-03-14',
      access: { related: true, basis: 'assignment' },
    });
    expect(res.body.results[0].ssn).toBeUndefined();
    const partial = await request(t.app)
      .get('/api/patients')
      .query({ name: FAMILY.slice(0, 11), birthDate: '1975-03-14' })
      .set(stranger.auth)
      .expect(200);
    expect(partial.body.results.map((r: { id: string }) => r.id)).toEqual([patientId]);
    expect(partial.body.results[0].access).toEqual({
      related: false,
      breakGlass: `/api/patients/${patientId}/break-glass`,
    });
    const phone = await request(t.app)
      .get('/api/patients')
      .query({ phone: '410-555-7788', name: FAMILY })
      .set(doc.auth)
      .expect(200);
    expect(phone.body.results.map((r: { id: string }) => r.id)).toEqual([patientId]);
    const rows = await auditRows('request_id = $1', [`search-${RUN_ID}`]);
    expect(rows).toEqual([expect.objectContaining({ action: 'patient.search', outcome: 'success' })]);
    expect(rows[0].details.params).toEqual(['q', 'limit']);
    expect(JSON.stringify(rows[0])).not.toMatch(/catherine/i);
  });

  it('hints a care-team relationship in search results', async () => {
    const reg = await request(t.app)
      .post('/api/patients')
      .set(admin.auth)
      .send({ name: { family: FAMILY, given: ['Teamed'] }, birthDate: '1966-06-06', gender: 'male' })
      .expect(201);
    await t.deps.fhir.create<fhir4.CareTeam>({
      resourceType: 'CareTeam',
      status: 'active',
      subject: { reference: `Patient/${reg.body.id}` },
      participant: [{ member: { reference: `Practitioner/${stranger.user.fhir_practitioner_id}` } }],
    });
    const res = await request(t.app)
      .get('/api/patients')
      .query({ name: FAMILY, birthDate: '1966-06-06' })
      .set(stranger.auth)
      .expect(200);
    expect(res.body.results).toEqual([
      expect.objectContaining({ id: reg.body.id, access: { related: true, basis: 'care-team' } }),
    ]);
    await request(t.app).get(`/api/patients/${reg.body.id}`).set(stranger.auth).expect(200);
  });

  it('pages search results with a cursor', async () => {
    const first = await request(t.app).get('/api/patients').query({ name: FAMILY, limit: 1 }).set(doc.auth).expect(200);
    expect(first.body.total).toBeGreaterThanOrEqual(3);
    const second = await request(t.app)
      .get('/api/patients')
      .query({ name: FAMILY, limit: 1, cursor: first.body.nextCursor })
      .set(doc.auth)
      .expect(200);
    expect(second.body.results[0].id).not.toBe(first.body.results[0].id);
    await request(t.app).get('/api/patients').set(doc.auth).expect(400);
  });

  it('denies search to patients and charts to unrelated users; 404 for an unknown patient', async () => {
    const other = await createTestPatient(t.deps);
    const me = await createTestUser(t.deps, { role: 'patient', patientId: other });
    await request(t.app).get('/api/patients').query({ name: 'smith' }).set(me.auth).expect(403);
    await request(t.app).get(`/api/patients/${patientId}`).set(me.auth).expect(403);
    await request(t.app).get(`/api/patients/${other}`).set(me.auth).expect(200);
    const denied = await request(t.app).get(`/api/patients/${patientId}/summary`).set(stranger.auth).expect(403);
    expect(denied.body.error.code).toBe('PATIENT_ACCESS_DENIED');
    // 404 needs access first: an assignment to an id HAPI does not know (admins have no implicit access).
    await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      doc.user.id,
      `nope-${RUN_ID}`,
    ]);
    await request(t.app).get(`/api/patients/nope-${RUN_ID}`).set(doc.auth).expect(404);
    await request(t.app).get(`/api/patients/${patientId}`).set(admin.auth).expect(403);
    const rows = await auditRows("patient_id = $1 AND outcome = 'denied'", [patientId]);
    expect(rows.length).toBeGreaterThanOrEqual(2);
  });

  it('updates with optimistic locking: 428 without If-Match, 409 when stale, new ETag on success', async () => {
    const body = {
      name: { family: FAMILY, given: ['Katherine', 'Ann'] },
      birthDate: '1975-03-14',
      gender: 'female',
      phone: '(410) 555-7788',
    };
    await request(t.app).put(`/api/patients/${patientId}`).set(doc.auth).send(body).expect(428);
    const ok = await request(t.app)
      .put(`/api/patients/${patientId}`)
      .set(doc.auth)
      .set('If-Match', etag)
      .send(body)
      .expect(200);
    expect(ok.headers.etag).toBe('W/"2"');
    expect(ok.body.ssn).toBe('***-**-6789');
    expect(ok.body.mrn).toMatch(/^MRN-/);
    const stale = await request(t.app)
      .put(`/api/patients/${patientId}`)
      .set(doc.auth)
      .set('If-Match', etag)
      .send(body)
      .expect(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    await request(t.app)
      .put(`/api/patients/${patientId}`)
      .set(doc.auth)
      .set('If-Match', 'W/"2"')
      .send({ ...body, birthDate: '2999-01-01' })
      .expect(400);
  });

  it('summarises the chart, lists the timeline and passes $everything through with façade URLs', async () => {
    await request(t.app)
      .post(`/api/patients/${patientId}/vitals`)
      .set(doc.auth)
      .send({ kind: 'heart-rate', value: 72, unit: '/min', effectiveDateTime: '2025-01-01T10:00:00Z' })
      .expect(201);
    await request(t.app)
      .post(`/api/patients/${patientId}/vitals`)
      .set(doc.auth)
      .send({ kind: 'heart-rate', value: 88, unit: '/min', effectiveDateTime: '2025-02-01T10:00:00Z' })
      .expect(201);
    await request(t.app)
      .post(`/api/patients/${patientId}/problems`)
      .set(doc.auth)
      .send({ code: { system: 'snomed', code: '38341003', display: 'Hypertension' }, onset: '2020-01-01' })
      .expect(201);
    const s = await request(t.app).get(`/api/patients/${patientId}/summary`).set(doc.auth).expect(200);
    expect(s.body.patient.id).toBe(patientId);
    expect(s.body.vitals).toEqual([expect.objectContaining({ code: '8867-4', value: 88 })]);
    expect(s.body.problems).toHaveLength(1);
    for (const k of ['medications', 'allergies', 'appointments', 'coverage'])
      expect(Array.isArray(s.body[k])).toBe(true);
    const tl = await request(t.app)
      .get(`/api/patients/${patientId}/timeline`)
      .query({ limit: 2 })
      .set(doc.auth)
      .expect(200);
    expect(tl.body.events).toHaveLength(2);
    expect(tl.body.nextBefore).toBeDefined();
    const tl2 = await request(t.app)
      .get(`/api/patients/${patientId}/timeline`)
      .query({ limit: 10, before: tl.body.nextBefore })
      .set(doc.auth)
      .expect(200);
    expect(tl2.body.events.length).toBeGreaterThanOrEqual(1);
    const ev = await request(t.app).get(`/api/patients/${patientId}/$everything`).set(doc.auth).expect(200);
    expect(ev.body.resourceType).toBe('Bundle');
    expect(ev.body.entry.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(ev.body)).not.toContain(':8080');
    expect(JSON.stringify(ev.body)).not.toContain('123-45-6789');
    expect(ev.body.entry[0].fullUrl).toMatch(new RegExp(`^${t.deps.config.publicBaseUrl}/fhir/`));
    const rows = await auditRows('patient_id = $1', [patientId]);
    const actions = rows.map((r) => r.action);
    for (const a of [
      'patient.summary',
      'patient.timeline',
      'patient.everything',
      'patient.update',
      'vitals.record',
      'problem.create',
    ])
      expect(actions).toContain(a);
  });
});

describe('patients API while HAPI is down', () => {
  it('answers 503 HAPI_UNAVAILABLE in the error shape, not 500', async () => {
    const hapi = new URL(testEnv().hapiBaseUrl);
    const proxy = new TcpProxy(hapi.hostname, Number(hapi.port));
    const port = await proxy.start();
    const t = await buildTestApp({ hapiBaseUrl: `http://127.0.0.1:${port}${hapi.pathname}` });
    try {
      const nurse = await createTestUser(t.deps, { role: 'nurse' });
      const patientId = await createTestPatient(t.deps);
      await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
        nurse.user.id,
        patientId,
      ]);
      await proxy.stop();
      const res = await request(t.app).get(`/api/patients/${patientId}/summary`).set(nurse.auth).expect(503);
      expect(res.body.error.code).toBe('HAPI_UNAVAILABLE');
      await request(t.app).get('/api/patients').query({ name: 'smith' }).set(nurse.auth).expect(503);
    } finally {
      await proxy.stop().catch(() => undefined);
      await t.close();
    }
  });
});
