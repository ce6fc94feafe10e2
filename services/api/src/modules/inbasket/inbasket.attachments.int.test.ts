import request from 'supertest';
import type { InbasketItem, PortalRequest } from '@wintehr/contracts';
import { issueSmartAccessToken } from '../../core/auth/smart-token';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestUser, type TestUser } from '../../test-support/users';
import { auditRows, clinician, newPatient, type Harness } from '../medications/clinical.test-util';
import { EXE, PNG, pdfBytes } from './test-files';

/**
 * Files attached to portal messages against the real HAPI and PostgreSQL: sent in one transaction with the message,
 * refused whole when any file is not what it claims or too big, downloadable by the patient, their proxy and the
 * physician who looks after them — and by nobody else, through this route or the FHIR gate.
 */
jest.setTimeout(120_000);

let h: Harness;
let patientId: string;
let otherPatientId: string;
let childId: string;
let portal: TestUser;
let otherPortal: TestUser;
let parent: TestUser;
let doc: Awaited<ReturnType<typeof clinician>>;
let stranger: Awaited<ReturnType<typeof clinician>>;
const t0 = new Date(Date.now() - 2_000).toISOString();

beforeAll(async () => {
  h = await buildTestApp();
  [patientId, otherPatientId, childId] = await Promise.all([newPatient(h), newPatient(h), newPatient(h)]);
  const child = await h.deps.fhir.read('Patient', childId);
  await h.deps.fhir.update({ ...child, birthDate: `${new Date().getUTCFullYear() - 8}-01-15` });
  doc = await clinician(h, 'physician', [patientId, childId]);
  stranger = await clinician(h, 'physician', []);
  const p = await h.deps.fhir.read('Patient', patientId);
  await h.deps.fhir.update({ ...p, generalPractitioner: [{ reference: `Practitioner/${doc.practitionerId}` }] });
  portal = await createTestUser(h.deps, { role: 'patient', patientId });
  otherPortal = await createTestUser(h.deps, { role: 'patient', patientId: otherPatientId });
  parent = await createTestUser(h.deps, { role: 'patient', patientId: await newPatient(h), name: 'parent' });
  await request(h.app)
    .post(`/api/patients/${childId}/proxies`)
    .set(doc.auth)
    .send({ proxyUsername: parent.user.username, relationship: 'parent' })
    .expect(201);
});
afterAll(() => h.close());

const send = (auth: Record<string, string>, files: Array<[Buffer, string]>, text = 'Photos attached') => {
  let r = request(h.app).post('/api/portal/messages').set(auth).field('subject', 'Rash').field('text', text);
  for (const [data, name] of files) r = r.attach('files', data, name);
  return r;
};
const download = (auth: Record<string, string>, a: { communicationId: string; index: number }) =>
  request(h.app)
    .get(`/api/messages/${a.communicationId}/attachments/${a.index}`)
    .set(auth)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

/** What is stored for the patient: their Communications, and Binaries naming them written since the tests began. */
async function stored(pid: string) {
  const comms = await h.deps.fhir.searchResources('Communication', { subject: `Patient/${pid}`, _count: '200' });
  const binaries = await h.deps.fhir.searchResources('Binary', { _lastUpdated: `ge${t0}`, _count: '1000' });
  return {
    communications: comms.length,
    binaries: binaries.filter((b) => b.securityContext?.reference === `Patient/${pid}`).length,
  };
}

