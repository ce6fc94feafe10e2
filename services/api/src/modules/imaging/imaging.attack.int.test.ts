import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../app';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';
import { readDicomPart10 } from './dicom-file';
import { mrnOf } from './imaging.service';
import { OrthancClient } from './orthanc-client';
import { ctPhantomStudy, derivedUid } from './synthetic-dicom';

type Harness = Awaited<ReturnType<typeof buildTestApp>>;

/**
 * Attacks on /dicomweb by a clinician who may see patient A only, aimed at patient B's study: every answer must be
 * a refusal or hold nothing of B (no study UID, no DICOM attributes).
 */
describe('imaging attacks: /dicomweb cross-patient reach', () => {
  let h: Harness;
  let orthanc: OrthancClient;
  const mine = { patientId: '', mrn: '', uid: '', seriesUid: '', sopUid: '' };
  const theirs = { patientId: '', mrn: '', uid: '', seriesUid: '', sopUid: '' };
  let physician: TestUser;
  let otherPhysician: TestUser;
  const toRemove: string[] = [];

  const assign = (u: TestUser, p: string) =>
    h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      u.user.id,
      p,
    ]);

  async function uploadFor(target: typeof mine, who: TestUser) {
    const s = `attack-${randomUUID()}`;
    const files = ctPhantomStudy({ seed: s, patient: { id: target.mrn, name: 'Attack^Test' } }, 2, 32);
    let req = request(h.app).post(`/api/patients/${target.patientId}/imaging/studies`).set(who.auth);
    files.forEach((f, i) => {
      req = req.attach('files', f, `s-${i}.dcm`);
    });
    const up = await req;
    if (up.status !== 201) throw new Error(`upload ${up.status} ${up.text}`);
    target.uid = derivedUid(s, 'study');
    toRemove.push(target.uid);
    const first = readDicomPart10('x', files[0]!);
    target.seriesUid = first.seriesUid;
    target.sopUid = first.sopInstanceUid;
  }

  /** B's study came back (a refusal's error body echoes the request path, so only an answer counts). */
  const leaksTheirs = (res: { status: number; text: string }) =>
    res.status < 300 && (res.text.includes(theirs.uid) || res.text.includes(theirs.mrn));

  beforeAll(async () => {
    h = await buildTestApp();
    orthanc = new OrthancClient(h.deps.config.imaging);
    mine.patientId = await createTestPatient(h.deps, 'Attackmine');
    theirs.patientId = await createTestPatient(h.deps, 'Attacktheirs');
    mine.mrn = mrnOf(await h.deps.fhir.read('Patient', mine.patientId))!;
    theirs.mrn = mrnOf(await h.deps.fhir.read('Patient', theirs.patientId))!;
    physician = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });
    otherPhysician = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });
    await assign(physician, mine.patientId);
    await assign(otherPhysician, theirs.patientId);
    await uploadFor(mine, physician);
    await uploadFor(theirs, otherPhysician);
  });

  afterAll(async () => {
    for (const uid of toRemove) {
      const id = await orthanc.findStudy(uid).catch(() => undefined);
      if (id) await orthanc.deleteStudy(id).catch(() => undefined);
    }
    await orthanc.close();
    await h.close();
  });

  it('sanity: the other clinician sees their own study by PatientID', async () => {
    const res = await request(h.app)
      .get('/dicomweb/studies')
      .query({ PatientID: theirs.mrn })
      .set(otherPhysician.auth)
      .expect(200);
    expect(res.text).toContain(theirs.uid);
  });

  it.each([
    ['a second PatientID in the comma tag form', () => `PatientID=${mine.mrn}&0010,0020=${theirs.mrn}`],
    ['a second PatientID in lower-case comma form', () => `00100020=${mine.mrn}&0010,0020=${theirs.mrn}`],
    ['a second StudyInstanceUID in the comma tag form', () => `StudyInstanceUID=${mine.uid}&0020,000D=${theirs.uid}`],
    ['a second StudyInstanceUID in lower-case comma form', () => `0020000D=${mine.uid}&0020,000d=${theirs.uid}`],
    [
      'a PatientID hidden after the parser key limit',
      () =>
        `PatientID=${mine.mrn}&${Array.from({ length: 1001 }, (_, i) => `x${i}=1`).join('&')}&PatientID=${theirs.mrn}`,
    ],
    [
      'a StudyInstanceUID hidden after the parser key limit',
      () =>
        `StudyInstanceUID=${mine.uid}&${Array.from({ length: 1001 }, (_, i) => `x${i}=1`).join('&')}` +
        `&StudyInstanceUID=${theirs.uid}`,
    ],
  ])('QIDO with %s reveals nothing of the other patient', async (_label, query) => {
    for (const path of ['/dicomweb/studies', '/dicomweb/series', '/dicomweb/instances']) {
      const res = await request(h.app).get(`${path}?${query()}`).set(physician.auth);
      expect(res.status).toBeLessThan(500);
      expect(leaksTheirs(res)).toBe(false);
    }
  });

  it('does not reach the other patient through my study UID with their series or instance UIDs', async () => {
    const paths = [
      `/dicomweb/studies/${mine.uid}/series/${theirs.seriesUid}/metadata`,
      `/dicomweb/studies/${mine.uid}/series/${theirs.seriesUid}/instances`,
      `/dicomweb/studies/${mine.uid}/series/${theirs.seriesUid}/instances/${theirs.sopUid}/metadata`,
      `/dicomweb/studies/${mine.uid}/series/${mine.seriesUid}/instances/${theirs.sopUid}/metadata`,
      `/dicomweb/studies/${mine.uid}/series/${theirs.seriesUid}/instances/${theirs.sopUid}/frames/1`,
      `/dicomweb/studies/${mine.uid}/series?SeriesInstanceUID=${theirs.seriesUid}`,
      `/dicomweb/studies/${mine.uid}/instances?SOPInstanceUID=${theirs.sopUid}`,
      `/dicomweb/studies/${mine.uid}/series?StudyInstanceUID=${theirs.uid}`,
      `/dicomweb/studies/${mine.uid}/series?0020000D=${theirs.uid}`,
      `/dicomweb/studies/${mine.uid}/instances?0020,000D=${theirs.uid}`,
      `/dicomweb/studies/${mine.uid}/series/${mine.seriesUid}/instances?0020000D=${theirs.uid}`,
      `/dicomweb/studies/${mine.uid}/series?PatientID=${theirs.mrn}`,
    ];
    for (const path of paths) {
      const res = await request(h.app)
        .get(path)
        .set(physician.auth)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      const text = (res.body as Buffer).toString('latin1');
      const leaked = res.status < 300 && [theirs.sopUid, theirs.seriesUid, theirs.mrn].some((x) => text.includes(x));
      expect([path, leaked]).toEqual([path, false]);
    }
  });

  it('refuses path tricks (dot segments, encoded slashes) with a 4xx and nothing of the other patient', async () => {
    for (const path of [
      `/dicomweb/studies/${mine.uid}/../${theirs.uid}/metadata`,
      `/dicomweb/studies/${mine.uid}%2F..%2F${theirs.uid}/metadata`,
      `/dicomweb/studies/${theirs.uid}%00/metadata`,
    ]) {
      const res = await request(h.app).get(path).set(physician.auth);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(leaksTheirs(res)).toBe(false);
    }
  });

  it("does not open the other patient's study with a share link of mine, even behind a duplicate key", async () => {
    const share = await request(h.app)
      .post(`/api/patients/${mine.patientId}/imaging/studies/${mine.uid}/shares`)
      .set(physician.auth)
      .send({})
      .expect(201);
    const t = share.body.token as string;
    await request(h.app).get(`/dicomweb/studies/${theirs.uid}/metadata`).set('x-imaging-share', t).expect(403);
    const res = await request(h.app)
      .get(`/dicomweb/studies?StudyInstanceUID=${mine.uid}&0020,000D=${theirs.uid}`)
      .set('x-imaging-share', t);
    expect(leaksTheirs(res)).toBe(false);
  });

  it('answers malformed UIDs and unsupported methods with 4xx, never 500', async () => {
    for (const path of [
      '/dicomweb/studies/not-a-uid',
      '/dicomweb/studies/1.2.3/series/x',
      `/dicomweb/${'1.'.repeat(5000)}`,
    ]) {
      const res = await request(h.app).get(path).set(physician.auth);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const post = await request(h.app).post(`/dicomweb/studies/${mine.uid}`).set(physician.auth).send('x');
    expect(post.status).toBe(400);
  });
});

