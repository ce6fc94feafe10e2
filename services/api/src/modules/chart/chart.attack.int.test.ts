import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';

/**
 * Attacks on chart writes: another patient's Condition / AllergyIntolerance / Immunization / Observation reached
 * through the URL of a chart the user may write, another patient's Encounter named in a body, and roles that must
 * not write. Nothing may change on the other chart, and the answers must not tell its ids from unknown ones.
 */
jest.setTimeout(60_000);
type App = Awaited<ReturnType<typeof buildTestApp>>;

describe('chart attacks (real HAPI)', () => {
  let t: App;
  let doc: TestUser;
  let A: string;
  let B: string;
  const theirs: Record<string, fhir4.Resource & { id: string }> = {};
  let theirEncounter: string;

  beforeAll(async () => {
    t = await buildTestApp();
    A = await createTestPatient(t.deps, 'Chartattacka');
    B = await createTestPatient(t.deps, 'Chartattackb');
    doc = await createTestUser(t.deps, { role: 'physician', practitionerId: await createTestPractitioner(t.deps) });
    await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      doc.user.id,
      A,
    ]);
    const now = new Date().toISOString();
    const make = async <R extends fhir4.FhirResource>(r: R) => (await t.deps.fhir.create(r)) as R & { id: string };
    theirs.problems = await make<fhir4.Condition>({
      resourceType: 'Condition',
      subject: { reference: `Patient/${B}` },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }],
      },
      verificationStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
      },
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] },
      ],
      code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }] },
      onsetDateTime: '2020-01-01',
    });
    theirs.allergies = await make<fhir4.AllergyIntolerance>({
      resourceType: 'AllergyIntolerance',
      patient: { reference: `Patient/${B}` },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }],
      },
      code: {
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7980', display: 'Penicillin G' }],
      },
    });
    theirs.immunizations = await make<fhir4.Immunization>({
      resourceType: 'Immunization',
      status: 'completed',
      patient: { reference: `Patient/${B}` },
      vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '140' }] },
      occurrenceDateTime: now,
    });
    theirs['social-history'] = await make<fhir4.Observation>({
      resourceType: 'Observation',
      status: 'final',
      subject: { reference: `Patient/${B}` },
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'social-history' }] },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '72166-2' }] },
      effectiveDateTime: now,
    });
    theirs.vitals = await make<fhir4.Observation>({
      resourceType: 'Observation',
      status: 'final',
      subject: { reference: `Patient/${B}` },
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      valueQuantity: { value: 70, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
      effectiveDateTime: now,
    });
    theirEncounter = (
      await make<fhir4.Encounter>({
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: `Patient/${B}` },
      })
    ).id;
  });
  afterAll(async () => t.close());

  const version = async (type: string, id: string) => (await t.deps.fhir.read(type as 'Condition', id)).meta?.versionId;
  const writes = (segment: string, id: string): Array<[string, string, object]> => [
    ['put', `/api/patients/${A}/${segment}/${id}`, segment === 'problems' ? { note: 'x' } : { note: 'taken over' }],
    ['post', `/api/patients/${A}/${segment}/${id}/entered-in-error`, { reason: 'not this patient' }],
    ...(segment === 'problems'
      ? ([
          ['post', `/api/patients/${A}/problems/${id}/reactivate`, {}],
          ['post', `/api/patients/${A}/problems/${id}/resolve`, {}],
        ] as Array<[string, string, object]>)
      : []),
  ];

  it.each(['problems', 'allergies', 'immunizations', 'social-history', 'vitals'])(
    "%s: another patient's item through my patient's URL answers like an unknown id and stays unchanged",
    async (segment) => {
      const target = theirs[segment]!;
      const before = await version(target.resourceType, target.id);
      for (const [method, url, body] of writes(segment, target.id)) {
        for (const ifMatch of [`W/"${before}"`, 'W/"999"']) {
          const res = await (method === 'put' ? request(t.app).put(url) : request(t.app).post(url))
            .set(doc.auth)
            .set('If-Match', ifMatch)
            .send(body);
          const unknown = await (
            method === 'put'
              ? request(t.app).put(url.replace(target.id, `nope${target.id.slice(4)}`))
              : request(t.app).post(url.replace(target.id, `nope${target.id.slice(4)}`))
          )
            .set(doc.auth)
            .set('If-Match', ifMatch)
            .send(body);
          // Routes that do not exist for this segment answer 404 for both, which is fine too.
          expect([url, ifMatch, res.status]).toEqual([url, ifMatch, unknown.status]);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        }
      }
      expect(await version(target.resourceType, target.id)).toBe(before);
    },
  );

  it("refuses vitals on my patient linked to another patient's encounter (400), or to none (HAPI's 422)", async () => {
    const vital = { kind: 'heart-rate', value: 72, unit: '/min' };
    for (const [encounterId, status] of [
      [theirEncounter, 400],
      ['no-such-encounter-1', 422],
    ] as const) {
      const one = await request(t.app)
        .post(`/api/patients/${A}/vitals`)
        .set(doc.auth)
        .send({ ...vital, encounterId });
      expect([encounterId, one.status]).toEqual([encounterId, status]);
      const set = await request(t.app)
        .post(`/api/patients/${A}/vitals/sets`)
        .set(doc.auth)
        .send({ encounterId, measurements: [{ kind: 'heart-rate', value: 72, unit: '/min' }] });
      expect([encounterId, set.status]).toEqual([encounterId, status]);
    }
    const linked = await t.deps.fhir.searchResources('Observation', { encounter: `Encounter/${theirEncounter}` });
    expect(linked.filter((o) => o.subject?.reference === `Patient/${A}`)).toHaveLength(0);
  });

  it('refuses chart writes by a patient, an admin without break-glass and a lab technician', async () => {
    const admin = await createTestUser(t.deps, { role: 'admin' });
    const self = await createTestUser(t.deps, { role: 'patient', patientId: A });
    const lab = await createTestUser(t.deps, {
      role: 'lab_technician',
      practitionerId: await createTestPractitioner(t.deps),
    });
    for (const who of [admin, self, lab]) {
      const res = await request(t.app).post(`/api/patients/${A}/allergies/no-known-allergies`).set(who.auth).send({});
      expect([who.user.role, res.status]).toEqual([who.user.role, 403]);
    }
  });

  it('answers malformed ids, huge and mistyped bodies with 4xx, never 500', async () => {
    const cases: Array<[string, string, string | object, string?]> = [
      ['put', `/api/patients/${A}/problems/${'x'.repeat(100)}`, { note: 'x' }],
      ['post', `/api/patients/${A}/problems/..%2F..%2FPatient%2F${B}/resolve`, {}],
      ['post', `/api/patients/${A}/vitals`, 'kind=heart-rate', 'application/x-www-form-urlencoded'],
      ['post', `/api/patients/${A}/vitals`, '{"kind": "heart-rate",', 'application/json'],
      [
        'post',
        `/api/patients/${A}/vitals/sets`,
        { measurements: Array.from({ length: 5000 }, () => ({ kind: 'bmi' })) },
      ],
      ['post', `/api/patients/${A}/social-history`, { note: 'y'.repeat(3 * 1024 * 1024) }],
    ];
    for (const [method, url, body, type] of cases) {
      let req = method === 'put' ? request(t.app).put(url) : request(t.app).post(url);
      req = req.set(doc.auth).set('If-Match', 'W/"1"');
      if (type) req = req.set('content-type', type);
      const res = await req.send(body as object);
      expect([url.slice(0, 80), res.status >= 400 && res.status < 500]).toEqual([url.slice(0, 80), true]);
    }
  });
});
