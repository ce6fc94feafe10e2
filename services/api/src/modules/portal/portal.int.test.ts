import request from 'supertest';
import { issueSmartAccessToken } from '../../core/auth/smart-token';
import { createTestUser, type TestUser } from '../../test-support/users';
import { buildTestApp } from '../../test-support/app-harness';
import { auditRows, clinician, newPatient, type Harness } from '../medications/clinical.test-util';

/**
 * The portal against the real HAPI and PostgreSQL: own compartment only whatever ids the request carries, staff
 * refused, results released on final with audited holds, and the access log built from the audit trail.
 */
jest.setTimeout(120_000);

const LOINC = 'http://loinc.org';
const K = { system: LOINC, code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma' };
const GLUCOSE = { system: LOINC, code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' };

let h: Harness;

async function report(
  patientId: string,
  status: fhir4.DiagnosticReport['status'],
  day: string,
  code: fhir4.Coding,
  value: number,
  unit: string,
  range?: { low: number; high: number },
): Promise<string> {
  const subject = { reference: `Patient/${patientId}` };
  const obs = await h.deps.fhir.create<fhir4.Observation>({
    resourceType: 'Observation',
    status: status === 'preliminary' ? 'preliminary' : 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] },
    ],
    code: { coding: [code] },
    subject,
    effectiveDateTime: `${day}T08:00:00Z`,
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    ...(range ? { referenceRange: [{ low: { value: range.low }, high: { value: range.high } }] } : {}),
  });
  const r = await h.deps.fhir.create<fhir4.DiagnosticReport>({
    resourceType: 'DiagnosticReport',
    status,
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
    code: { coding: [code], text: code.display },
    subject,
    effectiveDateTime: `${day}T08:00:00Z`,
    result: [{ reference: `Observation/${obs.id}` }],
  });
  return r.id!;
}

interface Side {
  patientId: string;
  portal: TestUser;
  reports: { older: string; latest: string; held: string; prelim: string };
}

async function side(): Promise<Side> {
  const patientId = await newPatient(h);
  const portal = await createTestUser(h.deps, { role: 'patient', patientId });
  const range = { low: 3.5, high: 5.1 };
  const reports = {
    older: await report(patientId, 'final', '2026-10-01', K, 4.4, 'mmol/L', range),
    latest: await report(patientId, 'final', '2026-11-01', K, 5.9, 'mmol/L', range),
    held: await report(patientId, 'final', '2026-11-20', K, 6.3, 'mmol/L', range),
    prelim: await report(patientId, 'preliminary', '2026-11-21', GLUCOSE, 180, 'mg/dL'),
  };
  return { patientId, portal, reports };
}

let a: Side;
let b: Side;
let doc: Awaited<ReturnType<typeof clinician>>;
let stranger: Awaited<ReturnType<typeof clinician>>;

beforeAll(async () => {
  h = await buildTestApp();
  [a, b] = await Promise.all([side(), side()]);
  doc = await clinician(h, 'physician', [a.patientId, b.patientId]);
  stranger = await clinician(h, 'physician');
  const subject = { reference: `Patient/${a.patientId}` };
  await h.deps.fhir.create<fhir4.Condition>({
    resourceType: 'Condition',
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    code: { text: 'Essential hypertension' },
    subject,
  });
  await h.deps.fhir.create<fhir4.Encounter>({
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ text: 'Office visit' }],
    subject,
    period: { start: '2026-11-01T09:00:00Z', end: '2026-11-01T09:30:00Z' },
  });
  for (const [docStatus, text] of [
    ['final', 'Signed visit note'],
    ['preliminary', 'Draft not for the patient'],
  ] as const)
    await h.deps.fhir.create<fhir4.DocumentReference>({
      resourceType: 'DocumentReference',
      status: 'current',
      docStatus,
      type: { text: 'Progress note' },
      subject,
      date: '2026-11-01T10:00:00Z',
      description: text,
      content: [
        { attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from(text).toString('base64') } },
      ],
    });
});
afterAll(() => h.close());

const results = async (who: TestUser, url = '/api/portal/results') =>
  (await request(h.app).get(url).set(who.auth).expect(200)).body.results as Array<{
    reportId: string;
    values: Array<{ rangeText: string | null; position: string; trend: Array<{ value: number }> }>;
  }>;

