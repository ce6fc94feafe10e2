import { randomUUID } from 'node:crypto';
import { IMAGING_PRIORITIES, ImagingWorklist, type ImagingWorklistItem } from '@wintehr/contracts';
import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';
import { mrnOf } from './imaging.service';
import { OrthancClient } from './orthanc-client';
import { chestXrayStudy, derivedUid } from './synthetic-dicom';

type Harness = Awaited<ReturnType<typeof buildTestApp>>;

/**
 * The reading worklist against the real HAPI and Orthanc. HAPI is shared with other runs: every assertion is about
 * this file's own patients and studies (found by id), never about totals.
 */
describe('the radiology worklist against the real Orthanc and HAPI', () => {
  let h: Harness;
  let orthanc: OrthancClient;
  let patientId: string;
  let noImagingPatientId: string;
  let orderOnlyPatientId: string;
  let mrn: string;
  let orderId: string;
  let uid: string;
  let studyId: string;
  let physician: TestUser;
  let radiologist: TestUser;
  let portalUser: TestUser;
  const studiesToRemove: string[] = [];

  const worklist = (who: TestUser, status?: string) => {
    const req = request(h.app).get('/api/imaging/worklist').set(who.auth);
    return status === undefined ? req : req.query({ status });
  };
  const mine = (body: ImagingWorklist): ImagingWorklistItem | undefined => body.items.find((i) => i.studyUid === uid);
  const imagingOrder = (subject: string, priority: fhir4.ServiceRequest['priority'], requester: string) =>
    h.deps.fhir.create<fhir4.ServiceRequest>({
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      priority,
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '363679005', display: 'Imaging' }] }],
      code: { text: 'XR chest 2 views' },
      subject: { reference: `Patient/${subject}` },
      requester: { reference: `Practitioner/${requester}` },
    });

  beforeAll(async () => {
    h = await buildTestApp();
    orthanc = new OrthancClient(h.deps.config.imaging);
    patientId = await createTestPatient(h.deps, 'Worklistpatient');
    noImagingPatientId = await createTestPatient(h.deps, 'Noimaging');
    orderOnlyPatientId = await createTestPatient(h.deps, 'Orderonly');
    mrn = mrnOf(await h.deps.fhir.read('Patient', patientId))!;
    const orderer = await createTestPractitioner(h.deps);
    physician = await createTestUser(h.deps, { role: 'physician', practitionerId: orderer });
    // No assignment, care team, encounter or appointment: only the worklist relates this radiologist to patients.
    radiologist = await createTestUser(h.deps, {
      role: 'radiologist',
      practitionerId: await createTestPractitioner(h.deps),
    });
    portalUser = await createTestUser(h.deps, { role: 'patient', patientId });
    await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      physician.user.id,
      patientId,
    ]);
    orderId = (await imagingOrder(patientId, 'stat', orderer)).id!;
    await imagingOrder(orderOnlyPatientId, 'routine', orderer);

    const seed = `wl-${randomUUID()}`;
    uid = derivedUid(seed, 'study');
    studiesToRemove.push(uid);
    let upload = request(h.app)
      .post(`/api/patients/${patientId}/imaging/studies`)
      .set(physician.auth)
      .field('serviceRequestId', orderId);
    chestXrayStudy({ seed, patient: { id: mrn, name: 'Test^Worklistpatient' } }, 32).forEach((f, i) => {
      upload = upload.attach('files', f, `view-${i + 1}.dcm`);
    });
    studyId = (await upload.expect(201)).body.imagingStudy.id;
  });

  afterAll(async () => {
    for (const u of studiesToRemove) {
      const id = await orthanc.findStudy(u).catch(() => undefined);
      if (id) await orthanc.deleteStudy(id).catch(() => undefined);
    }
    await orthanc.close();
    await h.close();
  });

  it('shows a radiologist with no other relationship the unreported study, with its patient and order', async () => {
    const res = await worklist(radiologist).expect(200);
    expect(res.body.status).toBe('unreported');
    expect(mine(res.body)).toMatchObject({
      id: studyId,
      patient: { id: patientId, name: 'Test Worklistpatient', birthDate: '1980-05-17', mrn },
      priority: 'stat',
      order: { id: orderId, code: 'XR chest 2 views', priority: 'stat', requester: 'Pat Tester' },
      numberOfInstances: 2,
      report: { state: 'none' },
    });
    const ranks = (res.body as ImagingWorklist).items.map((i) => IMAGING_PRIORITIES.indexOf(i.priority));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('opens that chart for the radiologist on the imaging-worklist basis, and no chart without imaging', async () => {
    const list = await request(h.app).get(`/api/patients/${patientId}/imaging/studies`).set(radiologist.auth);
    expect(list.status).toBe(200);
    expect(list.body.studies.map((s: { studyUid: string }) => s.studyUid)).toContain(uid);
    const principal = {
      userId: radiologist.user.id,
      username: radiologist.user.username,
      role: radiologist.user.role,
      practitionerId: radiologist.user.fhir_practitioner_id ?? undefined,
      tokenId: 'x',
      tokenExpiresAt: 0,
    } as const;
    expect(await h.deps.access.check(principal, patientId)).toEqual({ allowed: true, basis: 'imaging-worklist' });
    // An active imaging order alone is enough: the study it asks for may not be filed yet.
    expect(await h.deps.access.check(principal, orderOnlyPatientId)).toEqual({
      allowed: true,
      basis: 'imaging-worklist',
    });
    const denied = await request(h.app)
      .get(`/api/patients/${noImagingPatientId}/imaging/studies`)
      .set(radiologist.auth)
      .expect(403);
    expect(denied.body.error.code).toBe('PATIENT_ACCESS_DENIED');
    // The basis is the radiologist's: a physician with no relationship is not let in by the same study.
    const stranger = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });
    await request(h.app).get(`/api/patients/${patientId}/imaging/studies`).set(stranger.auth).expect(403);
  });

  it('moves the study out of unreported once its report is signed final, and keeps it under all', async () => {
    const before = await worklist(radiologist, 'unreported').expect(200);
    expect(mine(before.body)).toBeDefined();
    const created = await request(h.app)
      .post(`/api/patients/${patientId}/imaging/studies/${uid}/reports`)
      .set(radiologist.auth)
      .send({ conclusion: 'No acute cardiopulmonary abnormality.' })
      .expect(201);
    const reportId = created.body.report.id as string;
    const preliminary = await worklist(radiologist).expect(200);
    expect(mine(preliminary.body)?.report).toMatchObject({ state: 'preliminary', id: reportId });

    await request(h.app).post(`/api/imaging/reports/${reportId}/sign`).set(radiologist.auth).expect(200);
    const after = await worklist(radiologist, 'unreported').expect(200);
    expect(mine(after.body)).toBeUndefined();
    const all = await worklist(radiologist, 'all').expect(200);
    expect(all.body.status).toBe('all');
    expect(mine(all.body)).toMatchObject({
      id: studyId,
      report: { state: 'final', id: reportId, interpreter: radiologist.user.username },
    });
  });

  it('refuses physicians and patients, and answers a bad status with 400 in the house error shape', async () => {
    const doc = await worklist(physician).expect(403);
    expect(doc.body.error.code).toBe('INSUFFICIENT_PERMISSIONS');
    await worklist(portalUser).expect(403);
    await request(h.app).get('/api/imaging/worklist').expect(401);
    const bad = await worklist(radiologist, 'final').expect(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.any(String) });
    expect(JSON.stringify(bad.body.error.details)).toContain('status');
    await request(h.app)
      .get('/api/imaging/worklist')
      .query({ status: 'all', extra: '1' })
      .set(radiologist.auth)
      .expect(400);
  });

  it('audits each read as a disclosure of the patients shown, ids only', async () => {
    await worklist(radiologist, 'all').expect(200);
    await h.deps.audit.flush();
    const audit = await h.deps.pg.query<{ outcome: string; purpose_of_use: string; details: { studies: string[] } }>(
      "SELECT outcome, purpose_of_use, details FROM audit_log WHERE action = 'imaging.worklist.view' AND user_id = $1 AND patient_id = $2",
      [radiologist.user.id, patientId],
    );
    expect(audit.rows.length).toBeGreaterThan(0);
    expect(audit.rows[0]).toMatchObject({ outcome: 'success', purpose_of_use: 'TREAT' });
    expect(audit.rows.some((r) => r.details.studies.includes(studyId))).toBe(true);
    expect(JSON.stringify(audit.rows)).not.toContain('Worklistpatient');
  });
});
