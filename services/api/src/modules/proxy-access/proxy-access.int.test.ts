import request from 'supertest';
import { AUDIT_SELECT, rowToRecord, type AuditRow } from '../../core/audit/audit-row';
import { verifyChain } from '../../core/audit/audit-hash';
import { createTestUser, type TestUser } from '../../test-support/users';
import { buildTestApp } from '../../test-support/app-harness';
import { clinician, newPatient, type Harness } from '../medications/clinical.test-util';

/**
 * Proxy access against the real HAPI and PostgreSQL: staff grant from the chart, a parent reads a child's record and
 * messages the care team for them, a teenager's parent is kept to the limited tier, a person without a grant is
 * refused on every portal route whichever way the id is sent, aged-out and revoked grants stop at once, and the audit
 * trail names the proxy.
 */
jest.setTimeout(120_000);

let h: Harness;
let parent: TestUser;
let stranger: TestUser;
let childAccount: TestUser;
let doc: Awaited<ReturnType<typeof clinician>>;
let childId: string;
let teenId: string;
let adultId: string;
let strangerPatientId: string;
let childGrantId: string;

const yearsAgo = (years: number, extraDays = 100) => {
  const d = new Date(Date.now() - extraDays * 86_400_000);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
};

async function patientBorn(birthDate: string): Promise<string> {
  const id = await newPatient(h);
  const p = await h.deps.fhir.read('Patient', id);
  await h.deps.fhir.update({ ...p, birthDate });
  return id;
}

async function finalReport(patientId: string): Promise<string> {
  const subject = { reference: `Patient/${patientId}` };
  const code = { system: 'http://loinc.org', code: '2823-3', display: 'Potassium' };
  const obs = await h.deps.fhir.create<fhir4.Observation>({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [code] },
    subject,
    effectiveDateTime: '2026-11-01T08:00:00Z',
    valueQuantity: { value: 4.2, unit: 'mmol/L' },
  });
  const r = await h.deps.fhir.create<fhir4.DiagnosticReport>({
    resourceType: 'DiagnosticReport',
    status: 'final',
    code: { coding: [code], text: 'Potassium' },
    subject,
    effectiveDateTime: '2026-11-01T08:00:00Z',
    result: [{ reference: `Observation/${obs.id}` }],
  });
  return r.id!;
}

const actingFor = (who: TestUser, patientId: string) => ({ ...who.auth, 'X-Acting-For': patientId });

beforeAll(async () => {
  h = await buildTestApp();
  const parentPatient = await newPatient(h);
  strangerPatientId = await newPatient(h);
  [childId, teenId, adultId] = await Promise.all([
    patientBorn(yearsAgo(8)),
    patientBorn(yearsAgo(15)),
    patientBorn(yearsAgo(20)),
  ]);
  parent = await createTestUser(h.deps, { role: 'patient', patientId: parentPatient, name: 'parent' });
  stranger = await createTestUser(h.deps, { role: 'patient', patientId: strangerPatientId, name: 'stranger' });
  childAccount = await createTestUser(h.deps, { role: 'patient', patientId: childId, name: 'child' });
  doc = await clinician(h, 'physician', [childId, teenId, adultId]);
  for (const id of [childId, teenId])
    await h.deps.fhir.create<fhir4.Condition>({
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      code: { text: 'Asthma' },
      subject: { reference: `Patient/${id}` },
    });
  await finalReport(childId);
  await finalReport(teenId);
});
afterAll(() => h.close());

