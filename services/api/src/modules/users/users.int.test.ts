import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestPatient, createTestUser, TEST_PASSWORD, type TestUser } from '../../test-support/users';

type Harness = Awaited<ReturnType<typeof buildTestApp>>;

describe('account administration (user:manage)', () => {
  let h: Harness;
  let admin: TestUser;
  let admin2: TestUser;
  beforeAll(async () => {
    h = await buildTestApp();
    admin = await createTestUser(h.deps, { role: 'admin' });
    admin2 = await createTestUser(h.deps, { role: 'admin' });
  });
  afterAll(() => h.close());
  const uname = (s: string) => `${s}.${RUN_ID}`.slice(0, 60);

  it('creates a physician with a FHIR Practitioner and PractitionerRole, who can then log in', async () => {
    const res = await request(h.app)
      .post('/api/users')
      .set(admin.auth)
      .send({
        username: uname('dr.new'),
        displayName: 'Dr. Ada Newton',
        role: 'physician',
        password: 'Str0ng-Enough-Pass!',
        deaNumber: 'AN1234563',
      })
      .expect(201);
    expect(res.body).toMatchObject({ role: 'physician', epcsApprovals: 0, epcsEnabled: false, mfaEnabled: false });
    expect(res.body.passwordHash ?? res.body.password_hash).toBeUndefined();
    const pr = await h.deps.fhir.read('PractitionerRole', res.body.fhirPractitionerRoleId);
    expect(pr.practitioner?.reference).toBe(`Practitioner/${res.body.fhirPractitionerId}`);
    expect(pr.code?.[0]?.coding?.[0]?.code).toBe('309343006');
    const practitioner = await h.deps.fhir.read('Practitioner', res.body.fhirPractitionerId);
    expect(practitioner.name?.[0]?.family).toBe('Newton');
    await request(h.app)
      .post('/api/auth/login')
      .send({ username: uname('dr.new'), password: 'Str0ng-Enough-Pass!' })
      .expect(200);

    await h.deps.audit.flush();
    const { rows } = await h.deps.pg.query(
      "SELECT 1 FROM audit_log WHERE action = 'user.create' AND resource_id = $1 AND user_id = $2",
      [res.body.id, admin.user.id],
    );
    expect(rows).toHaveLength(1);
  });

  it('validates: weak password, duplicate username, patient without or with an unknown Patient', async () => {
    const weak = await request(h.app)
      .post('/api/users')
      .set(admin.auth)
      .send({ username: uname('weak'), displayName: 'W', role: 'nurse', password: 'short' })
      .expect(400);
    expect(weak.body.error.details.map((d: { field: string }) => d.field)).toContain('body.password');
    const dupName = uname('dup');
    await request(h.app)
      .post('/api/users')
      .set(admin.auth)
      .send({ username: dupName, displayName: 'D', role: 'nurse', password: 'Str0ng-Enough-Pass!' })
      .expect(201);
    const dup = await request(h.app)
      .post('/api/users')
      .set(admin.auth)
      .send({ username: dupName, displayName: 'D', role: 'nurse', password: 'Str0ng-Enough-Pass!' })
      .expect(409);
    expect(dup.body.error.code).toBe('USERNAME_TAKEN');
    const noPatient = await request(h.app)
      .post('/api/users')
      .set(admin.auth)
      .send({ username: uname('pt1'), displayName: 'P', role: 'patient', password: 'Str0ng-Enough-Pass!' })
      .expect(400);
    expect(noPatient.body.error.details[0].field).toBe('body.fhirPatientId');
    const unknown = await request(h.app)
      .post('/api/users')
      .set(admin.auth)
      .send({
        username: uname('pt2'),
        displayName: 'P',
        role: 'patient',
        password: 'Str0ng-Enough-Pass!',
        fhirPatientId: 'nope-nope-nope',
      })
      .expect(400);
    expect(unknown.body.error.details[0]).toEqual({ field: 'body.fhirPatientId', message: 'unknown reference' });
    const bogusRole = await request(h.app)
      .post('/api/users')
      .set(admin.auth)
      .send({ username: uname('r'), displayName: 'R', role: 'superuser', password: 'Str0ng-Enough-Pass!' })
      .expect(400);
    expect(bogusRole.body.error.details[0].field).toBe('body.role');
  });

  it('needs two different admins for EPCS, never the prescriber themself', async () => {
    const doc = await createTestUser(h.deps, { role: 'physician', deaNumber: 'BD7654321' });
    const nurse = await createTestUser(h.deps, { role: 'nurse' });
    const one = await request(h.app).post(`/api/users/${doc.user.id}/epcs-approvals`).set(admin.auth).expect(200);
    expect(one.body).toMatchObject({ epcsApprovals: 1, epcsEnabled: false });
    const again = await request(h.app).post(`/api/users/${doc.user.id}/epcs-approvals`).set(admin.auth).expect(409);
    expect(again.body.error.code).toBe('EPCS_ALREADY_APPROVED');
    await request(h.app).post(`/api/users/${admin.user.id}/epcs-approvals`).set(admin.auth).expect(400); // an admin is no prescriber
    await request(h.app).post(`/api/users/${nurse.user.id}/epcs-approvals`).set(admin.auth).expect(400);
    const two = await request(h.app).post(`/api/users/${doc.user.id}/epcs-approvals`).set(admin2.auth).expect(200);
    expect(two.body).toMatchObject({ epcsApprovals: 2, epcsEnabled: true });
    const withdrawn = await request(h.app)
      .delete(`/api/users/${doc.user.id}/epcs-approvals`)
      .set(admin.auth)
      .expect(200);
    expect(withdrawn.body.epcsEnabled).toBe(false);
  });

  it('disables an account (its sessions die), unlocks and resets MFA', async () => {
    const { user } = await createTestUser(h.deps, { role: 'nurse' });
    const session = (
      await request(h.app)
        .post('/api/auth/login')
        .send({ username: user.username, password: TEST_PASSWORD })
        .expect(200)
    ).body;
    await request(h.app).patch(`/api/users/${user.id}`).set(admin.auth).send({ disabled: true }).expect(200);
    await request(h.app).post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    await request(h.app).post('/api/auth/login').send({ username: user.username, password: TEST_PASSWORD }).expect(401);
    await request(h.app).get('/api/auth/me').set('Authorization', `Bearer ${session.accessToken}`).expect(401);
    await request(h.app)
      .patch(`/api/users/${user.id}`)
      .set(admin.auth)
      .send({ disabled: false, unlock: true })
      .expect(200);
    await request(h.app).post('/api/auth/login').send({ username: user.username, password: TEST_PASSWORD }).expect(200);
    await request(h.app).patch(`/api/users/${admin.user.id}`).set(admin.auth).send({ disabled: true }).expect(400);
    await request(h.app).patch(`/api/users/${user.id}`).set(admin.auth).send({}).expect(400);
    await request(h.app).patch('/api/users/not-a-uuid').set(admin.auth).send({ unlock: true }).expect(400);
    await request(h.app)
      .patch('/api/users/00000000-0000-4000-8000-000000000000')
      .set(admin.auth)
      .send({ unlock: true })
      .expect(404);
  });

  it('assigns a patient to a clinician, which opens the chart; removing it closes it', async () => {
    const patientId = await createTestPatient(h.deps);
    const nurse = await createTestUser(h.deps, { role: 'nurse' });
    const principal = {
      userId: nurse.user.id,
      username: nurse.user.username,
      role: 'nurse' as const,
      tokenId: 'x',
      tokenExpiresAt: 0,
    };
    expect((await h.deps.access.check(principal, patientId)).allowed).toBe(false);
    await request(h.app)
      .post(`/api/users/${nurse.user.id}/assignments`)
      .set(admin.auth)
      .send({ patientId, reason: 'Ward 3 nursing' })
      .expect(204);
    expect(await h.deps.access.check(principal, patientId)).toEqual({ allowed: true, basis: 'assignment' });
    await request(h.app).delete(`/api/users/${nurse.user.id}/assignments/${patientId}`).set(admin.auth).expect(204);
    expect((await h.deps.access.check(principal, patientId)).allowed).toBe(false);
    await request(h.app).delete(`/api/users/${nurse.user.id}/assignments/${patientId}`).set(admin.auth).expect(404);
    await request(h.app)
      .post(`/api/users/${nurse.user.id}/assignments`)
      .set(admin.auth)
      .send({ patientId: 'missing-patient-1', reason: 'x y z' })
      .expect(400);
  });
});
