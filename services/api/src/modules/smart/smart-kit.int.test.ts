/**
 * "SMART App Launch / ONC (g)(10) test-kit checks", written against the local stack (the Inferno kits need
 * Ruby and Docker). Each test names the kit check it mirrors. Real HAPI, PostgreSQL and Redis; supertest
 * drives the browser side of the dance (form posts and redirects) exactly as a browser would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestPatient, createTestUser, TEST_PASSWORD, type TestUser } from '../../test-support/users';
import { RUN_ID } from '../../test-support/test-env';
import { codeIn, NotifySimulators } from '../../test-support/notify-simulators';
import { seal } from '../../core/auth/secret-box';
import { newTotpSecret, totpFor } from '../auth/totp';
import { s256 } from './pkce';

type App = Awaited<ReturnType<typeof buildTestApp>>;
let t: App;
let admin: TestUser;
let physician: TestUser;
let patientUser: TestUser;
let patientId: string;
let otherPatientId: string;
const base = 'http://localhost:8000';
// Patients sign in to apps with a code sent by email, read here from the mail simulator.
const sims = new NotifySimulators();
const patientEmail = `kit-${RUN_ID}@example.org`;
let mailsSeen = 0;
const FHIR = `${base}/fhir`;
const TOKEN_URL = `${base}/oauth/token`;
const REDIRECT = 'http://127.0.0.1:9/callback';
const pubId = `kit-pub-${RUN_ID}`;
const ehrId = `kit-ehr-${RUN_ID}`;

const form = (o: Record<string, string | string[] | undefined>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(o))
    for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) u.append(k, x);
  return u.toString();
};
const hiddenFields = (html: string) => ({
  request_id: /name="request_id" value="([^"]+)"/.exec(html)?.[1] ?? '',
  csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
});
const verifier = () => `${randomUUID()}${randomUUID()}`.replace(/-/g, '');

async function registerClient(body: Record<string, unknown>) {
  const res = await request(t.app).post('/api/smart/clients').set(admin.auth).send(body);
  expect(res.status).toBe(201);
  return res.body as { clientId: string; clientSecret?: string };
}

function authorizeQuery(o: Partial<Record<string, string>> & { verifier?: string } = {}) {
  const v = o.verifier ?? verifier();
  const q: Record<string, string> = {
    response_type: 'code',
    client_id: pubId,
    redirect_uri: REDIRECT,
    state: `st-${randomUUID()}`,
    aud: FHIR,
    scope: 'launch/patient openid fhirUser offline_access patient/Patient.rs patient/Observation.rs',
    code_challenge: s256(v),
    code_challenge_method: 'S256',
  };
  for (const [k, val] of Object.entries(o))
    if (k !== 'verifier') {
      if (val === undefined) delete q[k];
      else q[k] = val;
    }
  return { q, verifier: v };
}

const post = (path: string, fields: Record<string, string | string[] | undefined>) =>
  request(t.app).post(path).type('form').send(form(fields));

/** Walks login → (patient picker) → consent and returns the redirect with the code. */
async function dance(
  user: TestUser,
  q: Record<string, string>,
  opts: { pick?: string; consent?: (scopes: string[]) => Record<string, string | string[]> } = {},
) {
  const start = await request(t.app).get('/oauth/authorize').query(q);
  expect(start.status).toBe(200);
  let page = await post('/oauth/authorize/login', {
    ...hiddenFields(start.text),
    username: user.user.username,
    password: TEST_PASSWORD,
  });
  if (page.text.includes('code we sent to')) page = await emailedCode(page);
  if (opts.pick) {
    expect(page.text).toContain('Select a patient');
    page = await post('/oauth/authorize/patient', { ...hiddenFields(page.text), patient_id: opts.pick });
  }
  if (page.status === 302) return page;
  expect(page.text).toContain('Allow');
  const scopes = [...page.text.matchAll(/name="scope" value="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  const fields = opts.consent ? opts.consent(scopes) : { scope: scopes };
  return post('/oauth/authorize/consent', { ...hiddenFields(page.text), decision: 'allow', ...fields });
}

/** The patient's second step: the code from the newest mail to their address. */
async function emailedCode(page: request.Response) {
  const mail = await sims.waitForMail(patientEmail, ++mailsSeen);
  return post('/oauth/authorize/mfa', { ...hiddenFields(page.text), code: codeIn(mail.text) });
}

const codeOf = (res: request.Response) => new URL(res.headers.location!).searchParams.get('code')!;
const tokenReq = (fields: Record<string, string | undefined>) => post('/oauth/token', fields);

async function auditRows(clientId: string, action: string) {
  await t.deps.audit.flush();
  return (
    await t.deps.pg.query<{ outcome: string; details: Record<string, unknown> }>(
      'SELECT outcome, details FROM audit_log WHERE client_id = $1 AND action = $2 ORDER BY id',
      [clientId, action],
    )
  ).rows;
}
async function expectAudited(clientId: string, action: string, error: string) {
  const rows = await auditRows(clientId, action);
  expect(rows.some((r) => r.details?.error === error)).toBe(true);
}

beforeAll(async () => {
  await sims.start();
  t = await buildTestApp({ env: { PUBLIC_BASE_URL: base, ...sims.env() } });
  patientId = await createTestPatient(t.deps);
  const p = await t.deps.fhir.read('Patient', patientId);
  await t.deps.fhir.update({ ...p, telecom: [{ system: 'email', value: patientEmail }] });
  otherPatientId = await createTestPatient(t.deps);
  admin = await createTestUser(t.deps, { role: 'admin' });
  physician = await createTestUser(t.deps, { role: 'physician' });
  patientUser = await createTestUser(t.deps, { role: 'patient', patientId });
  await t.deps.pg.query('INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1,$2,$3)', [
    physician.user.id,
    patientId,
    'smart kit test',
  ]);
  const scopes = [
    'openid',
    'fhirUser',
    'launch',
    'launch/patient',
    'launch/encounter',
    'offline_access',
    'online_access',
    'patient/*.rs',
    'user/*.rs',
  ];
  await registerClient({
    clientId: pubId,
    name: 'Kit public app',
    type: 'public',
    redirectUris: [REDIRECT],
    allowedScopes: scopes,
  });
  await registerClient({
    clientId: ehrId,
    name: 'Kit EHR app',
    type: 'public',
    redirectUris: [REDIRECT],
    allowedScopes: scopes,
    launchUrl: 'http://127.0.0.1:9/launch',
  });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await sims.stop();
});

describe('Discovery (SMART kit: Well-known configuration, OpenID configuration)', () => {
  it('smart-configuration has absolute endpoints, S256 only, SMART 2 capabilities and open CORS', async () => {
    const res = await request(t.app).get('/fhir/.well-known/smart-configuration').set('Origin', 'https://app.example');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body.authorization_endpoint).toBe(`${base}/oauth/authorize`);
    expect(res.body.token_endpoint).toBe(TOKEN_URL);
    expect(res.body.code_challenge_methods_supported).toEqual(['S256']);
    for (const c of [
      'launch-ehr',
      'launch-standalone',
      'context-banner',
      'context-style',
      'permission-v2',
      'permission-v1',
      'client-confidential-asymmetric',
      'sso-openid-connect',
    ])
      expect(res.body.capabilities).toContain(c);
    expect(res.body.token_endpoint_auth_signing_alg_values_supported).toEqual(['RS384', 'ES384']);
  });
  it('demo mode seeds the public demo client wintehr-demo-app', async () => {
    const c = await t.deps.pg.query('SELECT client_type, redirect_uris FROM smart_clients WHERE client_id = $1', [
      'wintehr-demo-app',
    ]);
    expect(c.rows[0]?.client_type).toBe('public');
    expect(c.rows[0]?.redirect_uris).toContain('http://localhost:8000/smart-demo/callback');
  });
  it('openid-configuration: issuer, jwks_uri resolvable, RS256 id tokens, fhirUser claim', async () => {
    const res = await request(t.app).get('/.well-known/openid-configuration');
    expect(res.body.issuer).toBe(base);
    expect(res.body.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(res.body.claims_supported).toContain('fhirUser');
    const jwks = await request(t.app).get(new URL(res.body.jwks_uri).pathname);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
  });
  it('token endpoint answers a CORS preflight from any origin', async () => {
    const res = await request(t.app)
      .options('/oauth/token')
      .set('Origin', 'https://app.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('Standalone launch (SMART kit: Standalone Launch, ONC g10 Standalone Patient App)', () => {
  let tokens: Record<string, unknown>;
  it('patient user: login → consent with granular narrowing → code → token with PKCE', async () => {
    const { q, verifier: v } = authorizeQuery();
    const done = await dance(patientUser, q, {
      consent: (scopes) => ({ scope: scopes, 'narrow:patient/Observation.rs': 'laboratory' }),
    });
    expect(done.status).toBe(302);
    const loc = new URL(done.headers.location!);
    expect(loc.origin + loc.pathname).toBe(REDIRECT);
    expect(loc.searchParams.get('state')).toBe(q.state);
    const res = await tokenReq({
      grant_type: 'authorization_code',
      code: codeOf(done),
      redirect_uri: REDIRECT,
      client_id: pubId,
      code_verifier: v,
    });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    tokens = res.body;
    expect(res.body.token_type).toBe('Bearer');
    expect(res.body.patient).toBe(patientId);
    expect(res.body.need_patient_banner).toBe(true);
    expect(res.body.smart_style_url).toBe(`${base}/smart/style.json`);
    const scopes = String(res.body.scope).split(' ');
    expect(scopes).toEqual(
      expect.arrayContaining([
        'launch/patient',
        'openid',
        'fhirUser',
        'offline_access',
        'patient/Patient.rs',
        'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory',
      ]),
    );
    expect(scopes).not.toContain('patient/Observation.rs');
    expect(res.body.refresh_token).toEqual(expect.any(String));
    // id_token: RS256, aud = client id, fhirUser resolvable at the FHIR base (SMART kit: OpenID Connect).
    const jwks = createLocalJWKSet(t.deps.tokens.publicJwks as { keys: JWK[] });
    const { payload, protectedHeader } = await jwtVerify(res.body.id_token, jwks, { issuer: base, audience: pubId });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.fhirUser).toBe(`${FHIR}/Patient/${patientId}`);
    const style = await request(t.app).get('/smart/style.json');
    expect(style.body.color_background).toBeDefined();
  });

  it('refresh rotates; the rotated token replayed is invalid_grant and revokes the family (SMART kit: Token Refresh)', async () => {
    const r1 = await tokenReq({
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      client_id: pubId,
    });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(r1.body.scope).toBe(tokens.scope);
    const replay = await tokenReq({
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      client_id: pubId,
    });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    const afterFamilyRevoked = await tokenReq({
      grant_type: 'refresh_token',
      refresh_token: r1.body.refresh_token,
      client_id: pubId,
    });
    expect(afterFamilyRevoked.body.error).toBe('invalid_grant');
    await expectAudited(pubId, 'smart.token', 'invalid_grant');
  });

  it('introspect active → revoke → introspect exactly {"active":false} (ONC g10: Token Introspection, RFC 7009)', async () => {
    const active = await post('/oauth/introspect', { token: String(tokens.access_token) }).set(admin.auth);
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ active: true, client_id: pubId, patient: patientId });
    expect(active.body.scope).toBe(tokens.scope);
    const rv = await post('/oauth/revoke', { token: String(tokens.access_token), client_id: pubId });
    expect(rv.status).toBe(200);
    const inactive = await post('/oauth/introspect', { token: String(tokens.access_token) }).set(admin.auth);
    expect(inactive.body).toEqual({ active: false });
    const garbage = await post('/oauth/introspect', { token: 'not-a-token' }).set(admin.auth);
    expect(garbage.body).toEqual({ active: false });
    const noAuth = await post('/oauth/introspect', { token: String(tokens.access_token) });
    expect(noAuth.status).toBe(401);
    expect(noAuth.body.error).toBe('invalid_client');
  });

  it('staff user: patient picker offers only patients with a relationship; the pick becomes the context', async () => {
    const { q, verifier: v } = authorizeQuery({ scope: 'launch/patient openid fhirUser patient/*.rs' });
    const start = await request(t.app).get('/oauth/authorize').query(q);
    const picker = await post('/oauth/authorize/login', {
      ...hiddenFields(start.text),
      username: physician.user.username,
      password: TEST_PASSWORD,
    });
    expect(picker.text).toContain('Select a patient');
    expect(picker.text).toContain(patientId);
    const denied = await post('/oauth/authorize/patient', {
      ...hiddenFields(picker.text),
      patient_other: otherPatientId,
    });
    expect(denied.status).toBe(403);
    const consent = await post('/oauth/authorize/patient', { ...hiddenFields(denied.text), patient_id: patientId });
    expect(consent.text).toContain('Allow');
    const done = await post('/oauth/authorize/consent', {
      ...hiddenFields(consent.text),
      decision: 'allow',
      scope: ['launch/patient', 'openid', 'fhirUser', 'patient/*.rs'],
    });
    const res = await tokenReq({
      grant_type: 'authorization_code',
      code: codeOf(done),
      redirect_uri: REDIRECT,
      client_id: pubId,
      code_verifier: v,
    });
    expect(res.body.patient).toBe(patientId);
    expect(res.body.refresh_token).toBeUndefined();
    const { payload } = await jwtVerify(
      res.body.id_token,
      createLocalJWKSet(t.deps.tokens.publicJwks as { keys: JWK[] }),
      { audience: pubId },
    );
    expect(payload.fhirUser).toBeUndefined(); // this test physician has no Practitioner resource
  });

  it("refresh re-checks a staff user's relationship with the patient in context", async () => {
    const doc = await createTestUser(t.deps, { role: 'physician' });
    await t.deps.pg.query('INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1,$2,$3)', [
      doc.user.id,
      patientId,
      'smart kit test',
    ]);
    const { q, verifier: v } = authorizeQuery({ scope: 'launch/patient offline_access patient/*.rs' });
    const done = await dance(doc, q, { pick: patientId });
    const tok = await tokenReq({
      grant_type: 'authorization_code',
      code: codeOf(done),
      redirect_uri: REDIRECT,
      client_id: pubId,
      code_verifier: v,
    });
    expect(tok.body.refresh_token).toEqual(expect.any(String));
    await t.deps.pg.query('DELETE FROM patient_assignments WHERE user_id = $1', [doc.user.id]);
    t.deps.access.forget(doc.user.id, patientId);
    const res = await tokenReq({
      grant_type: 'refresh_token',
      refresh_token: tok.body.refresh_token,
      client_id: pubId,
    });
    expect(res.body.error).toBe('invalid_grant');
  });

  it('authorize by POST (authorize-post) and online_access: the refresh family keeps its fixed end', async () => {
    const { q, verifier: v } = authorizeQuery({ scope: 'launch/patient online_access patient/Patient.rs' });
    const start = await post('/oauth/authorize', q);
    expect(start.status).toBe(200);
    const consent = await emailedCode(
      await post('/oauth/authorize/login', {
        ...hiddenFields(start.text),
        username: patientUser.user.username,
        password: TEST_PASSWORD,
      }),
    );
    const done = await post('/oauth/authorize/consent', {
      ...hiddenFields(consent.text),
      decision: 'allow',
      scope: ['launch/patient', 'online_access', 'patient/Patient.rs'],
    });
    const tok = await tokenReq({
      grant_type: 'authorization_code',
      code: codeOf(done),
      redirect_uri: REDIRECT,
      client_id: pubId,
      code_verifier: v,
    });
    expect(tok.body.scope).toContain('online_access');
    // A public client may refresh without client_id (RFC 6749 §6; fhirclient sends none).
    const r1 = await tokenReq({ grant_type: 'refresh_token', refresh_token: tok.body.refresh_token });
    expect(r1.status).toBe(200);
    const ends = await t.deps.pg.query<{ offline: boolean; n: string }>(
      "SELECT offline, count(DISTINCT family_expires_at) AS n FROM smart_refresh_tokens WHERE family_id = (SELECT family_id FROM smart_refresh_tokens WHERE token_hash = encode(sha256($1::bytea), 'hex')) GROUP BY offline",
      [r1.body.refresh_token],
    );
    expect(ends.rows).toEqual([{ offline: false, n: '1' }]);
    // A narrower scope on refresh is allowed; a wider one is invalid_scope.
    const wider = await tokenReq({
      grant_type: 'refresh_token',
      refresh_token: r1.body.refresh_token,
      client_id: pubId,
      scope: 'patient/*.rs',
    });
    expect(wider.body.error).toBe('invalid_scope');
    const narrower = await tokenReq({
      grant_type: 'refresh_token',
      refresh_token: r1.body.refresh_token,
      client_id: pubId,
      scope: 'patient/Patient.rs online_access',
    });
    expect(narrower.body.scope).toBe('patient/Patient.rs online_access');
  });

  it('confidential asymmetric app: authorization_code with a private_key_jwt assertion (client-confidential-asymmetric)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: `asym-${RUN_ID}`, alg: 'ES384' };
    const id = `kit-asym-${RUN_ID}`;
    await registerClient({
      clientId: id,
      name: 'Kit asymmetric app',
      type: 'confidential',
      tokenEndpointAuthMethod: 'private_key_jwt',
      redirectUris: [REDIRECT],
      allowedScopes: ['launch/patient', 'patient/*.rs'],
      jwks: { keys: [jwk] },
    });
    const { q, verifier: v } = authorizeQuery({ client_id: id, scope: 'launch/patient patient/*.rs' });
    const done = await dance(patientUser, q);
    const a = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES384', kid: jwk.kid })
      .setIssuer(id)
      .setSubject(id)
      .setAudience(TOKEN_URL)
      .setJti(randomUUID())
      .setExpirationTime('4m')
      .sign(privateKey);
    const noAuth = await tokenReq({
      grant_type: 'authorization_code',
      code: codeOf(done),
      redirect_uri: REDIRECT,
      client_id: id,
      code_verifier: v,
    });
    expect(noAuth.body.error).toBe('invalid_client');
    const res = await tokenReq({
      grant_type: 'authorization_code',
      code: codeOf(done),
      redirect_uri: REDIRECT,
      code_verifier: v,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: a,
    });
    expect(res.status).toBe(200);
    expect(res.body.patient).toBe(patientId);
  });

  it('a replayed form post (old CSRF value) is refused', async () => {
    const { q } = authorizeQuery();
    const start = await request(t.app).get('/oauth/authorize').query(q);
    const fields = hiddenFields(start.text);
    await post('/oauth/authorize/login', {
      ...fields,
      username: patientUser.user.username,
      password: 'wrong-password-123',
    });
    const replay = await post('/oauth/authorize/login', {
      ...fields,
      username: patientUser.user.username,
      password: TEST_PASSWORD,
    });
    expect(replay.status).toBe(400);
    expect(replay.headers.location).toBeUndefined();
  });

  it('a patient signs in to an app with the code sent by email: the password alone is not enough', async () => {
    const { q } = authorizeQuery();
    const start = await request(t.app).get('/oauth/authorize').query(q);
    const step = await post('/oauth/authorize/login', {
      ...hiddenFields(start.text),
      username: patientUser.user.username,
      password: TEST_PASSWORD,
    });
    expect(step.status).toBe(200);
    expect(step.text).toMatch(/code we sent to k\*+@example\.org/);
    expect(step.text).not.toContain('Allow');
    const mail = await sims.waitForMail(patientEmail, ++mailsSeen);
    const wrong = codeIn(mail.text) === '000000' ? '111111' : '000000';
    const bad = await post('/oauth/authorize/mfa', { ...hiddenFields(step.text), code: wrong });
    expect(bad.status).toBe(401);
    expect(bad.text).toContain('That code is not valid');
    const consent = await post('/oauth/authorize/mfa', { ...hiddenFields(bad.text), code: codeIn(mail.text) });
    expect(consent.text).toContain('Allow');
  });

  it('login with MFA asks for the TOTP code before consent', async () => {
    const mfaUser = await createTestUser(t.deps, { role: 'patient', patientId });
    const secret = newTotpSecret();
    await t.deps.pg.query('UPDATE users SET mfa_enabled = true, totp_secret = $2 WHERE id = $1', [
      mfaUser.user.id,
      seal(t.deps.mfaKey, secret),
    ]);
    const { q } = authorizeQuery();
    const start = await request(t.app).get('/oauth/authorize').query(q);
    const mfa = await post('/oauth/authorize/login', {
      ...hiddenFields(start.text),
      username: mfaUser.user.username,
      password: TEST_PASSWORD,
    });
    expect(mfa.text).toContain('Two-factor authentication');
    const bad = await post('/oauth/authorize/mfa', { ...hiddenFields(mfa.text), code: '000000' });
    expect(bad.status).toBe(401);
    const consent = await post('/oauth/authorize/mfa', {
      ...hiddenFields(bad.text),
      code: totpFor(secret, mfaUser.user.username).generate(),
    });
    expect(consent.text).toContain('Allow');
  });
});

describe('EHR launch (SMART kit: EHR Launch, ONC g10 EHR Practitioner App)', () => {
  it('web app launch → launch value bound to user, patient and encounter → token with context', async () => {
    const apps = await request(t.app).get('/api/smart/apps').set(physician.auth);
    expect(apps.body.apps.some((a: { clientId: string }) => a.clientId === ehrId)).toBe(true);
    const l = await request(t.app)
      .post('/api/smart/launch')
      .set(physician.auth)
      .send({ clientId: ehrId, patientId, encounterId: 'enc-1' });
    expect(l.status).toBe(200);
    const launchUrl = new URL(l.body.launchUrl);
    expect(launchUrl.searchParams.get('iss')).toBe(FHIR);
    const launch = launchUrl.searchParams.get('launch')!;
    const { q, verifier: v } = authorizeQuery({ client_id: ehrId, launch, scope: 'launch openid fhirUser user/*.rs' });
    const done = await dance(physician, q);
    expect(done.status).toBe(302);
    const res = await tokenReq({
      grant_type: 'authorization_code',
      code: codeOf(done),
      redirect_uri: REDIRECT,
      client_id: ehrId,
      code_verifier: v,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ patient: patientId, encounter: 'enc-1', need_patient_banner: false });
    expect(res.body.scope.split(' ')).toContain('launch');
    // Single use: the same launch value again fails.
    const again = await request(t.app)
      .get('/oauth/authorize')
      .query(authorizeQuery({ client_id: ehrId, launch, scope: 'launch openid' }).q);
    expect(again.status).toBe(302);
    expect(new URL(again.headers.location!).searchParams.get('error')).toBe('invalid_request');
  });
  it('launch for a patient without a relationship is refused (403, audited); another user cannot use a launch value', async () => {
    const denied = await request(t.app)
      .post('/api/smart/launch')
      .set(physician.auth)
      .send({ clientId: ehrId, patientId: otherPatientId });
    expect(denied.status).toBe(403);
    const l = await request(t.app).post('/api/smart/launch').set(physician.auth).send({ clientId: ehrId, patientId });
    const launch = new URL(l.body.launchUrl).searchParams.get('launch')!;
    const other = await createTestUser(t.deps, { role: 'nurse' });
    const done = await dance(other, authorizeQuery({ client_id: ehrId, launch, scope: 'launch openid user/*.rs' }).q);
    expect(done.status).toBe(302);
    expect(new URL(done.headers.location!).searchParams.get('error')).toBe('invalid_request');
    await expectAudited(ehrId, 'smart.authorize', 'invalid_request');
  });
});

describe('Authorization negative cases (SMART kit: Invalid AUD, PKCE, ONC g10: invalid redirect/client)', () => {
  const errorOf = (res: request.Response) => new URL(res.headers.location!).searchParams.get('error');
  it('unknown client → error page, never a redirect (audited)', async () => {
    const res = await request(t.app)
      .get('/oauth/authorize')
      .query(authorizeQuery({ client_id: `nope-${RUN_ID}` }).q);
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const rows = await auditRows(`nope-${RUN_ID}`, 'smart.authorize');
    expect(rows[0]?.outcome).toBe('failure');
  });
  it('redirect_uri mismatch → error page, never a redirect', async () => {
    const res = await request(t.app)
      .get('/oauth/authorize')
      .query(authorizeQuery({ redirect_uri: 'http://127.0.0.1:9/callback/evil' }).q);
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
  });
  it.each([
    ['aud mismatch', 'invalid_request', { aud: 'https://evil.example/fhir' }],
    ['missing state', 'invalid_request', { state: undefined }],
    ['missing PKCE challenge', 'invalid_request', { code_challenge: undefined, code_challenge_method: undefined }],
    ['plain PKCE', 'invalid_request', { code_challenge_method: 'plain' }],
    ['malformed scope', 'invalid_scope', { scope: 'patient/Observation.sr openid' }],
    ['scope not allowed for the client', 'invalid_scope', { scope: 'launch/patient patient/*.cruds' }],
    ['system scope at authorize', 'invalid_scope', { scope: 'system/*.rs' }],
    ['response_type token', 'unsupported_response_type', { response_type: 'token' }],
  ])('%s → redirect with error %s and state, audited', async (_name, error, o) => {
    const { q } = authorizeQuery(o as Record<string, string>);
    const res = await request(t.app).get('/oauth/authorize').query(q);
    expect(res.status).toBe(302);
    expect(errorOf(res)).toBe(error);
    if (q.state) expect(new URL(res.headers.location!).searchParams.get('state')).toBe(q.state);
    await expectAudited(pubId, 'smart.authorize', error);
  });
  it('scope not allowed for the role: a patient asking user/ scopes → invalid_scope after login', async () => {
    const res = await dance(patientUser, authorizeQuery({ scope: 'openid user/*.rs' }).q);
    expect(res.status).toBe(302);
    expect(errorOf(res)).toBe('invalid_scope');
  });
  it('the user denies → access_denied', async () => {
    const { q } = authorizeQuery();
    const start = await request(t.app).get('/oauth/authorize').query(q);
    const consent = await emailedCode(
      await post('/oauth/authorize/login', {
        ...hiddenFields(start.text),
        username: patientUser.user.username,
        password: TEST_PASSWORD,
      }),
    );
    const res = await post('/oauth/authorize/consent', { ...hiddenFields(consent.text), decision: 'deny' });
    expect(errorOf(res)).toBe('access_denied');
  });
});

describe('Token endpoint negative cases (SMART kit: PKCE verifier, code reuse; ONC g10: invalid code)', () => {
  it('missing verifier → invalid_request; wrong verifier → invalid_grant; the right one still works once; reuse → invalid_grant and revokes', async () => {
    const { q, verifier: v } = authorizeQuery();
    const done = await dance(patientUser, q);
    const code = codeOf(done);
    const missing = await tokenReq({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: pubId,
    });
    expect(missing.body.error).toBe('invalid_request');
    const wrong = await tokenReq({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: pubId,
      code_verifier: verifier(),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    const badRedirect = await tokenReq({
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${REDIRECT}/x`,
      client_id: pubId,
      code_verifier: v,
    });
    expect(badRedirect.body.error).toBe('invalid_grant');
    const ok = await tokenReq({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: pubId,
      code_verifier: v,
    });
    expect(ok.status).toBe(200);
    const reuse = await tokenReq({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: pubId,
      code_verifier: v,
    });
    expect(reuse.body.error).toBe('invalid_grant');
    const intro = await post('/oauth/introspect', { token: ok.body.access_token }).set(admin.auth);
    expect(intro.body).toEqual({ active: false });
    const refresh = await tokenReq({
      grant_type: 'refresh_token',
      refresh_token: ok.body.refresh_token,
      client_id: pubId,
    });
    expect(refresh.body.error).toBe('invalid_grant');
    await expectAudited(pubId, 'smart.token', 'invalid_grant');
  });
  it('expired code → invalid_grant', async () => {
    const { q, verifier: v } = authorizeQuery();
    const code = codeOf(await dance(patientUser, q));
    await t.deps.pg.query(
      "UPDATE smart_authorization_codes SET expires_at = now() - interval '1 second' WHERE client_id = $1 AND used_at IS NULL",
      [pubId],
    );
    const res = await tokenReq({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: pubId,
      code_verifier: v,
    });
    expect(res.body.error).toBe('invalid_grant');
  });
  it('unknown client → 401 invalid_client; unsupported grant → unsupported_grant_type; JSON body → invalid_request', async () => {
    const unknown = await tokenReq({
      grant_type: 'authorization_code',
      code: 'x',
      redirect_uri: REDIRECT,
      client_id: `nope-${RUN_ID}`,
      code_verifier: verifier(),
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('invalid_client');
    await expectAudited(`nope-${RUN_ID}`, 'smart.token', 'invalid_client');
    const grant = await tokenReq({ grant_type: 'password', client_id: pubId });
    expect(grant.body.error).toBe('unsupported_grant_type');
    const json = await request(t.app).post('/oauth/token').send({ grant_type: 'authorization_code' });
    expect(json.body.error).toBe('invalid_request');
    const pubCc = await tokenReq({ grant_type: 'client_credentials', client_id: pubId, scope: 'system/*.rs' });
    expect(pubCc.body.error).toBe('unauthorized_client');
  });
});

describe('Backend Services (SMART kit: Backend Services, ONC g10 Bulk Data authorization)', () => {
  let server: http.Server;
  let jwksUri: string;
  type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  const keys: Record<string, { privateKey: PrivateKey; jwk: JWK }> = {};
  beforeAll(async () => {
    for (const alg of ['RS384', 'ES384'] as const) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      keys[alg] = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: `${alg}-${RUN_ID}`, alg } };
    }
    server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [keys.ES384!.jwk] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    await registerClient({
      clientId: `kit-bs-${RUN_ID}`,
      name: 'Kit backend',
      type: 'backend',
      allowedScopes: ['system/*.rs'],
      jwks: { keys: [keys.RS384!.jwk, keys.ES384!.jwk] },
    });
    await registerClient({
      clientId: `kit-bsu-${RUN_ID}`,
      name: 'Kit backend (jwks_uri)',
      type: 'backend',
      allowedScopes: ['system/Observation.rs'],
      jwksUri,
    });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const assertion = (
    alg: 'RS384' | 'ES384',
    clientId: string,
    o: { jti?: string; jku?: string; aud?: string; exp?: number } = {},
  ) =>
    new SignJWT({})
      .setProtectedHeader({ alg, kid: keys[alg]!.jwk.kid, typ: 'JWT', ...(o.jku ? { jku: o.jku } : {}) })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(o.aud ?? TOKEN_URL)
      .setJti(o.jti ?? randomUUID())
      .setExpirationTime(o.exp ?? Math.floor(Date.now() / 1000) + 240)
      .sign(keys[alg]!.privateKey);
  const cc = (a: string, scope = 'system/*.rs') =>
    tokenReq({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: a,
    });

  it.each(['RS384', 'ES384'] as const)('%s signed assertion (inline JWKS) → system token', async (alg) => {
    const res = await cc(await assertion(alg, `kit-bs-${RUN_ID}`));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'system/*.rs' });
    expect(res.body.refresh_token).toBeUndefined();
  });
  it('jwks_uri client with matching jku → token', async () => {
    const res = await cc(await assertion('ES384', `kit-bsu-${RUN_ID}`, { jku: jwksUri }), 'system/Observation.rs');
    expect(res.status).toBe(200);
  });
  it('jti replay → invalid_client (audited)', async () => {
    const a = await assertion('RS384', `kit-bs-${RUN_ID}`, { jti: `replay-${RUN_ID}` });
    expect((await cc(a)).status).toBe(200);
    const again = await cc(await assertion('RS384', `kit-bs-${RUN_ID}`, { jti: `replay-${RUN_ID}` }));
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid_client');
    await expectAudited(`kit-bs-${RUN_ID}`, 'smart.token', 'invalid_client');
  });
  it.each([
    ['wrong jku', { jku: 'https://evil.example/jwks.json' }],
    ['wrong aud', { aud: `${base}/token` }],
    ['exp too far ahead', { exp: Math.floor(Date.now() / 1000) + 3600 }],
    ['expired', { exp: Math.floor(Date.now() / 1000) - 120 }],
  ])('%s → invalid_client', async (_n, o) => {
    const res = await cc(await assertion('RS384', `kit-bs-${RUN_ID}`, o));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });
  it('jku on an inline-JWKS client, and non-system scopes → refused', async () => {
    expect((await cc(await assertion('RS384', `kit-bs-${RUN_ID}`, { jku: jwksUri }))).body.error).toBe(
      'invalid_client',
    );
    expect((await cc(await assertion('RS384', `kit-bs-${RUN_ID}`), 'patient/*.rs')).body.error).toBe('invalid_scope');
    expect((await cc(await assertion('ES384', `kit-bsu-${RUN_ID}`), 'system/*.rs')).body.error).toBe('invalid_scope');
  });
  it('a backend client introspects; its tokens are active', async () => {
    const tok = (await cc(await assertion('RS384', `kit-bs-${RUN_ID}`))).body.access_token;
    const res = await post('/oauth/introspect', {
      token: tok,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion('ES384', `kit-bs-${RUN_ID}`),
    });
    expect(res.body).toMatchObject({ active: true, client_id: `kit-bs-${RUN_ID}`, scope: 'system/*.rs' });
  });
});

describe('Client registration admin API', () => {
  let confidential: { clientId: string; clientSecret?: string };
  it('confidential client: secret returned once, stored hashed', async () => {
    const c = await registerClient({
      name: 'Kit confidential',
      type: 'confidential',
      redirectUris: [REDIRECT],
      allowedScopes: ['openid', 'patient/*.rs', 'launch/patient'],
    });
    confidential = c;
    expect(c.clientSecret).toEqual(expect.any(String));
    const row = await t.deps.pg.query('SELECT secret_hash FROM smart_clients WHERE client_id = $1', [c.clientId]);
    expect(row.rows[0].secret_hash).not.toBe(c.clientSecret);
    const got = await request(t.app).get(`/api/smart/clients/${c.clientId}`).set(admin.auth);
    expect(got.body.clientSecret).toBeUndefined();
    // A confidential client that sends no credentials is refused.
    const none = await tokenReq({ grant_type: 'refresh_token', refresh_token: 'x', client_id: c.clientId });
    expect(none.body.error).toBe('invalid_client');
  });
  it('client_secret_basic at the token endpoint: wrong secret → 401 invalid_client with a Basic challenge', async () => {
    const c = confidential;
    const bad = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x' }).auth(
      c.clientId,
      'wrong-secret',
    );
    expect(bad.status).toBe(401);
    expect(bad.body.error).toBe('invalid_client');
    expect(bad.headers['www-authenticate']).toMatch(/^Basic/);
    const good = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x' }).auth(
      c.clientId,
      c.clientSecret!,
    );
    expect(good.body.error).toBe('invalid_grant');
  });
  it('validation, permissions, conflicts, 404', async () => {
    expect(
      (
        await request(t.app)
          .post('/api/smart/clients')
          .set(physician.auth)
          .send({ name: 'x', type: 'public', redirectUris: [REDIRECT], allowedScopes: ['openid'] })
      ).status,
    ).toBe(403);
    const bad = await request(t.app)
      .post('/api/smart/clients')
      .set(admin.auth)
      .send({ name: 'x', type: 'public', redirectUris: [REDIRECT], allowedScopes: ['patient/Foo'] });
    expect(bad.status).toBe(400);
    expect(
      (
        await request(t.app)
          .post('/api/smart/clients')
          .set(admin.auth)
          .send({ clientId: pubId, name: 'x', type: 'public', redirectUris: [REDIRECT], allowedScopes: ['openid'] })
      ).status,
    ).toBe(409);
    expect(
      (
        await request(t.app)
          .post('/api/smart/clients')
          .set(admin.auth)
          .send({ name: 'x', type: 'backend', allowedScopes: ['system/*.rs'] })
      ).status,
    ).toBe(400);
    expect((await request(t.app).get(`/api/smart/clients/none-${RUN_ID}`).set(admin.auth)).status).toBe(404);
    expect(
      (await request(t.app).patch(`/api/smart/clients/kit-bs-${RUN_ID}`).set(admin.auth).send({ jwks: null })).status,
    ).toBe(400);
    expect(
      (await request(t.app).patch(`/api/smart/clients/${ehrId}`).set(admin.auth).send({ redirectUris: [] })).status,
    ).toBe(400);
    expect(
      (
        await request(t.app)
          .patch(`/api/smart/clients/${ehrId}`)
          .set(admin.auth)
          .send({ redirectUris: ['http://x.example/cb#frag'] })
      ).status,
    ).toBe(400);
    const patched = await request(t.app)
      .patch(`/api/smart/clients/${ehrId}`)
      .set(admin.auth)
      .send({ name: 'Kit EHR app (renamed)' });
    expect(patched.body.name).toBe('Kit EHR app (renamed)');
  });
});