describe('granting from the chart', () => {
  it('grants a parent, creates the RelatedPerson named after the proxy, and lists it with its tier', async () => {
    const res = await request(h.app)
      .post(`/api/patients/${childId}/proxies`)
      .set(doc.auth)
      .send({ proxyUsername: parent.user.username, relationship: 'parent' })
      .expect(201);
    expect(res.body).toMatchObject({
      status: 'active',
      tier: 'full',
      relationship: 'parent',
      proxyName: 'Test patient',
    });
    childGrantId = res.body.id;
    const rp = await h.deps.fhir.read('RelatedPerson', res.body.relatedPersonId);
    expect(rp).toMatchObject({
      active: true,
      patient: { reference: `Patient/${childId}` },
      name: [{ text: 'Test patient' }],
    });

    const teen = await request(h.app)
      .post(`/api/patients/${teenId}/proxies`)
      .set(doc.auth)
      .send({ proxyUsername: parent.user.username, relationship: 'guardian' })
      .expect(201);
    expect(teen.body).toMatchObject({ status: 'active', tier: 'limited' });

    await request(h.app)
      .post(`/api/patients/${childId}/proxies`)
      .set(doc.auth)
      .send({ proxyUsername: parent.user.username, relationship: 'parent' })
      .expect(409);
    const list = await request(h.app).get(`/api/patients/${childId}/proxies`).set(doc.auth).expect(200);
    expect(list.body.grants.map((g: { id: string }) => g.id)).toEqual([childGrantId]);
  });

  it('refuses staff without a relationship to the patient, staff accounts as proxies, and patients granting', async () => {
    const other = await clinician(h, 'physician');
    await request(h.app)
      .post(`/api/patients/${childId}/proxies`)
      .set(other.auth)
      .send({ proxyUsername: stranger.user.username, relationship: 'parent' })
      .expect(403);
    await request(h.app)
      .post(`/api/patients/${childId}/proxies`)
      .set(doc.auth)
      .send({ proxyUsername: doc.user.username, relationship: 'parent' })
      .expect(400);
    await request(h.app)
      .post(`/api/patients/${strangerPatientId}/proxies`)
      .set(stranger.auth)
      .send({ proxyUsername: parent.user.username, relationship: 'parent' })
      .expect(403);
  });

  it('records a grant made while the subject was a minor that has since aged out', async () => {
    const { rows } = await h.deps.pg.query<{ id: string }>(
      `INSERT INTO proxy_grants (id, proxy_user_id, subject_patient_id, relationship, granted_by, granted_at)
       VALUES (gen_random_uuid(), $1, $2, 'parent', $3, now() - interval '5 years') RETURNING id`,
      [parent.user.id, adultId, doc.user.id],
    );
    const list = await request(h.app).get(`/api/patients/${adultId}/proxies`).set(doc.auth).expect(200);
    expect(list.body.grants).toEqual([expect.objectContaining({ id: rows[0]!.id, status: 'aged-out', tier: null })]);
  });
});

