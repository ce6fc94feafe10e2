import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestUser, type TestUser } from '../../test-support/users';
import { codeIn, NotifySimulators, tokenIn } from '../../test-support/notify-simulators';

const sims = new NotifySimulators();
let h: Awaited<ReturnType<typeof buildTestApp>>;
let doc: TestUser;
const PASSWORD = 'Portal-Passw0rd-2026!';

beforeAll(async () => {
  await sims.start();
  h = await buildTestApp({ env: { ...sims.env(), PORTAL_OTP_RESEND_SECONDS: '2' } });
  doc = await createTestUser(h.deps, { role: 'physician' });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await sims.stop();
});

const tag = () => `${RUN_ID}${randomUUID().slice(0, 6)}`.toLowerCase();

/** A chart with the given contacts, assigned to the test physician. */
async function patientWith(telecom: fhir4.ContactPoint[]): Promise<string> {
  const p = await h.deps.fhir.create<fhir4.Patient>({
    resourceType: 'Patient',
    active: true,
    identifier: [{ system: 'urn:wintehr:mrn', value: `MRN-${tag()}` }],
    name: [{ use: 'official', family: 'Portalia', given: ['Rosa'] }],
    telecom,
    birthDate: '1975-03-02',
  });
  await h.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
    doc.user.id,
    p.id,
  ]);
  return p.id!;
}

const invite = (patientId: string, channel: 'email' | 'sms', who = doc) =>
  request(h.app).post('/api/portal-accounts/invitations').set(who.auth).send({ patientId, channel });
const activate = (token: string, username: string, password = PASSWORD) =>
  request(h.app).post('/api/portal-accounts/activate').send({ token, username, password });
const login = (username: string, password = PASSWORD) =>
  request(h.app).post('/api/auth/login').set('user-agent', 'jest-portal/1.0').send({ username, password });
const otp = (otpToken: string, code: string) =>
  request(h.app).post('/api/auth/login/otp').set('user-agent', 'jest-portal/1.0').send({ otpToken, code });

/** Invites by email, activates from the mailed link, returns the username and address. */
async function activatedPatient(): Promise<{ username: string; email: string; patientId: string }> {
  const email = `rosa.${tag()}@example.org`;
  const patientId = await patientWith([{ system: 'email', value: email }]);
  await invite(patientId, 'email').expect(201);
  const mail = await sims.waitForMail(email);
  const username = `rosa.${tag()}`;
  await activate(tokenIn(mail.text), username).expect(201);
  return { username, email, patientId };
}

/** Password, then the mailed code: a full patient sign-in. */
async function signIn(username: string, email: string) {
  const before = (await sims.mails(email)).length;
  const first = await login(username).expect(200);
  expect(first.body.status).toBe('otp_required');
  const mail = await sims.waitForMail(email, before + 1);
  const done = await otp(first.body.otpToken, codeIn(mail.text)).expect(200);
  expect(done.body.status).toBe('authenticated');
  return done.body as { accessToken: string; refreshToken: string };
}