/** A minimal zip (deflate, no zip64) built here so an attack archive can say anything about itself. */
function zipOf(entries: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data, { level: 9 });
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('imaging attacks: uploads (1 MB limit)', () => {
  let h: Harness;
  let patientId: string;
  let physician: TestUser;
  const MB = 1024 * 1024;

  beforeAll(async () => {
    h = await buildTestApp({
      env: { IMAGING_MAX_UPLOAD_MB: '1' },
    });
    patientId = await createTestPatient(h.deps, 'Attackupload');
    physician = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });
    await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      physician.user.id,
      patientId,
    ]);
  });
  afterAll(() => h.close());

  const post = (files: Array<[Buffer, string]>, who = physician) => {
    let req = request(h.app).post(`/api/patients/${patientId}/imaging/studies`).set(who.auth);
    for (const [f, name] of files) req = req.attach('files', f, name);
    return req;
  };

  it('refuses many small zips that together expand beyond the upload limit (413), whatever each one holds', async () => {
    // Each archive is a few KB and expands to 0.9 MB: alone within the limit, together 9 MB in memory.
    const bomb = zipOf([{ name: 'a.dcm', data: Buffer.alloc(0.9 * MB) }]);
    expect(bomb.length).toBeLessThan(16 * 1024);
    const res = await post(Array.from({ length: 10 }, (_, i) => [bomb, `part-${i}.zip`] as [Buffer, string]));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses one zip that expands beyond the limit, and one that lies about its sizes, with 4xx', async () => {
    const big = zipOf([
      { name: 'a.dcm', data: Buffer.alloc(0.6 * MB) },
      { name: 'b.dcm', data: Buffer.alloc(0.6 * MB) },
    ]);
    expect((await post([[big, 'big.zip']])).status).toBe(413);
    const liar = zipOf([{ name: 'a.dcm', data: Buffer.alloc(0.9 * MB) }]);
    // Declare 10 bytes uncompressed in both headers: the real inflated size must still be enforced.
    liar.writeUInt32LE(10, 22);
    liar.writeUInt32LE(10, liar.length - 22 - (46 + 5) + 24);
    const res = await post([[liar, 'liar.zip']]);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('answers 400 (never 500) to traversal names, truncated zips, invalid DICOM and wrong content types', async () => {
    const traversal = zipOf([{ name: '../../../../etc/passwd', data: Buffer.from('root:x:0:0') }]);
    const r1 = await post([[traversal, 'evil.zip']]);
    expect(r1.status).toBe(400);
    const truncated = zipOf([{ name: 'a.dcm', data: Buffer.alloc(4096, 7) }]).subarray(0, 60);
    expect((await post([[truncated, 'cut.zip']])).status).toBe(400);
    const fakeDicom = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.alloc(64, 0xff)]);
    expect((await post([[fakeDicom, 'fake.dcm']])).status).toBe(400);
    const json = await request(h.app)
      .post(`/api/patients/${patientId}/imaging/studies`)
      .set(physician.auth)
      .send({ files: ['x'] });
    expect(json.status).toBe(400);
    const badBoundary = await request(h.app)
      .post(`/api/patients/${patientId}/imaging/studies`)
      .set(physician.auth)
      .set('content-type', 'multipart/form-data; boundary=')
      .send('--\r\n');
    expect(badBoundary.status).toBeGreaterThanOrEqual(400);
    expect(badBoundary.status).toBeLessThan(500);
  });

  it('checks access before reading the upload: a stranger, a nurse and an admin are refused', async () => {
    const stranger = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });
    const nurse = await createTestUser(h.deps, { role: 'nurse', practitionerId: await createTestPractitioner(h.deps) });
    await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      nurse.user.id,
      patientId,
    ]);
    const admin = await createTestUser(h.deps, { role: 'admin' });
    const file = zipOf([{ name: 'a.dcm', data: Buffer.alloc(10) }]);
    for (const who of [stranger, nurse, admin]) {
      const res = await post([[file, 'a.zip']], who);
      expect([who.user.role, res.status]).toEqual([who.user.role, 403]);
    }
  });
});

describe('imaging attacks: share tokens stay out of logs', () => {
  it('logs the request for a share link without its token (access log and error log)', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString('utf8'));
        cb();
      },
    });
    const h = await buildTestApp();
    const deps = { ...h.deps, logger: pino({ level: 'info' }, sink) };
    const app = createApp(deps);
    const token = `wsh_${randomBytes(32).toString('base64url')}`;
    try {
      await request(app).get(`/api/imaging/shared/${token}`).expect(404);
      await request(app).get(`/dicomweb/studies/1.2.3/metadata`).set('x-imaging-share', token);
      await new Promise((r) => setImmediate(r));
      expect(lines.join('\n')).toMatch(/imaging\/shared/);
      expect(lines.join('\n')).not.toContain(token.slice(4));
    } finally {
      await h.close();
    }
  });
});