describe('acting for a child under 12 (full)', () => {
  it('lists whom the parent may act for, with the areas of each tier', async () => {
    const res = await request(h.app).get('/api/portal/proxies').set(parent.auth).expect(200);
    const subjects = res.body.subjects as Array<{ patientId: string; tier: string; areas: string[] }>;
    expect(subjects.map((s) => [s.patientId, s.tier])).toEqual([
      [parent.user.fhir_patient_id, 'self'],
      [childId, 'full'],
      [teenId, 'limited'],
    ]);
    expect(subjects[2]!.areas).not.toContain('results');
  });

  it("reads the child's record and results, not the parent's own", async () => {
    const record = await request(h.app).get('/api/portal/record').set(actingFor(parent, childId)).expect(200);
    expect(record.body.problems.map((p: { name: string }) => p.name)).toEqual(['Asthma']);
    expect(record.body.hidden).toBeUndefined();
    const own = await request(h.app).get('/api/portal/record').set(parent.auth).expect(200);
    expect(own.body.problems).toEqual([]);
    const results = await request(h.app).get('/api/portal/results').set(actingFor(parent, childId)).expect(200);
    expect(results.body.results).toHaveLength(1);
  });

  it('messages the care team for the child: the message is about the child', async () => {
    const sent = await request(h.app)
      .post('/api/portal/messages')
      .set(actingFor(parent, childId))
      .send({ subject: 'Inhaler at school', text: 'Can the school nurse keep a spare inhaler?' })
      .expect(201);
    const list = await request(h.app).get('/api/portal/requests').set(actingFor(parent, childId)).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(sent.body.id);
    const task = await h.deps.fhir.read('Task', sent.body.id);
    expect(task.for?.reference).toBe(`Patient/${childId}`);
    // Filed by the parent, not by the child: the requester is the parent's RelatedPerson of the child.
    expect(task.requester?.reference).toMatch(/^RelatedPerson\//);
    const rp = await h.deps.fhir.read('RelatedPerson', task.requester!.reference!.split('/')[1]!);
    expect(rp.patient.reference).toBe(`Patient/${childId}`);
    const comm = await h.deps.fhir.read('Communication', task.focus!.reference!.split('/')[1]!);
    expect(comm.sender?.reference).toBe(task.requester?.reference);
  });

  it('audits every read as the proxy, flagged, with the subject as the patient, on a valid hash chain', async () => {
    await h.deps.audit.flush();
    const { rows } = await h.deps.pg.query<AuditRow>(
      `SELECT ${AUDIT_SELECT} FROM audit_log WHERE patient_id = $1 AND action = 'portal.record.read' ORDER BY id`,
      [childId],
    );
    expect(rows).toHaveLength(1);
    const rec = rowToRecord(rows[0]!);
    expect(rec).toMatchObject({
      userId: parent.user.id,
      role: 'patient',
      outcome: 'success',
      details: expect.objectContaining({ proxy: { grantId: childGrantId, relationship: 'parent' } }),
    });
    expect(verifyChain([rec], rec.prevHash).ok).toBe(true);
  });

  it('names the parent in the child\'s "who opened my chart"', async () => {
    const log = await request(h.app).get('/api/portal/access-log').set(childAccount.auth).expect(200);
    expect(log.body.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ who: 'Your parent/guardian Test patient', what: 'Your chart' }),
      ]),
    );
  });
});

describe('acting for a 12–17 year old (limited)', () => {
  it('shows allergies, immunizations and visits but not problems, and says what is hidden', async () => {
    const record = await request(h.app).get('/api/portal/record').set(actingFor(parent, teenId)).expect(200);
    expect(record.body.problems).toEqual([]);
    expect(record.body.hidden).toEqual(['problems', 'medications', 'vitals', 'notes']);
    await request(h.app).get('/api/portal/coverage').set(actingFor(parent, teenId)).expect(200);
    await request(h.app).get('/api/portal/requests').set(actingFor(parent, teenId)).expect(200);
  });

  it("messages for the teenager, and sees only the parent's own messages, never the teenager's", async () => {
    const teenAccount = await createTestUser(h.deps, { role: 'patient', patientId: teenId, name: 'teen' });
    const confidential = await request(h.app)
      .post('/api/portal/messages')
      .set(teenAccount.auth)
      .send({ subject: 'A private question', text: 'Please do not tell my parents.' })
      .expect(201);
    const mine = await request(h.app)
      .post('/api/portal/messages')
      .set(actingFor(parent, teenId))
      .send({ subject: 'Sports physical', text: 'Does she need a form for the school team?' })
      .expect(201);
    const parentView = await request(h.app).get('/api/portal/requests').set(actingFor(parent, teenId)).expect(200);
    const ids = parentView.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(mine.body.id);
    expect(ids).not.toContain(confidential.body.id);
    // The teenager still sees both (their own portal is theirs in full).
    const teenView = await request(h.app).get('/api/portal/requests').set(teenAccount.auth).expect(200);
    expect(teenView.body.items.map((i: { id: string }) => i.id)).toEqual(
      expect.arrayContaining([mine.body.id, confidential.body.id]),
    );
  });

  it.each(['/api/portal/results', '/api/portal/access-log', '/api/portal/download/fhir'])(
    'refuses %s as beyond the tier',
    async (url) => {
      const res = await request(h.app).get(url).set(actingFor(parent, teenId)).expect(403);
      expect(res.body.error ?? res.body).toMatchObject({
        code: 'PROXY_TIER_DENIED',
        message: 'This is not available to a proxy for a 12–17 year old',
      });
    },
  );

  it('refuses a refill request for the teenager', async () => {
    await request(h.app)
      .post('/api/portal/refill-requests')
      .set(actingFor(parent, teenId))
      .send({ medicationRequestId: 'does-not-matter' })
      .expect(403);
  });
});