describe('portal invitation and activation', () => {
  it('sends a single-use link to the chart email; the account activates once and is linked to the Patient', async () => {
    const email = `rosa.${tag()}@example.org`;
    const patientId = await patientWith([{ system: 'email', value: email }]);
    const sent = await invite(patientId, 'email').expect(201);
    expect(sent.body).toMatchObject({ patientId, channel: 'email', sentTo: `r***@example.org`, revokedEarlier: 0 });
    expect(new Date(sent.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(71 * 3600 * 1000);
    const mail = await sims.waitForMail(email);
    expect(mail.text).toContain('/portal/activate?token=');
    const token = tokenIn(mail.text);
    const { rows } = await h.deps.pg.query('SELECT token_hash FROM portal_invitations WHERE patient_id = $1', [
      patientId,
    ]);
    expect(rows[0].token_hash).not.toBe(token);

    const username = `rosa.${tag()}`;
    await activate(token, username, 'weakpass').expect(400);
    const ok = await activate(token, username).expect(201);
    expect(ok.body).toEqual({ username, displayName: 'Rosa Portalia' });
    const user = await h.deps.pg.query('SELECT role, fhir_patient_id FROM users WHERE username = $1', [username]);
    expect(user.rows[0]).toEqual({ role: 'patient', fhir_patient_id: patientId });

    const again = await activate(token, `other.${tag()}`).expect(410);
    expect(again.body.error.code).toBe('INVITATION_USED');
    const reinvite = await invite(patientId, 'email').expect(409);
    expect(reinvite.body.error.code).toBe('PORTAL_ACCOUNT_EXISTS');
  });

  it('re-inviting revokes the earlier link; an expired link is refused', async () => {
    const email = `rosa.${tag()}@example.org`;
    const patientId = await patientWith([{ system: 'email', value: email }]);
    await invite(patientId, 'email').expect(201);
    const first = tokenIn((await sims.waitForMail(email)).text);
    const second = await invite(patientId, 'email').expect(201);
    expect(second.body.revokedEarlier).toBe(1);
    const latest = tokenIn((await sims.waitForMail(email, 2)).text);
    expect((await activate(first, `a.${tag()}`).expect(410)).body.error.code).toBe('INVITATION_REVOKED');

    await h.deps.pg.query("UPDATE portal_invitations SET expires_at = now() - interval '1 second' WHERE id = $1", [
      second.body.id,
    ]);
    expect((await activate(latest, `b.${tag()}`).expect(410)).body.error.code).toBe('INVITATION_EXPIRED');
    expect((await activate('x'.repeat(43), `c.${tag()}`).expect(400)).body.error.code).toBe('INVITATION_INVALID');
  });

  it('sends by SMS to the mobile number on file, never to an address from the request', async () => {
    const patientId = await patientWith([{ system: 'phone', use: 'mobile', value: '(555) 010-4477' }]);
    const sent = await invite(patientId, 'sms').expect(201);
    expect(sent.body.sentTo).toBe('***-***-4477');
    const [text] = await sims.texts('+15550104477');
    expect(text?.body).toContain('/portal/activate?token=');
    await request(h.app)
      .post('/api/portal-accounts/invitations')
      .set(doc.auth)
      .send({ patientId, channel: 'email', email: 'attacker@example.org' })
      .expect(400);
    expect((await invite(patientId, 'email').expect(422)).body.error.code).toBe('NO_CONTACT_FOR_CHANNEL');
  });

  it('a patient cannot invite, and staff without a relationship to the patient cannot either', async () => {
    const patientId = await patientWith([{ system: 'email', value: `x.${tag()}@example.org` }]);
    const pt = await createTestUser(h.deps, { role: 'patient', patientId });
    expect((await invite(patientId, 'email', pt).expect(403)).body.error.code).toBe('INSUFFICIENT_PERMISSIONS');
    const stranger = await createTestUser(h.deps, { role: 'nurse' });
    expect((await invite(patientId, 'email', stranger).expect(403)).body.error.code).toBe('PATIENT_ACCESS_DENIED');
  });
});

describe('patient sign-in with a one-time code', () => {
  it('answers a challenge with the masked address; the mailed code works once and is stored hashed', async () => {
    const { username, email } = await activatedPatient();
    const first = await login(username).expect(200);
    expect(first.body).toMatchObject({
      status: 'otp_required',
      otpRequired: true,
      channel: 'email',
      sentTo: 'r***@example.org',
    });
    expect(first.body.accessToken).toBeUndefined();
    const code = codeIn((await sims.waitForMail(email, 1)).text);
    const stored = await h.deps.pg.query('SELECT code_hash FROM login_otp_challenges ORDER BY created_at DESC LIMIT 1');
    expect(stored.rows[0].code_hash).not.toContain(code);
    const done = await otp(first.body.otpToken, code).expect(200);
    expect(done.body).toMatchObject({ status: 'authenticated', user: { username, role: 'patient' } });
    const replay = await otp(first.body.otpToken, code).expect(401);
    expect(replay.body.error.code).toBe('OTP_CHALLENGE_INVALID');
  });

  it('locks the code after five wrong tries, even for the right code', async () => {
    const { username, email } = await activatedPatient();
    const first = await login(username).expect(200);
    const code = codeIn((await sims.waitForMail(email, 1)).text);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++)
      expect((await otp(first.body.otpToken, wrong).expect(401)).body.error.code).toBe('INVALID_OTP_CODE');
    expect((await otp(first.body.otpToken, wrong).expect(401)).body.error.code).toBe('OTP_LOCKED');
    expect((await otp(first.body.otpToken, code).expect(401)).body.error.code).toBe('OTP_LOCKED');
  });

  it('refuses an expired code; resend waits out its cool-down and sends a new code', async () => {
    const { username, email } = await activatedPatient();
    const first = await login(username).expect(200);
    const code = codeIn((await sims.waitForMail(email, 1)).text);
    const soon = await request(h.app).post('/api/auth/login/otp/resend').send({ otpToken: first.body.otpToken });
    expect(soon.status).toBe(429);
    await new Promise((r) => setTimeout(r, 2100));
    const again = await request(h.app)
      .post('/api/auth/login/otp/resend')
      .send({ otpToken: first.body.otpToken })
      .expect(200);
    expect(again.body).toMatchObject({ channel: 'email', sentTo: 'r***@example.org' });
    const fresh = codeIn((await sims.waitForMail(email, 2)).text);
    if (fresh !== code)
      expect((await otp(first.body.otpToken, code).expect(401)).body.error.code).toBe('INVALID_OTP_CODE');
    await h.deps.pg.query(
      "UPDATE login_otp_challenges SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE username = $1)",
      [username],
    );
    expect((await otp(first.body.otpToken, fresh).expect(401)).body.error.code).toBe('OTP_CHALLENGE_INVALID');
  });

  it('staff keep password (+ TOTP) sign-in without a mailed code', async () => {
    const nurse = await createTestUser(h.deps, { role: 'nurse' });
    const res = await request(h.app)
      .post('/api/auth/login')
      .send({ username: nurse.user.username, password: 'Test-Passw0rd-2026!' })
      .expect(200);
    expect(res.body.status).toBe('authenticated');
  });
});

describe('password reset and sessions', () => {
  it('always answers 202; a known account gets a 30-minute link that sets the password and ends every session', async () => {
    const { username, email } = await activatedPatient();
    const session = await signIn(username, email);
    const mailsBefore = (await sims.mails(email)).length;

    const unknown = await request(h.app)
      .post('/api/portal-accounts/password-reset')
      .send({ username: `nobody.${tag()}` })
      .expect(202);
    const known = await request(h.app).post('/api/portal-accounts/password-reset').send({ email }).expect(202);
    expect(known.body).toEqual(unknown.body);
    const mail = await sims.waitForMail(email, mailsBefore + 1);
    expect(mail.subject).toMatch(/reset/i);
    const token = tokenIn(mail.text);
    const row = await h.deps.pg.query(
      'SELECT extract(epoch FROM expires_at - created_at) AS ttl FROM password_resets WHERE user_id = (SELECT id FROM users WHERE username = $1)',
      [username],
    );
    expect(Number(row.rows[0].ttl)).toBe(1800);

    const newPassword = 'Brand-New-Passw0rd!';
    const done = await request(h.app)
      .post('/api/portal-accounts/password-reset/complete')
      .send({ token, password: newPassword })
      .expect(200);
    expect(done.body).toEqual({ status: 'password_changed', revokedSessions: 1 });
    await request(h.app).post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    await request(h.app).get('/api/auth/me').set('authorization', `Bearer ${session.accessToken}`).expect(401);
    const reused = await request(h.app)
      .post('/api/portal-accounts/password-reset/complete')
      .send({ token, password: 'Another-Passw0rd-9!' })
      .expect(410);
    expect(reused.body.error.code).toBe('RESET_USED');
    await login(username).expect(401);
    expect((await login(username, newPassword).expect(200)).body.status).toBe('otp_required');
    // Nothing was sent for the unknown account.
    expect(await sims.mails(`nobody.${tag()}@example.org`)).toEqual([]);
  });

  it('lists my sessions with this one marked, revokes one, and revokes all others', async () => {
    const { username, email } = await activatedPatient();
    const a = await signIn(username, email);
    const b = await signIn(username, email);
    const c = await signIn(username, email);
    const auth = { authorization: `Bearer ${a.accessToken}` };
    const list = await request(h.app).get('/api/auth/sessions').set(auth).expect(200);
    expect(list.body.sessions).toHaveLength(3);
    expect(list.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(list.body.sessions[0].userAgent).toBe('jest-portal/1.0');
    const other = list.body.sessions.find((s: { current: boolean }) => !s.current);
    await request(h.app).delete(`/api/auth/sessions/${other.id}`).set(auth).expect(200);
    await request(h.app).delete(`/api/auth/sessions/${other.id}`).set(auth).expect(404);
    const rest = await request(h.app).post('/api/auth/sessions/revoke-others').set(auth).expect(200);
    expect(rest.body.revoked).toBe(1);
    for (const s of [b, c])
      await request(h.app).post('/api/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
    await request(h.app).post('/api/auth/refresh').send({ refreshToken: a.refreshToken }).expect(200);
    // Another user's session id is not mine to revoke.
    const nurse = await createTestUser(h.deps, { role: 'nurse' });
    await request(h.app).delete(`/api/auth/sessions/${list.body.sessions[0].id}`).set(nurse.auth).expect(404);
  });
});