test('a held result is invisible until released; a preliminary one never shows', async () => {
  await request(h.app)
    .post(`/api/results/${a.reports.held}/hold`)
    .set(stranger.auth)
    .send({ exception: 'preventing-harm', note: 'Discuss in person first' })
    .expect(403);
  await request(h.app)
    .post(`/api/results/${a.reports.held}/hold`)
    .set(doc.auth)
    .send({ exception: 'not-an-exception', note: 'x' })
    .expect(400);
  const held = await request(h.app)
    .post(`/api/results/${a.reports.held}/hold`)
    .set(doc.auth)
    .send({ exception: 'preventing-harm', note: 'Discuss in person first' })
    .expect(201);
  expect(held.body).toMatchObject({ reportId: a.reports.held, patientId: a.patientId, exception: 'preventing-harm' });
  await request(h.app)
    .post(`/api/results/${a.reports.held}/hold`)
    .set(doc.auth)
    .send({ exception: 'privacy', note: 'again' })
    .expect(409);

  let mine = await results(a.portal);
  expect(mine.map((r) => r.reportId)).toEqual([a.reports.latest, a.reports.older]);
  const latest = mine[0]!.values[0]!;
  expect(latest.rangeText).toBe('Normal range 3.5 to 5.1 mmol/L — yours is above it');
  expect(latest.position).toBe('above');
  // The trend is built from released values only: the held 6.3 is not in it.
  expect(latest.trend.map((p) => p.value)).toEqual([4.4, 5.9]);

  const bundle = await request(h.app).get('/api/portal/download/fhir').set(a.portal.auth).expect(200);
  expect(bundle.headers['content-type']).toMatch(/^application\/fhir\+json/);
  const ids = (bundle.body.entry as Array<{ resource: fhir4.FhirResource }>).map((e) => e.resource.id);
  expect(ids).toEqual(expect.arrayContaining([a.patientId, a.reports.latest, a.reports.older]));
  expect(ids).not.toContain(a.reports.held);
  expect(ids).not.toContain(a.reports.prelim);

  // The clinical routes give the patient's own token no more than the portal does.
  const clinical = await request(h.app).get(`/api/patients/${a.patientId}/results`).set(a.portal.auth).expect(200);
  expect(clinical.body.results.map((r: { report: { id: string } }) => r.report.id).sort()).toEqual(
    [a.reports.latest, a.reports.older].sort(),
  );
  const sheet = await request(h.app).get(`/api/patients/${a.patientId}/flowsheet`).set(a.portal.auth).expect(200);
  const values = sheet.body.rows.flatMap((r: { points: Array<{ value: number }> }) => r.points.map((p) => p.value));
  expect(values.sort()).toEqual([4.4, 5.9]);
  const trend = await request(h.app)
    .get(`/api/patients/${a.patientId}/results/trend?code=2823-3`)
    .set(a.portal.auth)
    .expect(200);
  expect(trend.body.dataPoints.map((p: { value: number }) => p.value)).toEqual([4.4, 5.9]);
  const everything = await request(h.app)
    .get(`/api/patients/${a.patientId}/$everything`)
    .set(a.portal.auth)
    .expect(200);
  const everyIds = (everything.body.entry as Array<{ resource: fhir4.FhirResource }>).map((e) => e.resource.id);
  expect(everyIds).toEqual(expect.arrayContaining([a.reports.latest, a.reports.older]));
  expect(everyIds).not.toContain(a.reports.held);
  expect(everyIds).not.toContain(a.reports.prelim);
  expect(
    (everything.body.entry as Array<{ resource: fhir4.FhirResource }>).some(
      (e) => e.resource.resourceType === 'AuditEvent',
    ),
  ).toBe(false);
  // So does the FHIR gate, for a SMART patient app acting for her: a read of the held report is a plain 404.
  const smart = (
    await issueSmartAccessToken(
      h.deps.tokens,
      h.deps.config.publicBaseUrl,
      {
        kind: 'user',
        clientId: 'portal-test-app',
        userId: a.portal.user.id,
        role: 'patient',
        fhirUser: `Patient/${a.patientId}`,
        patientId: a.patientId,
        scopes: ['launch/patient', 'patient/*.rs'],
      },
      600,
    )
  ).token;
  const fhir = (path: string) => request(h.app).get(`/fhir/${path}`).set('Authorization', `Bearer ${smart}`);
  await fhir(`DiagnosticReport/${a.reports.held}`).expect(404);
  await fhir(`DiagnosticReport/${a.reports.prelim}`).expect(404);
  await fhir(`DiagnosticReport/${a.reports.latest}`).expect(200);
  const reportIds = ((await fhir(`DiagnosticReport?patient=${a.patientId}`).expect(200)).body.entry ?? []).map(
    (e: { resource: fhir4.DiagnosticReport }) => e.resource.id,
  );
  expect(reportIds.sort()).toEqual([a.reports.latest, a.reports.older].sort());
  const obsValues = ((await fhir(`Observation?patient=${a.patientId}`).expect(200)).body.entry ?? []).map(
    (e: { resource: fhir4.Observation }) => e.resource.valueQuantity?.value,
  );
  expect(obsValues.sort()).toEqual([4.4, 5.9]);
  // The clinician still sees everything, held or not.
  const staff = await request(h.app).get(`/api/patients/${a.patientId}/results`).set(doc.auth).expect(200);
  expect(staff.body.results).toHaveLength(4);

  await request(h.app).delete(`/api/results/${a.reports.held}/hold`).set(doc.auth).expect(204);
  await request(h.app).delete(`/api/results/${a.reports.held}/hold`).set(doc.auth).expect(404);
  mine = await results(a.portal);
  expect(mine.map((r) => r.reportId)).toEqual([a.reports.held, a.reports.latest, a.reports.older]);
  expect(mine[0]!.values[0]!.trend.map((p) => p.value)).toEqual([4.4, 5.9, 6.3]);

  const audit = await auditRows(h, { action: 'result.hold', resourceId: a.reports.held });
  expect(audit.map((r) => [r.outcome, r.details.exception])).toEqual([
    ['denied', undefined],
    ['success', 'preventing-harm'],
    ['failure', 'privacy'],
  ]);
  expect(JSON.stringify(audit)).not.toContain('Discuss in person');
  expect(await auditRows(h, { action: 'result.hold.release', resourceId: a.reports.held })).toHaveLength(2);
});

