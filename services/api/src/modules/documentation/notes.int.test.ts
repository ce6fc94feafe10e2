import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';
import { RUN_ID } from '../../test-support/test-env';

jest.setTimeout(60_000);

type App = Awaited<ReturnType<typeof buildTestApp>>;
const SOAP = {
  subjective: 'Feels better',
  objective: 'BP 128/82',
  assessment: 'Stable hypertension',
  plan: 'Continue lisinopril',
};

describe('documentation API (real HAPI)', () => {
  let t: App;
  let doc: TestUser;
  let nurse: TestUser;
  let stranger: TestUser;
  let colleague: string;
  let patientId: string;
  let noteId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    patientId = await createTestPatient(t.deps, 'Notepatient');
    const practitionerId = await createTestPractitioner(t.deps);
    colleague = await createTestPractitioner(t.deps);
    doc = await createTestUser(t.deps, { role: 'physician', practitionerId });
    nurse = await createTestUser(t.deps, { role: 'nurse', practitionerId: await createTestPractitioner(t.deps) });
    stranger = await createTestUser(t.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(t.deps),
    });
    // The care team gives the physician access and is who a shared note goes to.
    await t.deps.fhir.create<fhir4.CareTeam>({
      resourceType: 'CareTeam',
      status: 'active',
      subject: { reference: `Patient/${patientId}` },
      participant: [
        { member: { reference: `Practitioner/${practitionerId}` } },
        { member: { reference: `Practitioner/${colleague}` } },
      ],
    });
    await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      nurse.user.id,
      patientId,
    ]);
  });
  afterAll(async () => t.close());

  it('lists the template catalog', async () => {
    const res = await request(t.app).get('/api/note-templates').set(doc.auth).expect(200);
    expect(res.body.templates.map((x: { id: string }) => x.id)).toEqual([
      'progress-soap',
      'history-physical',
      'discharge-summary',
    ]);
  });

  it('creates a draft SOAP note (DocumentReference + Composition), edits it with If-Match', async () => {
    const res = await request(t.app)
      .post(`/api/patients/${patientId}/notes`)
      .set(doc.auth)
      .send({ template: 'progress-soap', sections: { subjective: 'Feels better' } })
      .expect(201);
    noteId = res.body.id;
    expect(res.body).toMatchObject({
      docStatus: 'preliminary',
      status: 'current',
      template: 'progress-soap',
      sections: { subjective: 'Feels better' },
    });
    const comp = await t.deps.fhir.read('Composition', res.body.compositionId);
    expect(comp.type.coding![0]!.code).toBe('11506-3');
    expect(comp.status).toBe('preliminary');
    await request(t.app).put(`/api/notes/${noteId}`).set(doc.auth).send({ sections: SOAP }).expect(428);
    const upd = await request(t.app)
      .put(`/api/notes/${noteId}`)
      .set(doc.auth)
      .set('If-Match', String(res.headers.etag))
      .send({ sections: SOAP })
      .expect(200);
    expect(upd.body.sections).toEqual(SOAP);
    const stale = await request(t.app)
      .put(`/api/notes/${noteId}`)
      .set(doc.auth)
      .set('If-Match', String(res.headers.etag))
      .send({ sections: SOAP })
      .expect(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const bad = await request(t.app)
      .post(`/api/patients/${patientId}/notes`)
      .set(doc.auth)
      .send({ template: 'progress-soap', sections: { mood: 'x' } })
      .expect(400);
    expect(bad.body.error.details[0].field).toBe('body.sections.mood');
    await request(t.app).post(`/api/patients/${patientId}/notes`).set(doc.auth).send({ template: 'haiku' }).expect(400);
  });

  it('refuses to sign an incomplete note, signs a complete one with a Provenance and a notes.signed event', async () => {
    const draft = await request(t.app)
      .post(`/api/patients/${patientId}/notes`)
      .set(doc.auth)
      .send({ template: 'discharge-summary', sections: { hospitalCourse: 'Uneventful' } })
      .expect(201);
    const incomplete = await request(t.app).post(`/api/notes/${draft.body.id}/sign`).set(doc.auth).expect(400);
    expect(incomplete.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'sections.dischargeDiagnosis',
      'sections.instructions',
    ]);
    await request(t.app).post(`/api/notes/${noteId}/sign`).set(nurse.auth).expect(403); // nurses have no document:sign
    const before = Date.now();
    const signed = await request(t.app).post(`/api/notes/${noteId}/sign`).set(doc.auth).expect(200);
    expect(signed.body).toMatchObject({
      docStatus: 'final',
      signedBy: `Practitioner/${doc.user.fhir_practitioner_id}`,
      signedByName: doc.user.display_name,
      editable: false,
    });
    expect(Date.parse(signed.body.signedAt)).toBeGreaterThanOrEqual(before - 1000);
    const prov = await t.deps.fhir.read('Provenance', signed.body.provenanceId);
    expect(prov.agent[0]!.who.reference).toBe(`Practitioner/${doc.user.fhir_practitioner_id}`);
    expect(prov.target.map((x) => x.reference)).toContain(`DocumentReference/${noteId}`);
    expect((await t.deps.fhir.read('Composition', signed.body.compositionId)).status).toBe('final');
    const ev = await t.deps.pg.query(
      "SELECT payload FROM event_outbox WHERE type = 'notes.signed' AND payload->>'resourceId' = $1",
      [noteId],
    );
    expect(ev.rows).toHaveLength(1);
    expect(ev.rows[0].payload).toMatchObject({ patientId, resourceType: 'DocumentReference' });
    const again = await request(t.app)
      .put(`/api/notes/${noteId}`)
      .set(doc.auth)
      .set('If-Match', String(signed.headers.etag))
      .send({ sections: SOAP })
      .expect(409);
    expect(again.body.error.code).toBe('NOTE_SIGNED');
    await request(t.app).post(`/api/notes/${noteId}/sign`).set(doc.auth).expect(409);
  });

  describe('drafts belong to their author', () => {
    let draftId: string;
    let etag: string;
    beforeAll(async () => {
      const res = await request(t.app)
        .post(`/api/patients/${patientId}/notes`)
        .set(doc.auth)
        .send({ template: 'progress-soap', sections: { subjective: 'Doctor draft' } })
        .expect(201);
      draftId = res.body.id;
      etag = String(res.headers.etag);
      expect(res.body).toMatchObject({
        author: `Practitioner/${doc.user.fhir_practitioner_id}`,
        authorName: doc.user.display_name,
        editable: true,
      });
    });

    it('lets others with access read a draft, marked draft and not editable', async () => {
      const read = await request(t.app).get(`/api/notes/${draftId}`).set(nurse.auth).expect(200);
      expect(read.body).toMatchObject({
        docStatus: 'preliminary',
        editable: false,
        authorName: doc.user.display_name,
        sections: { subjective: 'Doctor draft' },
      });
      expect(read.body.signedAt).toBeUndefined();
      const list = await request(t.app).get(`/api/patients/${patientId}/notes`).set(nurse.auth).expect(200);
      expect(list.body.notes.find((n: { id: string }) => n.id === draftId)).toMatchObject({
        docStatus: 'preliminary',
        editable: false,
      });
    });

    it("refuses a nurse editing or discarding a physician's draft (403, audited as denied); the author edits it", async () => {
      const edit = await request(t.app)
        .put(`/api/notes/${draftId}`)
        .set(nurse.auth)
        .set('If-Match', etag)
        .send({ sections: { subjective: 'Nurse was here' } })
        .expect(403);
      expect(edit.body.error).toMatchObject({
        code: 'INSUFFICIENT_PERMISSIONS',
        details: { reason: 'NOT_DRAFT_AUTHOR' },
      });
      await request(t.app).delete(`/api/notes/${draftId}`).set(nurse.auth).expect(403);
      const own = await request(t.app)
        .put(`/api/notes/${draftId}`)
        .set(doc.auth)
        .set('If-Match', etag)
        .send({ sections: { subjective: 'Doctor draft, revised' } })
        .expect(200);
      expect(own.body).toMatchObject({
        sections: { subjective: 'Doctor draft, revised' },
        authorName: doc.user.display_name,
        editable: true,
      });
      // Authorship survives the edit: the nurse is still refused on the new version.
      await request(t.app)
        .put(`/api/notes/${draftId}`)
        .set(nurse.auth)
        .set('If-Match', String(own.headers.etag))
        .send({ sections: SOAP })
        .expect(403);
      await t.deps.audit.flush();
      const { rows } = await t.deps.pg.query<{ action: string; details: Record<string, unknown> }>(
        "SELECT action, details FROM audit_log WHERE user_id = $1 AND resource_id = $2 AND outcome = 'denied' ORDER BY id",
        [nurse.user.id, draftId],
      );
      expect(rows.map((r) => r.action)).toEqual(['note.update', 'note.delete', 'note.update']);
      expect(rows[0]!.details).toMatchObject({ reason: 'NOT_DRAFT_AUTHOR' });
    });

    it("refuses another physician signing someone else's draft", async () => {
      const colleagueDoc = await createTestUser(t.deps, { role: 'physician', practitionerId: colleague });
      await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
        colleagueDoc.user.id,
        patientId,
      ]);
      const res = await request(t.app).post(`/api/notes/${draftId}/sign`).set(colleagueDoc.auth).expect(403);
      expect(res.body.error.details.reason).toBe('NOT_DRAFT_AUTHOR');
      expect((await t.deps.fhir.read('DocumentReference', draftId)).docStatus).toBe('preliminary');
    });

    it('lets the author discard a draft; a signed note cannot be deleted', async () => {
      await request(t.app).delete(`/api/notes/${draftId}`).set(doc.auth).expect(204);
      await request(t.app).get(`/api/notes/${draftId}`).set(doc.auth).expect(404);
      const signed = await request(t.app).delete(`/api/notes/${noteId}`).set(doc.auth).expect(409);
      expect(signed.body.error.code).toBe('NOTE_SIGNED');
    });

    it('shows author, signer and signing time of signed notes in the list', async () => {
      const list = await request(t.app).get(`/api/patients/${patientId}/notes`).set(nurse.auth).expect(200);
      const signed = list.body.notes.find((n: { id: string }) => n.id === noteId);
      expect(signed).toMatchObject({
        docStatus: 'final',
        authorName: doc.user.display_name,
        signedBy: `Practitioner/${doc.user.fhir_practitioner_id}`,
        signedByName: doc.user.display_name,
      });
      expect(Number.isNaN(Date.parse(signed.signedAt))).toBe(false);
    });
  });

  it('amends a signed note with a new linked version and marks the old one superseded', async () => {
    const res = await request(t.app)
      .post(`/api/notes/${noteId}/amend`)
      .set(doc.auth)
      .send({ sections: { ...SOAP, plan: 'Increase lisinopril to 20 mg' }, reason: 'Dose corrected' })
      .expect(201);
    expect(res.body).toMatchObject({
      docStatus: 'amended',
      relatesTo: [{ code: 'replaces', target: `DocumentReference/${noteId}` }],
    });
    expect(res.body.sections.plan).toBe('Increase lisinopril to 20 mg');
    const old = await request(t.app).get(`/api/notes/${noteId}`).set(doc.auth).expect(200);
    expect(old.body.status).toBe('superseded');
    expect(old.body.sections.plan).toBe('Continue lisinopril');
    const twice = await request(t.app)
      .post(`/api/notes/${noteId}/amend`)
      .set(doc.auth)
      .send({ sections: SOAP, reason: 'Another go' })
      .expect(409);
    expect(twice.body.error.code).toBe('NOTE_SUPERSEDED');
    const list = await request(t.app).get(`/api/patients/${patientId}/notes`).set(nurse.auth).expect(200);
    expect(list.body.notes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining([noteId, res.body.id]));
  });

  it('shares a note with the care team as a Communication', async () => {
    const res = await request(t.app).post(`/api/notes/${noteId}/share`).set(doc.auth).send({}).expect(201);
    expect(res.body.recipients).toEqual([`Practitioner/${colleague}`]);
    const comm = await t.deps.fhir.read('Communication', res.body.communicationId);
    expect(comm.payload![0]!.contentReference!.reference).toBe(`DocumentReference/${noteId}`);
  });

  it('shows a patient its signed notes but not drafts', async () => {
    const me = await createTestUser(t.deps, { role: 'patient', patientId });
    const draft = await request(t.app)
      .post(`/api/patients/${patientId}/notes`)
      .set(doc.auth)
      .send({ template: 'progress-soap' })
      .expect(201);
    const list = await request(t.app).get(`/api/patients/${patientId}/notes`).set(me.auth).expect(200);
    const ids = list.body.notes.map((n: { id: string }) => n.id);
    expect(ids).toContain(noteId);
    expect(ids).not.toContain(draft.body.id);
    await request(t.app).get(`/api/notes/${draft.body.id}`).set(me.auth).expect(404);
    await request(t.app).get(`/api/notes/${noteId}`).set(me.auth).expect(200);
    await request(t.app)
      .post(`/api/patients/${patientId}/notes`)
      .set(me.auth)
      .send({ template: 'progress-soap' })
      .expect(403);
  });

  it('denies unrelated users, 404s unknown notes and audits every access', async () => {
    await request(t.app).get(`/api/notes/${noteId}`).set(stranger.auth).expect(403);
    await request(t.app).get(`/api/patients/${patientId}/notes`).set(stranger.auth).expect(403);
    await request(t.app).get(`/api/notes/nope-${RUN_ID}`).set(doc.auth).expect(404);
    await t.deps.audit.flush();
    const { rows } = await t.deps.pg.query('SELECT action, outcome FROM audit_log WHERE patient_id = $1', [patientId]);
    const seen = new Set(rows.map((r) => `${r.action}:${r.outcome}`));
    for (const a of [
      'note.create:success',
      'note.update:success',
      'note.sign:success',
      'note.amend:success',
      'note.share:success',
      'note.read:denied',
      'note.list:success',
    ])
      expect(seen).toContain(a);
  });
});
