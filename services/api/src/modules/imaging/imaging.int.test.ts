import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';
import { readDicomPart10 } from './dicom-file';
import { studyUidToken } from './imaging-study';
import { mrnOf } from './imaging.service';
import { OrthancClient } from './orthanc-client';
import { chestXrayStudy, ctPhantomStudy, derivedUid } from './synthetic-dicom';

type Harness = Awaited<ReturnType<typeof buildTestApp>>;

describe('imaging against the real Orthanc and HAPI', () => {
  let h: Harness;
  let orthanc: OrthancClient;
  let patientId: string;
  let otherPatientId: string;
  let mrn: string;
  let physician: TestUser;
  let radiologist: TestUser;
  let stranger: TestUser;
  let otherPatientUser: TestUser;
  const studiesToRemove: string[] = [];

  const assign = (u: TestUser, p: string) =>
    h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      u.user.id,
      p,
    ]);
  const seed = () => `int-${randomUUID()}`;
  const ct = (s: string, slices = 4, id = mrn) => {
    studiesToRemove.push(derivedUid(s, 'study'));
    return ctPhantomStudy({ seed: s, patient: { id, name: 'Test^Patient' } }, slices, 32);
  };
  const upload = (files: Buffer[], fields: Record<string, string> = {}, who = physician, names?: string[]) => {
    let req = request(h.app).post(`/api/patients/${patientId}/imaging/studies`).set(who.auth);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    files.forEach((f, i) => {
      req = req.attach('files', f, names?.[i] ?? `slice-${i + 1}.dcm`);
    });
    return req;
  };

  beforeAll(async () => {
    h = await buildTestApp();
    orthanc = new OrthancClient(h.deps.config.imaging);
    patientId = await createTestPatient(h.deps, 'Imagingpatient');
    otherPatientId = await createTestPatient(h.deps, 'Otherimaging');
    mrn = mrnOf(await h.deps.fhir.read('Patient', patientId))!;
    physician = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });
    radiologist = await createTestUser(h.deps, {
      role: 'radiologist',
      practitionerId: await createTestPractitioner(h.deps),
    });
    stranger = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });
    otherPatientUser = await createTestUser(h.deps, { role: 'patient', patientId: otherPatientId });
    await assign(physician, patientId);
    await assign(radiologist, patientId);
  });

  afterAll(async () => {
    for (const uid of studiesToRemove) {
      const id = await orthanc.findStudy(uid).catch(() => undefined);
      if (id) await orthanc.deleteStudy(id).catch(() => undefined);
    }
    await orthanc.close();
    await h.close();
  });

  it('stores an uploaded CT in Orthanc and files an ImagingStudy linked to the order and the DICOMweb endpoint', async () => {
    const order = await h.deps.fhir.create<fhir4.ServiceRequest>({
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${patientId}` },
      code: { text: 'CT chest' },
    });
    const s = seed();
    const files = ct(s, 5);
    const res = await upload(files, { serviceRequestId: order.id! }).expect(201);
    expect(res.body).toMatchObject({ stored: 5, alreadyStored: 0, relabelled: false });
    const uid = derivedUid(s, 'study');
    const [study] = await h.deps.fhir.searchResources('ImagingStudy', { identifier: studyUidToken(uid) });
    expect(study).toMatchObject({
      subject: { reference: `Patient/${patientId}` },
      numberOfSeries: 1,
      numberOfInstances: 5,
      basedOn: [{ reference: `ServiceRequest/${order.id}` }],
      modality: [{ code: 'CT' }],
    });
    const endpoint = await h.deps.fhir.read('Endpoint', study!.endpoint![0]!.reference!.split('/')[1]!);
    expect(endpoint.address).toMatch(/\/dicomweb$/);
    const orthancId = await orthanc.findStudy(uid);
    expect(orthancId).toBeDefined();
    expect(await orthanc.studyInstanceCount(orthancId!)).toBe(5);

    const list = await request(h.app).get(`/api/patients/${patientId}/imaging/studies`).set(physician.auth).expect(200);
    expect(list.body.studies.map((x: { studyUid: string }) => x.studyUid)).toContain(uid);
  });

  it('refuses a bad file with 400 naming it, and stores nothing', async () => {
    const s = seed();
    const files = [...ct(s, 3), Buffer.from('this is a radiology PDF, not DICOM')];
    const res = await upload(files, {}, physician, ['a.dcm', 'b.dcm', 'c.dcm', 'report.pdf']).expect(400);
    expect(res.body.error.details).toEqual([{ file: 'report.pdf', message: expect.stringMatching(/DICOM/) }]);
    expect(await orthanc.findStudy(derivedUid(s, 'study'))).toBeUndefined();
  });

  it('answers 409 when the files name another patient, and re-labels them when asked', async () => {
    const s = seed();
    const files = ct(s, 2, 'SOMEONE-ELSE');
    const res = await upload(files).expect(409);
    expect(res.body.error.code).toBe('IMAGING_PATIENT_MISMATCH');
    expect(await orthanc.findStudy(derivedUid(s, 'study'))).toBeUndefined();

    const ok = await upload(files, { relabel: 'true' }).expect(201);
    expect(ok.body.relabelled).toBe(true);
    const zip = await request(h.app)
      .get(`/api/patients/${patientId}/imaging/studies/${derivedUid(s, 'study')}/export`)
      .set(physician.auth)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    const body = zip.body as Buffer;
    expect(body.readUInt32LE(0)).toBe(0x04034b50);
    // The export is a zip of the stored files: uploading it again finds every instance already stored.
    const again = await upload([body], {}, physician, ['study.zip']).expect(201);
    expect(again.body).toMatchObject({ stored: 0, alreadyStored: 2 });
  });

  it('leaves nothing in Orthanc when the HAPI write fails', async () => {
    const s = seed();
    const spy = jest.spyOn(h.deps.fhir, 'create').mockImplementation(async (r) => {
      if (r.resourceType === 'ImagingStudy') throw new Error('HAPI refused the write');
      return r;
    });
    try {
      const res = await upload(ct(s, 3));
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      spy.mockRestore();
    }
    expect(await orthanc.findStudy(derivedUid(s, 'study'))).toBeUndefined();
  });

  describe('DICOMweb through the façade', () => {
    const s = `int-dw-${randomUUID()}`;
    const uid = derivedUid(s, 'study');
    let seriesUid: string;
    let sopUid: string;
    beforeAll(async () => {
      const files = ct(s, 3);
      await upload(files).expect(201);
      const first = readDicomPart10('x', files[0]!);
      seriesUid = first.seriesUid;
      sopUid = first.sopInstanceUid;
    });

    it('serves QIDO, metadata and frames to a user with access', async () => {
      const qido = await request(h.app)
        .get('/dicomweb/studies')
        .query({ PatientID: mrn })
        .set(physician.auth)
        .expect(200);
      expect(JSON.stringify(qido.body)).toContain(uid);
      const meta = await request(h.app).get(`/dicomweb/studies/${uid}/metadata`).set(physician.auth).expect(200);
      expect(meta.body).toHaveLength(3);
      expect(JSON.stringify(meta.body)).not.toMatch(/:8042/);
      const frame = await request(h.app)
        .get(`/dicomweb/studies/${uid}/series/${seriesUid}/instances/${sopUid}/frames/1`)
        .set(physician.auth)
        .set('accept', 'multipart/related; type="application/octet-stream"')
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect((frame.body as Buffer).length).toBeGreaterThan(32 * 32 * 2);
    });

    it('refuses an unrelated clinician and another patient, with no DICOM bytes', async () => {
      for (const who of [stranger, otherPatientUser]) {
        for (const path of [
          `/dicomweb/studies/${uid}/metadata`,
          `/dicomweb/studies/${uid}/series/${seriesUid}/instances/${sopUid}/frames/1`,
        ]) {
          const res = await request(h.app).get(path).set(who.auth);
          expect([403, 404]).toContain(res.status);
          expect(res.headers['content-type']).toMatch(/application\/json/);
          expect(res.body.error.code).toMatch(/PATIENT_ACCESS_DENIED|INSUFFICIENT_PERMISSIONS|NOT_FOUND/);
          expect(res.text).not.toMatch(/"vr"|00080018|DICM/);
        }
        const search = await request(h.app).get('/dicomweb/studies').query({ PatientID: mrn }).set(who.auth);
        expect([403, 404]).toContain(search.status);
        expect(search.text).not.toMatch(/"vr"|0020000D/);
      }
      await request(h.app).get('/dicomweb/studies').set(physician.auth).expect(400);
      await request(h.app).get('/dicomweb/studies').query({ PatientID: '*' }).set(physician.auth).expect(400);
      await request(h.app).get(`/dicomweb/studies/${uid}/metadata`).expect(401);
    });

    it('lets a radiologist write and sign a report that physicians read in the study list', async () => {
      const created = await request(h.app)
        .post(`/api/patients/${patientId}/imaging/studies/${uid}/reports`)
        .set(radiologist.auth)
        .send({ conclusion: 'No acute cardiopulmonary abnormality.', findings: 'Lungs clear.' })
        .expect(201);
      expect(created.body.report).toMatchObject({ status: 'preliminary', category: [{ coding: [{ code: 'RAD' }] }] });
      const reportId = created.body.report.id;
      await request(h.app).post(`/api/imaging/reports/${reportId}/sign`).set(physician.auth).expect(403);
      const signed = await request(h.app)
        .post(`/api/imaging/reports/${reportId}/sign`)
        .set(radiologist.auth)
        .expect(200);
      expect(signed.body.report).toMatchObject({ status: 'final', issued: expect.any(String) });
      await request(h.app).post(`/api/imaging/reports/${reportId}/sign`).set(radiologist.auth).expect(409);
      const list = await request(h.app)
        .get(`/api/patients/${patientId}/imaging/studies`)
        .set(physician.auth)
        .expect(200);
      const study = list.body.studies.find((x: { studyUid: string }) => x.studyUid === uid);
      expect(study.report).toMatchObject({
        id: reportId,
        status: 'final',
        conclusion: 'No acute cardiopulmonary abnormality.',
      });
    });

    it('opens one study read-only through a share link until it is revoked', async () => {
      const other = seed();
      await upload(chestXrayStudy({ seed: other, patient: { id: mrn, name: 'T^P' } }, 32)).expect(201);
      studiesToRemove.push(derivedUid(other, 'study'));
      const share = await request(h.app)
        .post(`/api/patients/${patientId}/imaging/studies/${uid}/shares`)
        .set(physician.auth)
        .send({})
        .expect(201);
      const expiresIn = Date.parse(share.body.expiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(23.9 * 3600_000);
      expect(expiresIn).toBeLessThan(24.1 * 3600_000);
      const opened = await request(h.app).get(`/api/imaging/shared/${share.body.token}`).expect(200);
      expect(opened.body.study.studyUid).toBe(uid);
      await request(h.app)
        .get(`/dicomweb/studies/${uid}/metadata`)
        .set('x-imaging-share', share.body.token)
        .expect(200);
      await request(h.app)
        .get(`/dicomweb/studies/${derivedUid(other, 'study')}/metadata`)
        .set('x-imaging-share', share.body.token)
        .expect(403);
      await request(h.app).delete(`/api/imaging/shares/${share.body.id}`).set(physician.auth).expect(204);
      await request(h.app).get(`/api/imaging/shared/${share.body.token}`).expect(404);
      await request(h.app)
        .get(`/dicomweb/studies/${uid}/metadata`)
        .set('x-imaging-share', share.body.token)
        .expect(403);
      await h.deps.audit.flush();
      const { rows } = await h.deps.pg.query<{ outcome: string }>(
        "SELECT outcome FROM audit_log WHERE action = 'imaging.share.use' AND details->>'shareId' = $1",
        [share.body.id],
      );
      expect(rows.map((r) => r.outcome).sort()).toEqual(['denied', 'denied', 'denied', 'success', 'success']);
    });
  });
});

describe('imaging while the PACS is down', () => {
  it('keeps the API ready (PACS reported down) and refuses uploads with 503, filing nothing', async () => {
    const h = await buildTestApp({ env: { ORTHANC_URL: 'http://127.0.0.1:9', ORTHANC_TIMEOUT_MS: '2000' } });
    try {
      const patientId = await createTestPatient(h.deps, 'Pacsdownpatient');
      const mrn = mrnOf(await h.deps.fhir.read('Patient', patientId))!;
      const doctor = await createTestUser(h.deps, {
        role: 'physician',
        practitionerId: await createTestPractitioner(h.deps),
      });
      await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
        doctor.user.id,
        patientId,
      ]);
      const ready = await request(h.app).get('/health/ready').expect(200);
      expect(ready.body.checks.orthanc.status).toBe('down');
      const seed = `int-down-${randomUUID()}`;
      let req = request(h.app).post(`/api/patients/${patientId}/imaging/studies`).set(doctor.auth);
      for (const [i, f] of ctPhantomStudy({ seed, patient: { id: mrn, name: 'T^P' } }, 2, 16).entries())
        req = req.attach('files', f, `s${i}.dcm`);
      const res = await req.expect(503);
      expect(res.body.error.code).toBe('PACS_UNAVAILABLE');
      expect(
        await h.deps.fhir.searchResources('ImagingStudy', { identifier: studyUidToken(derivedUid(seed, 'study')) }),
      ).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