test('a patient token never gets another patient’s data, whatever ids the request carries', async () => {
  const theirs = Object.values(b.reports);
  for (const url of [
    `/api/portal/results?patient=${b.patientId}`,
    `/api/portal/results?subject=Patient/${b.patientId}`,
    `/api/portal/record?patientId=${b.patientId}`,
    `/api/portal/access-log?patient=${b.patientId}`,
    `/api/portal/download/fhir?patient=${b.patientId}`,
  ]) {
    const res = await request(h.app).get(url).set(a.portal.auth);
    // Either refused as an unknown parameter or answered with the caller's own record; never B's.
    expect([200, 400]).toContain(res.status);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(b.patientId);
    for (const id of theirs) expect(text).not.toContain(id);
  }
  await request(h.app).get(`/api/portal/record/${b.patientId}`).set(a.portal.auth).expect(404);
  await request(h.app)
    .post('/api/portal/messages')
    .set(a.portal.auth)
    .send({ subject: 'Hi', text: 'x', patientId: b.patientId })
    .expect(400);
  await request(h.app)
    .post(`/api/results/${b.reports.latest}/hold`)
    .set(a.portal.auth)
    .send({ exception: 'privacy', note: 'mine now' })
    .expect(403);
  const record = await request(h.app).get('/api/portal/record').set(a.portal.auth).expect(200);
  expect(record.body.problems.map((p: { name: string }) => p.name)).toEqual(['Essential hypertension']);
  expect(record.body.visits.map((v: { type: string }) => v.type)).toEqual(['Office visit']);
  expect(record.body.notes.map((n: { title: string; text: string }) => [n.title, n.text])).toEqual([
    ['Signed visit note', 'Signed visit note'],
  ]);
  expect(record.body.allergies).toEqual({ state: 'not-recorded', items: [] });
  expect((await auditRows(h, { action: 'portal.record.read', patientId: a.patientId })).length).toBeGreaterThan(0);
  expect(await auditRows(h, { action: 'portal.record.read', patientId: b.patientId })).toEqual([]);
});

test('staff get 403 on every portal route', async () => {
  for (const url of [
    '/api/portal/record',
    '/api/portal/results',
    '/api/portal/access-log',
    '/api/portal/download/fhir',
  ])
    await request(h.app).get(url).set(doc.auth).expect(403);
});