describe('without an active grant', () => {
  const routes: Array<{ method: 'get' | 'post'; url: string; body?: object }> = [
    { method: 'get', url: '/api/portal/record' },
    { method: 'get', url: '/api/portal/results' },
    { method: 'get', url: '/api/portal/access-log' },
    { method: 'get', url: '/api/portal/download/fhir' },
    { method: 'get', url: '/api/portal/coverage' },
    { method: 'get', url: '/api/portal/requests' },
    { method: 'get', url: '/api/portal/appointments' },
    { method: 'post', url: '/api/portal/messages', body: { subject: 'Hi', text: 'Hello' } },
    { method: 'post', url: '/api/portal/refill-requests', body: { medicationRequestId: 'x1' } },
  ];

  it.each(routes)(
    '$method $url answers 403 the same whether the patient exists or not',
    async ({ method, url, body }) => {
      const call = (id: string) => {
        const req = request(h.app)[method](url).set(actingFor(stranger, id));
        return body ? req.send(body) : req;
      };
      const real = await call(childId).expect(403);
      const ghost = await call('no-such-patient-123').expect(403);
      const said = (b: { error: { code: string; message: string; details?: unknown } }) => [
        b.error.code,
        b.error.message,
        b.error.details,
      ];
      expect(said(real.body)).toEqual(['PROXY_NOT_GRANTED', 'You have no proxy access to this patient', undefined]);
      expect(said(ghost.body)).toEqual(said(real.body));
    },
  );

  it('ignores the id in the query, the body and the path: the answer is the own record or a refusal', async () => {
    const viaQuery = await request(h.app).get(`/api/portal/record?for=${childId}`).set(stranger.auth);
    expect(viaQuery.status === 400 || (viaQuery.status === 200 && viaQuery.body.problems.length === 0)).toBe(true);
    await request(h.app)
      .post('/api/portal/messages')
      .set(stranger.auth)
      .send({ subject: 'Hi', text: 'Hello', patientId: childId })
      .expect(400);
    await request(h.app).get(`/api/patients/${childId}/proxies`).set(stranger.auth).expect(403);
    await request(h.app).get(`/api/patients/${childId}`).set(stranger.auth).expect(403);
  });

  it('refuses an aged-out grant, saying so', async () => {
    const res = await request(h.app).get('/api/portal/record').set(actingFor(parent, adultId)).expect(403);
    expect(JSON.stringify(res.body)).toContain('PROXY_ACCESS_ENDED');
    expect(JSON.stringify(res.body)).toContain('turned 18');
  });

  it('stops a revoked grant at once and audits the refusal as the proxy', async () => {
    await request(h.app).get('/api/portal/record').set(actingFor(parent, childId)).expect(200);
    const revoked = await request(h.app)
      .delete(`/api/patients/${childId}/proxies/${childGrantId}`)
      .set(doc.auth)
      .expect(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', tier: null });
    const res = await request(h.app).get('/api/portal/record').set(actingFor(parent, childId)).expect(403);
    expect(JSON.stringify(res.body)).toContain('revoked');
    const rp = await h.deps.fhir.read('RelatedPerson', revoked.body.relatedPersonId);
    expect(rp.active).toBe(false);
    await h.deps.audit.flush();
    const { rows } = await h.deps.pg.query<{ user_id: string; outcome: string }>(
      `SELECT user_id, outcome FROM audit_log WHERE patient_id = $1 AND action = 'portal.proxy.access' ORDER BY id DESC LIMIT 1`,
      [childId],
    );
    expect(rows[0]).toEqual({ user_id: parent.user.id, outcome: 'denied' });
    const subjects = await request(h.app).get('/api/portal/proxies').set(parent.auth).expect(200);
    expect(subjects.body.subjects.map((s: { patientId: string }) => s.patientId)).not.toContain(childId);
  });
});
