import express from 'express';
import request from 'supertest';
import { Router } from 'express';
import { z } from 'zod';
import { errorHandler } from '../../core/http/error-handler';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { mount } from '../../core/http/route';
import { authenticate } from '../../core/auth/authenticate';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestPractitioner, createTestUser } from '../../test-support/users';

type Harness = Awaited<ReturnType<typeof buildTestApp>>;

describe('patient-level access (seed 004 §7.3) against the real HAPI', () => {
  let h: Harness;
  let patientId: string;
  let otherPatientId: string;
  beforeAll(async () => {
    h = await buildTestApp();
    patientId = await createTestPatient(h.deps, 'Accesspatient');
    otherPatientId = await createTestPatient(h.deps, 'Otherpatient');
  });
  afterAll(() => h.close());

  it('grants staff through CareTeam membership, Encounter participation and explicit assignment; denies the unrelated', async () => {
    const [ctPract, encPract] = await Promise.all([createTestPractitioner(h.deps), createTestPractitioner(h.deps)]);
    await h.deps.fhir.create<fhir4.CareTeam>({
      resourceType: 'CareTeam',
      status: 'active',
      subject: { reference: `Patient/${patientId}` },
      participant: [{ member: { reference: `Practitioner/${ctPract}` } }],
    });
    await h.deps.fhir.create<fhir4.Encounter>({
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${patientId}` },
      participant: [{ individual: { reference: `Practitioner/${encPract}` } }],
    });
    const careTeam = await createTestUser(h.deps, { role: 'physician', practitionerId: ctPract });
    const encounter = await createTestUser(h.deps, { role: 'nurse', practitionerId: encPract });
    const assigned = await createTestUser(h.deps, { role: 'lab_technician' });
    await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      assigned.user.id,
      patientId,
    ]);
    const stranger = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });

    const basis = async (u: typeof careTeam, p = patientId) => {
      const d = await h.deps.access.check(
        {
          userId: u.user.id,
          username: u.user.username,
          role: u.user.role,
          practitionerId: u.user.fhir_practitioner_id ?? undefined,
          tokenId: 'x',
          tokenExpiresAt: 0,
        },
        p,
      );
      return d.allowed ? d.basis : 'denied';
    };
    expect(await basis(careTeam)).toBe('care-team');
    expect(await basis(encounter)).toBe('encounter');
    expect(await basis(assigned)).toBe('assignment');
    expect(await basis(stranger)).toBe('denied');
    expect(await basis(careTeam, otherPatientId)).toBe('denied');

    // A booked visit opens the chart to the clinician on it; a cancelled one does not.
    const booked = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });
    const cancelled = await createTestUser(h.deps, {
      role: 'physician',
      practitionerId: await createTestPractitioner(h.deps),
    });
    for (const [u, status] of [
      [booked, 'booked'],
      [cancelled, 'cancelled'],
    ] as const)
      await h.deps.fhir.create<fhir4.Appointment>({
        resourceType: 'Appointment',
        status,
        start: new Date(Date.now() + 3600_000).toISOString(),
        end: new Date(Date.now() + 5400_000).toISOString(),
        participant: [
          { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
          { actor: { reference: `Practitioner/${u.user.fhir_practitioner_id}` }, status: 'accepted' },
        ],
      });
    expect(await basis(booked)).toBe('appointment');
    expect(await basis(cancelled)).toBe('denied');
    expect(await basis(booked, otherPatientId)).toBe('denied');
  });

  it('grants a pharmacist the patients with an active prescription routed to their pharmacy', async () => {
    const org = await h.deps.fhir.create<fhir4.Organization>({ resourceType: 'Organization', name: 'Test pharmacy' });
    await h.deps.fhir.create<fhir4.MedicationRequest>({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${patientId}` },
      medicationCodeableConcept: {
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361' }],
      },
      dispenseRequest: { performer: { reference: `Organization/${org.id}` } },
    });
    const pharm = await createTestUser(h.deps, { role: 'pharmacist', pharmacyOrgId: org.id });
    const p = {
      userId: pharm.user.id,
      username: pharm.user.username,
      role: pharm.user.role,
      tokenId: 'x',
      tokenExpiresAt: 0,
    } as const;
    expect(await h.deps.access.check(p, patientId)).toEqual({ allowed: true, basis: 'pharmacy-queue' });
    expect((await h.deps.access.check(p, otherPatientId)).allowed).toBe(false);
  });

  it('limits a patient to its own compartment; an admin has no implicit relationship, only its own break-glass grants', async () => {
    const portal = await createTestUser(h.deps, { role: 'patient', patientId });
    const base = { userId: portal.user.id, username: portal.user.username, tokenId: 'x', tokenExpiresAt: 0 };
    expect(await h.deps.access.check({ ...base, role: 'patient', patientId }, patientId)).toEqual({
      allowed: true,
      basis: 'self',
    });
    expect((await h.deps.access.check({ ...base, role: 'patient', patientId }, otherPatientId)).allowed).toBe(false);
    const admin = await createTestUser(h.deps, { role: 'admin' });
    const asAdmin = {
      userId: admin.user.id,
      username: admin.user.username,
      role: 'admin' as const,
      tokenId: 'x',
      tokenExpiresAt: 0,
    };
    expect(await h.deps.access.check(asAdmin, otherPatientId)).toEqual({
      allowed: false,
      reason: 'no care relationship with this patient',
    });
    await h.deps.pg.query(
      "INSERT INTO break_glass_grants (id, user_id, patient_id, reason, expires_at) VALUES (gen_random_uuid(), $1, $2, 'test grant', now() + interval '5 minutes')",
      [admin.user.id, otherPatientId],
    );
    expect(await h.deps.access.check(asAdmin, otherPatientId)).toEqual({ allowed: true, basis: 'break-glass' });
    expect((await h.deps.access.check(asAdmin, patientId)).allowed).toBe(false);
  });

  describe('a PHI endpoint guarded by requirePatientAccess, and break the glass', () => {
    // A minimal PHI route built from the real parts, so the guard is tested independently of any one module.
    let app: express.Express;
    beforeAll(() => {
      const r = Router();
      mount(
        r,
        {
          method: 'get',
          path: '/phi/:patientId',
          summary: 'test',
          tags: ['test'],
          auth: 'patient:read',
          params: z.object({ patientId: z.string() }),
        },
        async (ctx) => {
          await requirePatientAccess(h.deps, ctx, ctx.params.patientId, {
            action: 'patient.read',
            resourceType: 'Patient',
            resourceId: ctx.params.patientId,
          });
          const p = await h.deps.fhir.read('Patient', ctx.params.patientId);
          return { id: p.id };
        },
      );
      app = express();
      app.use(express.json());
      app.use(authenticate(h.deps.tokens, h.deps.pg));
      app.use(r);
      app.use(h.app);
      app.use(errorHandler(h.deps.logger));
    });

    const auditFor = async (userId: string) => {
      await h.deps.audit.flush();
      return (
        await h.deps.pg.query<{
          action: string;
          outcome: string;
          purpose_of_use: string | null;
          patient_id: string | null;
          details: Record<string, unknown>;
        }>(
          'SELECT action, outcome, purpose_of_use, patient_id, details FROM audit_log WHERE user_id = $1 ORDER BY id',
          [userId],
        )
      ).rows;
    };

    it('denies and audits an unrelated clinician, who can break the glass with a reason; an admin reviews it', async () => {
      const doc = await createTestUser(h.deps, {
        role: 'physician',
        practitionerId: await createTestPractitioner(h.deps),
      });
      const denied = await request(app).get(`/phi/${otherPatientId}`).set(doc.auth).expect(403);
      expect(denied.body.error).toMatchObject({
        code: 'PATIENT_ACCESS_DENIED',
        details: { breakGlass: `/api/patients/${otherPatientId}/break-glass` },
      });

      const short = await request(app)
        .post(`/api/patients/${otherPatientId}/break-glass`)
        .set(doc.auth)
        .send({ reason: 'help' })
        .expect(400);
      expect(short.body.error.details[0].field).toBe('body.reason');
      await request(app)
        .post('/api/patients/does-not-exist-xyz/break-glass')
        .set(doc.auth)
        .send({ reason: 'Unconscious patient in the ED, no relative' })
        .expect(404);
      const grant = await request(app)
        .post(`/api/patients/${otherPatientId}/break-glass`)
        .set(doc.auth)
        .send({ reason: 'Unconscious patient in the ED, no relative', minutes: 30 })
        .expect(201);
      expect(grant.body.reviewRequired).toBe(true);

      await request(app).get(`/phi/${otherPatientId}`).set(doc.auth).expect(200);
      const rows = await auditFor(doc.user.id);
      expect(rows.map((r) => `${r.action}:${r.outcome}:${r.purpose_of_use ?? '-'}`)).toEqual([
        'patient.read:denied:-',
        'break-glass.open:success:ETREAT',
        'patient.read:success:ETREAT',
      ]);
      expect(JSON.stringify(rows)).not.toContain('Unconscious');

      const admin = await createTestUser(h.deps, { role: 'admin' });
      const queue = await request(app).get('/api/break-glass?status=unreviewed&limit=500').set(admin.auth).expect(200);
      const mine = queue.body.grants.find((g: { id: string }) => g.id === grant.body.id);
      expect(mine).toMatchObject({ patientId: otherPatientId, username: doc.user.username, active: true });
      await request(app)
        .post(`/api/break-glass/${grant.body.id}/review`)
        .set(doc.auth)
        .send({ outcome: 'appropriate', note: 'mine' })
        .expect(403);
      await request(app)
        .post(`/api/break-glass/${grant.body.id}/review`)
        .set(admin.auth)
        .send({ outcome: 'appropriate', note: 'ED emergency confirmed' })
        .expect(200);
      await request(app)
        .post(`/api/break-glass/${grant.body.id}/review`)
        .set(admin.auth)
        .send({ outcome: 'inappropriate', note: 'again' })
        .expect(409);

      // Time-boxed: once the grant has expired, access is gone again.
      await h.deps.pg.query("UPDATE break_glass_grants SET expires_at = now() - interval '1 second' WHERE id = $1", [
        grant.body.id,
      ]);
      await request(app).get(`/phi/${otherPatientId}`).set(doc.auth).expect(403);
    });

    it('refuses break the glass to patients and to staff who already have access', async () => {
      const portal = await createTestUser(h.deps, { role: 'patient', patientId });
      await request(app)
        .post(`/api/patients/${otherPatientId}/break-glass`)
        .set(portal.auth)
        .send({ reason: 'I want to see it please' })
        .expect(403);
      const nurse = await createTestUser(h.deps, { role: 'nurse' });
      await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
        nurse.user.id,
        patientId,
      ]);
      const dup = await request(app)
        .post(`/api/patients/${patientId}/break-glass`)
        .set(nurse.auth)
        .send({ reason: 'Already assigned but trying' })
        .expect(409);
      expect(dup.body.error.code).toBe('ACCESS_EXISTS');
    });

    it('records the outcome of the allowed request itself (a HAPI 404 after the check is a failure)', async () => {
      const nurse = await createTestUser(h.deps, { role: 'nurse' });
      await h.deps.pg.query(
        "INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, 'no-such-patient-here', 'test')",
        [nurse.user.id],
      );
      await request(app).get('/phi/no-such-patient-here').set(nurse.auth).expect(404);
      const rows = await auditFor(nurse.user.id);
      expect(rows.at(-1)).toMatchObject({
        action: 'patient.read',
        outcome: 'failure',
        patient_id: 'no-such-patient-here',
        purpose_of_use: 'TREAT',
      });
    });
  });
});