test('the access log lists a clinician’s read of the chart, not the patient’s own actions', async () => {
  await request(h.app).get(`/api/patients/${a.patientId}`).set(doc.auth).expect(200);
  await request(h.app).get('/api/portal/record').set(a.portal.auth).expect(200);
  await h.deps.audit.flush();
  const first = await request(h.app).get('/api/portal/access-log?limit=1').set(a.portal.auth).expect(200);
  expect(first.body.entries).toEqual([
    { at: expect.any(String), who: 'Test physician', role: 'Physician', kind: 'read', what: 'Your chart' },
  ]);
  expect(first.body.nextCursor).toMatch(/^\d+$/);
  const all = await request(h.app).get('/api/portal/access-log?limit=100').set(a.portal.auth).expect(200);
  const kinds = new Set(all.body.entries.map((e: { kind: string }) => e.kind));
  expect(kinds).toEqual(new Set(['read', 'write']));
  expect(JSON.stringify(all.body)).not.toContain(doc.user.id);
  expect(all.body.entries.some((e: { role: string }) => e.role === 'Patient')).toBe(false);
  const next = await request(h.app)
    .get(`/api/portal/access-log?limit=1&cursor=${first.body.nextCursor}`)
    .set(a.portal.auth)
    .expect(200);
  expect(next.body.entries[0].at <= first.body.entries[0].at).toBe(true);
  await request(h.app).get('/api/portal/access-log?cursor=abc').set(a.portal.auth).expect(400);
  // B's log knows nothing of A's visitors.
  const other = await request(h.app).get('/api/portal/access-log?limit=100').set(b.portal.auth).expect(200);
  expect(other.body.entries.every((e: { what: string }) => e.what !== 'Your chart')).toBe(true);
  expect((await auditRows(h, { action: 'portal.access-log.read', patientId: a.patientId })).length).toBeGreaterThan(0);
});

test('the International Patient Summary (HAPI $summary) leaves out held and preliminary results, in entries and narrative', async () => {
  const c = await side();
  const cDoc = await clinician(h, 'physician', [c.patientId]);
  await request(h.app)
    .post(`/api/results/${c.reports.held}/hold`)
    .set(cDoc.auth)
    .send({ exception: 'preventing-harm', note: 'Discuss in person first' })
    .expect(201);
  // The chart lists the holds in force (with the exception) for the clinicians who place them; never the patient.
  const holds = await request(h.app).get(`/api/patients/${c.patientId}/result-holds`).set(cDoc.auth).expect(200);
  expect(holds.body.holds).toEqual([
    expect.objectContaining({ reportId: c.reports.held, exception: 'preventing-harm', patientId: c.patientId }),
  ]);
  await request(h.app).get(`/api/patients/${c.patientId}/result-holds`).set(c.portal.auth).expect(403);
  const res = await request(h.app).get('/api/portal/download/ips').set(c.portal.auth).expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?my-patient-summary\.json"?$/);
  const doc = res.body as fhir4.Bundle;
  expect(doc.type).toBe('document');
  const composition = doc.entry?.[0]?.resource as fhir4.Composition;
  expect(composition.resourceType).toBe('Composition');
  const ids = (doc.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);
  expect(ids).toContain(`DiagnosticReport/${c.reports.latest}`);
  expect(ids).not.toContain(`DiagnosticReport/${c.reports.held}`);
  expect(ids).not.toContain(`DiagnosticReport/${c.reports.prelim}`);
  const values = (doc.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is fhir4.Observation => r?.resourceType === 'Observation')
    .map((o) => o.valueQuantity?.value);
  expect(values).not.toContain(6.3);
  expect(values).not.toContain(180);
  // The generated narratives carry values too: neither withheld value may be in any section text.
  const narrative = (composition.section ?? []).map((s) => s.text?.div ?? '').join('\n');
  expect(narrative).toContain('5.9');
  expect(narrative).not.toMatch(/\b6\.3\b/);
  expect(narrative).not.toMatch(/\b180\b/);
  expect(await auditRows(h, { action: 'portal.download.ips', patientId: c.patientId })).toHaveLength(1);
  // Staff have the chart; the portal's summary is the patient's.
  await request(h.app).get('/api/portal/download/ips').set(cDoc.auth).expect(403);
});
