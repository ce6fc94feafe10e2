import { generateKeyPair, SignJWT, decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestUser, TEST_PASSWORD } from '../../test-support/users';

// The CommonJS module object itself (an ES namespace import would be a copy): the spy must see the service's calls.
const argon2: typeof import('@node-rs/argon2') = require('@node-rs/argon2');

type Harness = Awaited<ReturnType<typeof buildTestApp>>;

async function auditRows(h: Harness, where: string, params: unknown[]) {
  await h.deps.audit.flush();
  return (
    await h.deps.pg.query<{
      action: string;
      outcome: string;
      details: Record<string, unknown> | null;
      username: string | null;
    }>(`SELECT action, outcome, details, username FROM audit_log WHERE ${where} ORDER BY id`, params)
  ).rows;
}

describe('authentication: login, tokens, refresh, logout (real PostgreSQL and Redis)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await buildTestApp();
  });
  afterAll(() => h.close());

  // Rate limits per user and per client address (and TRUST_PROXY): login-rate-limit.int.test.ts.
  const login = (username: string, password = TEST_PASSWORD) =>
    request(h.app).post('/api/auth/login').send({ username, password });

  it('logs in, returns a short-lived RS256 token with a kid from the JWKS, and /me answers', async () => {
    const { user } = await createTestUser(h.deps, { role: 'nurse' });
    const res = await login(user.username).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.status).toBe('authenticated');
    expect(res.body.expiresIn).toBeLessThanOrEqual(900);
    const jwks = await request(h.app).get('/.well-known/jwks.json').expect(200);
    const header = JSON.parse(Buffer.from(res.body.accessToken.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('RS256');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    expect(jwks.body.keys[0].d).toBeUndefined();
    const me = await request(h.app)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ username: user.username, role: 'nurse' });
    expect(me.body.permissions).toContain('vitals:record');
    expect(me.body.permissions).not.toContain('medication:prescribe');
  });

  it('answers a wrong password and an unknown user identically, with the same hashing work, and audits both', async () => {
    const { user } = await createTestUser(h.deps, { role: 'physician' });
    const bodies = new Set<string>();
    // Timing is measured by counting argon2id verifications, not by a clock: a clock-based check fails on a busy
    // machine, while a missing dummy verification (the real enumeration risk) is caught here every time.
    const verify = jest.spyOn(argon2, 'verify');
    try {
      for (let i = 0; i < 3; i++) {
        verify.mockClear();
        const a = await login(user.username, 'Not-The-Passw0rd!').expect(401);
        const wrongCalls = verify.mock.calls.length;
        verify.mockClear();
        const b = await login(`nobody.${user.username}`, 'Not-The-Passw0rd!').expect(401);
        expect({ unknown: verify.mock.calls.length }).toEqual({ unknown: wrongCalls });
        expect(wrongCalls).toBe(1);
        for (const r of [a, b]) bodies.add(JSON.stringify({ code: r.body.error.code, message: r.body.error.message }));
      }
    } finally {
      verify.mockRestore();
    }
    expect([...bodies]).toEqual([
      JSON.stringify({ code: 'INVALID_CREDENTIALS', message: 'Invalid username or password' }),
    ]);
    const rows = await auditRows(h, "action = 'auth.login' AND (username = $1 OR username = $2)", [
      user.username,
      `nobody.${user.username}`,
    ]);
    expect(rows.filter((r) => r.outcome === 'failure' && r.details?.reason === 'bad_password')).toHaveLength(3);
    expect(rows.filter((r) => r.details?.reason === 'unknown_user')).toHaveLength(3);
  });

  it('locks the account after repeated failures with 423 and Retry-After, even for the right password', async () => {
    const { user } = await createTestUser(h.deps, { role: 'pharmacist' });
    for (let i = 0; i < h.deps.config.auth.maxFailures; i++) await login(user.username, 'Wrong-Passw0rd!!').expect(401);
    const locked = await login(user.username).expect(423);
    expect(locked.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    const rows = await auditRows(h, "action = 'auth.login' AND username = $1 AND outcome = 'denied'", [user.username]);
    expect(rows[0]?.details?.reason).toBe('locked');
  });

  it('keeps login working while Redis is down (per-instance fallback limiter), never a 500', async () => {
    const noRedis = await buildTestApp({ redisUrl: 'redis://127.0.0.1:9', env: { LOGIN_RATE_PER_USER: '2' } });
    try {
      const { user } = await createTestUser(noRedis.deps, { role: 'nurse' });
      await request(noRedis.app)
        .post('/api/auth/login')
        .send({ username: user.username, password: TEST_PASSWORD })
        .expect(200);
      // The fallback still limits: the per-user budget of 2 (the success reset it) is enforced in memory.
      await request(noRedis.app)
        .post('/api/auth/login')
        .send({ username: user.username, password: 'Wrong-Passw0rd!!' })
        .expect(401);
      await request(noRedis.app)
        .post('/api/auth/login')
        .send({ username: user.username, password: 'Wrong-Passw0rd!!' })
        .expect(401);
      await request(noRedis.app)
        .post('/api/auth/login')
        .send({ username: user.username, password: TEST_PASSWORD })
        .expect(429);
    } finally {
      await noRedis.close();
    }
  });

  it('rejects malformed login bodies with field details', async () => {
    const bad = await request(h.app)
      .post('/api/auth/login')
      .send({ username: '', password: 5, extra: true })
      .expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.username', 'body.password']));
    await request(h.app)
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send('{"username":')
      .expect(400);
    await request(h.app)
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ username: 'a', password: 'x'.repeat(2_000_000) }))
      .expect(413);
  });

  describe('forged, expired and revoked access tokens', () => {
    let good: string;
    beforeAll(async () => {
      const { user } = await createTestUser(h.deps, { role: 'physician' });
      good = (await login(user.username).expect(200)).body.accessToken;
    });
    const me = (token: string) => request(h.app).get('/api/auth/me').set('Authorization', `Bearer ${token}`);

    it('refuses alg: none', async () => {
      const [, payload] = good.split('.');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
      const res = await me(none).expect(401);
      expect(res.body.error.code).toBe('AUTHENTICATION_FAILED');
    });

    it('refuses a token signed with another key, even with our kid', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const claims = decodeJwt(good);
      const kid = JSON.parse(Buffer.from(good.split('.')[0]!, 'base64url').toString()).kid;
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
      await me(forged).expect(401);
    });

    it('refuses an expired token and a token for another purpose', async () => {
      const claims = decodeJwt(good);
      const expired = await h.deps.tokens.signRaw(
        { ...claims, exp: undefined, iat: undefined, jti: undefined },
        -120,
        h.deps.tokens.issuerUrl,
      );
      const res = await me(expired.token).expect(401);
      expect(res.body.error.details.reason).toBe('expired');
      const mfaOnly = await h.deps.tokens.signRaw(
        { ...claims, purpose: 'mfa_challenge', exp: undefined, iat: undefined, jti: undefined },
        60,
        h.deps.tokens.issuerUrl,
      );
      await me(mfaOnly.token).expect(401);
      await request(h.app).get('/api/auth/me').set('Authorization', 'Basic abc').expect(401);
    });

    it('audits refused tokens', async () => {
      const before = (await auditRows(h, "action = 'access.unauthenticated'", [])).length;
      await me('not.a.jwt').expect(401);
      const after = await auditRows(h, "action = 'access.unauthenticated'", []);
      expect(after.length).toBeGreaterThan(before);
      expect(after.at(-1)?.details?.route).toBe('/api/auth/me');
    });
  });

  it('rotates refresh tokens; reuse of a rotated token revokes the whole family; logout revokes the access token', async () => {
    const { user } = await createTestUser(h.deps, { role: 'nurse' });
    const first = (await login(user.username).expect(200)).body;
    const second = (
      await request(h.app).post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)
    ).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);

    const reuse = await request(h.app).post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reuse.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    // The legitimate holder's newer token died with the family.
    const dead = await request(h.app).post('/api/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
    expect(dead.body.error.code).toBe('INVALID_REFRESH_TOKEN');
    const audit = await auditRows(h, "action = 'auth.refresh' AND user_id = $1", [user.id]);
    expect(audit.map((r) => r.details?.reason ?? r.outcome)).toEqual(['success', 'reused', 'revoked']);

    const third = (await login(user.username).expect(200)).body;
    await request(h.app)
      .post('/api/auth/logout')
      .set('Authorization', `Bearer ${third.accessToken}`)
      .send({ refreshToken: third.refreshToken })
      .expect(204);
    const revoked = await request(h.app)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${third.accessToken}`)
      .expect(401);
    expect(revoked.body.error.details.reason).toBe('revoked');
    await request(h.app).post('/api/auth/refresh').send({ refreshToken: third.refreshToken }).expect(401);
  });

  it('enrols TOTP, then demands it at login; refuses a replayed code; recovery codes work once; step-up refreshes mfa_at', async () => {
    const { user } = await createTestUser(h.deps, { role: 'physician' });
    const token = (await login(user.username).expect(200)).body.accessToken;
    const auth = { Authorization: `Bearer ${token}` };
    const enrol = await request(h.app).post('/api/auth/mfa/enroll').set(auth).expect(200);
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/WintEHR:/);
    expect(enrol.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const totp = new TOTP({ secret: Secret.fromBase32(enrol.body.secret), digits: 6, period: 30, algorithm: 'SHA1' });
    await request(h.app)
      .post('/api/auth/mfa/activate')
      .set(auth)
      .send({ code: '000000' === totp.generate() ? '111111' : '000000' })
      .expect(401);
    const now = Date.now();
    const code = totp.generate({ timestamp: now });
    const activated = await request(h.app).post('/api/auth/mfa/activate').set(auth).send({ code }).expect(200);
    expect(activated.body.recoveryCodes).toHaveLength(10);

    const challenge = (await login(user.username).expect(200)).body;
    expect(challenge.status).toBe('mfa_required');
    expect(challenge.accessToken).toBeUndefined();
    // The mfa token is not an access token.
    await request(h.app).get('/api/auth/me').set('Authorization', `Bearer ${challenge.mfaToken}`).expect(401);

    const replay = await request(h.app)
      .post('/api/auth/login/mfa')
      .send({ mfaToken: challenge.mfaToken, code })
      .expect(401);
    expect(replay.body.error.code).toBe('MFA_CODE_REPLAYED');
    const next = totp.generate({ timestamp: now + 30_000 });
    const done = await request(h.app)
      .post('/api/auth/login/mfa')
      .send({ mfaToken: challenge.mfaToken, code: next })
      .expect(200);
    expect(done.body.status).toBe('authenticated');
    expect(decodeJwt(done.body.accessToken).mfa_at).toEqual(expect.any(Number));

    const rc = activated.body.recoveryCodes[0];
    const c2 = (await login(user.username).expect(200)).body;
    await request(h.app).post('/api/auth/login/mfa').send({ mfaToken: c2.mfaToken, recoveryCode: rc }).expect(200);
    const c3 = (await login(user.username).expect(200)).body;
    const usedTwice = await request(h.app)
      .post('/api/auth/login/mfa')
      .send({ mfaToken: c3.mfaToken, recoveryCode: rc })
      .expect(401);
    expect(usedTwice.body.error.code).toBe('INVALID_MFA_CODE');

    // Step-up with the last used code is a replay; once a minute has passed (simulated by ageing the burned
    // step instead of sleeping) a fresh code is accepted.
    const replayed = await request(h.app).post('/api/auth/step-up').set(auth).send({ code: next }).expect(401);
    expect(replayed.body.error.code).toBe('MFA_CODE_REPLAYED');
    await h.deps.pg.query('UPDATE users SET totp_last_step = totp_last_step - 2 WHERE id = $1', [user.id]);
    const stepUp = await request(h.app)
      .post('/api/auth/step-up')
      .set(auth)
      .send({ code: totp.generate({ timestamp: now }) })
      .expect(200);
    expect(stepUp.body.mfaAt).toBeGreaterThanOrEqual(Math.floor(now / 1000) - 1);
    const rows = await auditRows(h, "user_id = $1 AND action IN ('auth.mfa', 'auth.mfa.enroll', 'auth.step-up')", [
      user.id,
    ]);
    expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual([
      'auth.mfa.enroll:success',
      'auth.mfa:denied',
      'auth.mfa:success',
      'auth.mfa:success',
      'auth.mfa:failure',
      'auth.step-up:denied',
      'auth.step-up:success',
    ]);
  });

  it('requires enrolment at login for roles configured to need MFA', async () => {
    const strict = await buildTestApp({ env: { MFA_REQUIRED_ROLES: 'pharmacist' } });
    try {
      const { user } = await createTestUser(strict.deps, { role: 'pharmacist' });
      const res = await request(strict.app)
        .post('/api/auth/login')
        .send({ username: user.username, password: TEST_PASSWORD })
        .expect(200);
      expect(res.body.status).toBe('mfa_enrollment_required');
      expect(res.body.accessToken).toBeUndefined();
      await request(strict.app)
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${res.body.enrollmentToken}`)
        .expect(401);
      const enrol = await request(strict.app)
        .post('/api/auth/mfa/enroll')
        .set('X-MFA-Enrollment-Token', res.body.enrollmentToken)
        .expect(200);
      expect(enrol.body.secret).toMatch(/^[A-Z2-7]+=*$/);
    } finally {
      await strict.close();
    }
  });
});