describe('sending with attachments', () => {
  const pdf = pdfBytes(200_000);
  let sent: PortalRequest;

  it('stores a PDF and a PNG with the message in one go and lists them with it', async () => {
    const res = await send(portal.auth, [
      [pdf, '../lab results.pdf'],
      [PNG, 'rash.png'],
    ]).expect(201);
    sent = res.body;
    expect(sent.attachments).toEqual([
      expect.objectContaining({ index: 0, title: 'lab results.pdf', contentType: 'application/pdf', size: pdf.length }),
      expect.objectContaining({ index: 1, title: 'rash.png', contentType: 'image/png', size: PNG.length }),
    ]);
    const comm = await h.deps.fhir.read('Communication', sent.attachments![0]!.communicationId);
    expect(comm.payload?.[0]).toEqual({ contentString: 'Photos attached' });
    const att = comm.payload?.[1]?.contentAttachment;
    expect(att).toMatchObject({ contentType: 'application/pdf', size: pdf.length, title: 'lab results.pdf' });
    expect(att?.url).toMatch(/^Binary\//);
    const binary = await h.deps.fhir.read('Binary', att!.url!.split('/')[1]!);
    expect(binary).toMatchObject({
      contentType: 'application/pdf',
      securityContext: { reference: `Patient/${patientId}` },
    });
    const task = await h.deps.fhir.read('Task', sent.id);
    expect(task.focus?.reference).toBe(`Communication/${comm.id}`);

    const mine = await request(h.app).get('/api/portal/requests').set(portal.auth).expect(200);
    expect(mine.body.items.find((i: PortalRequest) => i.id === sent.id).attachments).toHaveLength(2);
  });

  it('lets the patient and their physician download both, with safe headers; the physician sees them in the in-basket', async () => {
    const items: InbasketItem[] = (
      await request(h.app).get('/api/inbasket?kind=patient-message').set(doc.auth).expect(200)
    ).body.items;
    const item = items.find((i) => i.id === `task-${sent.id}`);
    expect(item?.attachments?.map((a) => a.title)).toEqual(['lab results.pdf', 'rash.png']);

    for (const who of [portal, doc]) {
      const a = await download(who.auth, sent.attachments![0]!).expect(200);
      expect(Buffer.compare(a.body as Buffer, pdf)).toBe(0);
      expect(a.headers['content-type']).toMatch(/^application\/pdf/);
      expect(a.headers['content-disposition']).toBe(
        `attachment; filename="lab results.pdf"; filename*=UTF-8''lab%20results.pdf`,
      );
      expect(a.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'content-security-policy': 'sandbox',
        'cache-control': 'no-store',
      });
      const b = await download(who.auth, sent.attachments![1]!).expect(200);
      expect(Buffer.compare(b.body as Buffer, PNG)).toBe(0);
      expect(b.headers['content-type']).toMatch(/^image\/png/);
    }
    await download(portal.auth, { communicationId: sent.attachments![0]!.communicationId, index: 2 }).expect(404);
  });

  it('refuses another patient and a physician without access (403), audited', async () => {
    for (const who of [otherPortal, stranger]) {
      const res = await download(who.auth, sent.attachments![0]!).expect(403);
      expect(JSON.parse(res.body.toString()).error.code).toBe('PATIENT_ACCESS_DENIED');
    }
    const rows = await auditRows(h, { action: 'portal.message.attachment.read', patientId });
    expect(rows.filter((r) => r.outcome === 'denied')).toHaveLength(2);
    const ok = rows.filter((r) => r.outcome === 'success');
    expect(ok).toHaveLength(4);
    expect(ok[0]!.resource_id).toBe(
      (
        await h.deps.fhir.read('Communication', sent.attachments![0]!.communicationId)
      ).payload![1]!.contentAttachment!.url!.split('/')[1],
    );
    const sends = await auditRows(h, { action: 'portal.message.send', patientId });
    expect(sends.at(-1)).toMatchObject({
      outcome: 'success',
      resource_id: sent.attachments![0]!.communicationId,
      details: expect.objectContaining({ attachments: 2 }),
    });
  });

  it("keeps another patient's SMART app away from the Binary through the FHIR gate", async () => {
    const comm = await h.deps.fhir.read('Communication', sent.attachments![0]!.communicationId);
    const binaryId = comm.payload![1]!.contentAttachment!.url!.split('/')[1]!;
    const { token } = await issueSmartAccessToken(
      h.deps.tokens,
      h.deps.config.publicBaseUrl,
      {
        kind: 'user',
        clientId: `attachments-${RUN_ID}`,
        userId: otherPortal.user.id,
        username: otherPortal.user.username,
        role: 'patient',
        fhirUser: `Patient/${otherPatientId}`,
        patientId: otherPatientId,
        scopes: ['launch/patient', 'openid', 'fhirUser', 'patient/*.rs'],
      },
      600,
    );
    const res = await request(h.app)
      .get(`/fhir/Binary/${binaryId}`)
      .set({ Authorization: `Bearer ${token}` });
    expect([403, 404]).toContain(res.status);
    expect(JSON.stringify(res.body)).not.toContain(pdf.subarray(0, 40).toString('base64'));
  });
});

describe('refusals store nothing', () => {
  it('a renamed .exe is 415 naming the file; too big is 413; too many or empty is 400', async () => {
    const before = await stored(patientId);
    const exe = await send(portal.auth, [
      [PNG, 'ok.png'],
      [EXE, 'invoice.pdf'],
    ]).expect(415);
    expect(exe.body.error).toMatchObject({ code: 'UNSUPPORTED_ATTACHMENT', details: [{ file: 'invoice.pdf' }] });
    expect(exe.body.error.message).toContain('invoice.pdf');
    const big = await send(portal.auth, [[pdfBytes(5 * 1024 * 1024 + 1), 'big.pdf']]).expect(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    await send(
      portal.auth,
      [1, 2, 3, 4].map((n) => [PNG, `p${n}.png`]),
    ).expect(400);
    await send(portal.auth, [[Buffer.alloc(0), 'empty.txt']]).expect(400);
    expect(await stored(patientId)).toEqual(before);
  });
});

describe('without attachments and as a proxy', () => {
  it('a JSON message still works, now as one transaction', async () => {
    const before = await stored(patientId);
    const res = await request(h.app)
      .post('/api/portal/messages')
      .set(portal.auth)
      .send({ subject: 'Question', text: 'No files' })
      .expect(201);
    expect(res.body.attachments).toBeUndefined();
    expect(await stored(patientId)).toEqual({ ...before, communications: before.communications + 1 });
    const task = await h.deps.fhir.read('Task', res.body.id);
    expect(task.focus?.reference).toMatch(/^Communication\//);
  });

  it('a parent acting for their child files the attachment as the proxy and can download it', async () => {
    const actingFor = { ...parent.auth, 'X-Acting-For': childId };
    const res = await send(actingFor, [[pdfBytes(1_000), 'school note.pdf']]).expect(201);
    const a = res.body.attachments[0];
    const comm = await h.deps.fhir.read('Communication', a.communicationId);
    expect(comm.subject?.reference).toBe(`Patient/${childId}`);
    expect(comm.sender?.reference).toMatch(/^RelatedPerson\//);
    const bin = await h.deps.fhir.read('Binary', comm.payload![1]!.contentAttachment!.url!.split('/')[1]!);
    expect(bin.securityContext?.reference).toBe(`Patient/${childId}`);
    await download(actingFor, a).expect(200);
    await download(parent.auth, a).expect(403);
    await download(doc.auth, a).expect(200);
  });
});
