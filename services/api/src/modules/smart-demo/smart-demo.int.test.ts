/**
 * "A real SMART client passes against the local stack": fhirclient's browser build, served by the API as the
 * demo app, runs in headless Chromium against the real app (listening on a loopback port that is also its
 * PUBLIC_BASE_URL) on the real HAPI, PostgreSQL and Redis. Standalone launch with PKCE by a portal patient,
 * EHR launch started through the business API by a physician, and a denied consent.
 * Screenshots of every step go to .data/e2e-artifacts/smart/.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { codeIn, NotifySimulators } from '../../test-support/notify-simulators';
import {
  createTestPatient,
  createTestPractitioner,
  createTestUser,
  TEST_PASSWORD,
  type TestUser,
} from '../../test-support/users';
import {
  callbackValues,
  closeServer,
  findChromium,
  freePort,
  listen,
  pageProblems,
  screenshots,
  settledStatus,
} from './browser.test-util';
import { demoCsp } from './smart-demo.router';

const chromiumExe = findChromium();
if (!chromiumExe.path) console.warn(`[smart-demo] SKIPPED browser tests: ${chromiumExe.why}`);
const describeBrowser = chromiumExe.path ? describe : describe.skip;

type App = Awaited<ReturnType<typeof buildTestApp>>;
let t: App;
let server: http.Server;
let browser: Browser;
let base: string;
let admin: TestUser;
let portalUser: TestUser;
let physician: TestUser;
let practitionerId: string;
let patientA: string;
let patientB: string;
const OBS_A = 7;
const OBS_B = 3;
const clientId = `smart-demo-${RUN_ID}`;
const shot = screenshots('smart');

async function createObservations(patientId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await t.deps.fhir.create<fhir4.Observation>({
      resourceType: 'Observation',
      status: 'final',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/observation-category',
              code: i % 2 ? 'vital-signs' : 'laboratory',
            },
          ],
        },
      ],
      code: {
        coding: [
          { system: 'http://loinc.org', code: i % 2 ? '8867-4' : '2345-7', display: i % 2 ? 'Heart rate' : 'Glucose' },
        ],
      },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: new Date(Date.UTC(2026, 0, 1 + i, 8)).toISOString(),
      valueQuantity:
        i % 2
          ? { value: 60 + i, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' }
          : { value: 90 + i, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
      identifier: [{ system: 'urn:wintehr:test', value: `${RUN_ID}-${randomUUID().slice(0, 8)}` }],
    });
  }
}

const sims = new NotifySimulators();
const PATIENT_EMAIL = `demo-alpha-${RUN_ID}@example.org`;
let mailsSeen = 0;

/** Our authorization pages: sign in, then approve (or deny) every requested scope on the consent screen. */
async function signInAndConsent(page: Page, user: TestUser, decision: 'allow' | 'deny', step: string): Promise<void> {
  await page.waitForURL(/\/oauth\/authorize\?/, { timeout: 20_000 });
  await page.locator('#username').waitFor();
  await shot(page, `${step}-login`);
  await page.fill('#username', user.user.username);
  await page.fill('#password', TEST_PASSWORD);
  await page.click('button[type=submit]');
  const consent = page.locator(`button[name="decision"][value="${decision}"]`);
  // A patient's second step: the code the mail simulator received (staff test users have no MFA here).
  const code = page.locator('#code');
  await consent.or(code).first().waitFor({ timeout: 20_000 });
  if (await code.isVisible()) {
    const mail = await sims.waitForMail(PATIENT_EMAIL, ++mailsSeen);
    await code.fill(codeIn(mail.text));
    await shot(page, `${step}-code`);
    await page.click('button[type=submit]');
  }
  await consent.waitFor({ timeout: 20_000 });
  await shot(page, `${step}-consent`);
  await page.click(`button[name="decision"][value="${decision}"]`);
  await page.waitForURL(/\/smart-demo\/callback/, { timeout: 20_000 });
}

async function newPage(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page, problems: pageProblems(page) };
}

describeBrowser('SMART demo app (fhirclient in headless Chromium)', () => {
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await sims.start();
    t = await buildTestApp({ env: { PUBLIC_BASE_URL: base, ...sims.env() } });
    server = await listen(t.app, port);
    browser = await chromium.launch({ executablePath: chromiumExe.path, headless: true, args: ['--no-sandbox'] });

    patientA = await createTestPatient(t.deps, 'Demoalpha');
    const a = await t.deps.fhir.read('Patient', patientA);
    await t.deps.fhir.update({ ...a, telecom: [{ system: 'email', value: PATIENT_EMAIL }] });
    patientB = await createTestPatient(t.deps, 'Demobeta');
    await createObservations(patientA, OBS_A);
    await createObservations(patientB, OBS_B);
    practitionerId = await createTestPractitioner(t.deps);
    admin = await createTestUser(t.deps, { role: 'admin' });
    portalUser = await createTestUser(t.deps, { role: 'patient', patientId: patientA });
    physician = await createTestUser(t.deps, { role: 'physician', practitionerId });
    await t.deps.pg.query('INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1,$2,$3)', [
      physician.user.id,
      patientB,
      'smart demo browser test',
    ]);

    // Our own public client (the seeded wintehr-demo-app exists only in demo mode, with the default base URL).
    const reg = await request(t.app)
      .post('/api/smart/clients')
      .set(admin.auth)
      .send({
        clientId,
        name: 'SMART demo app (browser test)',
        type: 'public',
        redirectUris: [`${base}/smart-demo/callback`],
        launchUrl: `${base}/smart-demo/launch?clientId=${clientId}`,
        allowedScopes: [
          'openid',
          'fhirUser',
          'launch',
          'launch/patient',
          'launch/encounter',
          'offline_access',
          'online_access',
          'patient/*.rs',
          'user/*.rs',
        ],
      });
    expect(reg.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await closeServer(server);
    await t?.close();
    await sims.stop();
  });

  it('serves the pages, the scripts and fhirclient under a strict CSP without inline code', async () => {
    const launch = await request(t.app).get('/smart-demo/launch');
    expect(launch.status).toBe(200);
    expect(launch.headers['content-security-policy']).toBe(demoCsp(base));
    expect(launch.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(launch.text).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>|<style/);
    expect(launch.text).toContain('data-client-id="wintehr-demo-app"');
    const lib = await request(t.app).get('/smart-demo/fhir-client.js');
    expect(lib.status).toBe(200);
    expect(lib.headers['content-type']).toMatch(/javascript/);
    expect(String(lib.text ?? lib.body).length).toBeGreaterThan(10_000);
    for (const f of ['launch.js', 'callback.js', 'style.css'])
      expect((await request(t.app).get(`/smart-demo/${f}`)).status).toBe(200);
  });

  it('standalone launch with PKCE: a portal patient signs in, consents, and the app reads only their Observations (across pages)', async () => {
    const { context, page, problems } = await newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    try {
      // count=3: the Observation search spans three pages, so fhirclient follows the gate's next links.
      await page.goto(
        `${base}/smart-demo/launch?iss=${encodeURIComponent(`${base}/fhir`)}&clientId=${clientId}&count=3`,
      );
      const authorizeUrl = new URL(
        await (async () => {
          await page.waitForURL(/\/oauth\/authorize\?/);
          return page.url();
        })(),
      );
      expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorizeUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(authorizeUrl.searchParams.get('aud')).toBe(`${base}/fhir`);
      expect(authorizeUrl.searchParams.get('launch')).toBeNull();
      await signInAndConsent(page, portalUser, 'allow', 'standalone');
      const status = await settledStatus(page, 40_000);
      await shot(page, 'standalone-callback');
      const v = await callbackValues(page);
      expect({ status, error: v.error, problems }).toEqual({ status: 'ready', error: '', problems: [] });
      expect(v['patient-id']).toBe(patientA);
      expect(v['patient-name']).toBe('Test Demoalpha');
      expect(Number(v['observation-count'])).toBe(OBS_A);
      expect(v['observation-subjects']).toBe(`Patient/${patientA}`);
      expect(await page.locator('[data-testid="observation"]').count()).toBe(5);
      // Three search pages (3+3+1), every one through the façade: the browser never saw HAPI's address.
      const searchPages = requested.filter(
        (u) => u.startsWith(`${base}/fhir`) && !/\/fhir\/(Patient\/|\.well-known\/)/.test(u),
      );
      expect(searchPages).toHaveLength(3);
      expect(requested.filter((u) => !u.startsWith(base) && !u.startsWith('data:'))).toEqual([]);
      // Everything the demo asked for was left ticked on the consent screen, so everything is granted.
      expect(v['granted-scope'].split(' ').sort()).toEqual([
        'fhirUser',
        'launch',
        'launch/patient',
        'offline_access',
        'openid',
        'patient/Observation.rs',
        'patient/Patient.rs',
      ]);
      expect(v['id-token']).toBe('present');
      expect(v['fhir-user']).toBe(`Patient/${patientA}`);
      expect(v['refresh-token']).toBe('present');
      expect(v['need-patient-banner']).toBe('true');
      expect(v['encounter-id']).toBe('');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('EHR launch: a physician launches the app from the EHR (POST /api/smart/launch) for an assigned patient', async () => {
    const launched = await request(t.app)
      .post('/api/smart/launch')
      .set(physician.auth)
      .send({ clientId, patientId: patientB });
    expect(launched.status).toBe(200);
    const launchUrl = new URL(launched.body.launchUrl as string);
    expect(launchUrl.origin + launchUrl.pathname).toBe(`${base}/smart-demo/launch`);
    expect(launchUrl.searchParams.get('iss')).toBe(`${base}/fhir`);
    expect(launchUrl.searchParams.get('launch')).toBeTruthy();

    const { context, page, problems } = await newPage();
    try {
      await page.goto(launchUrl.toString());
      await page.waitForURL(/\/oauth\/authorize\?/);
      expect(new URL(page.url()).searchParams.get('launch')).toBe(launchUrl.searchParams.get('launch'));
      await signInAndConsent(page, physician, 'allow', 'ehr');
      const status = await settledStatus(page, 40_000);
      await shot(page, 'ehr-callback');
      const v = await callbackValues(page);
      expect({ status, error: v.error, problems }).toEqual({ status: 'ready', error: '', problems: [] });
      expect(v['patient-id']).toBe(patientB);
      expect(v['patient-name']).toBe('Test Demobeta');
      expect(Number(v['observation-count'])).toBe(OBS_B);
      expect(v['observation-subjects']).toBe(`Patient/${patientB}`);
      expect(v['granted-scope'].split(' ')).toEqual(
        expect.arrayContaining(['launch', 'openid', 'fhirUser', 'patient/Observation.rs']),
      );
      expect(v['fhir-user']).toBe(`Practitioner/${practitionerId}`);
      // The launch value is single-use: replaying the same launch URL ends in an error at the app, not a token.
      const replay = await newPage();
      try {
        await replay.page.goto(launchUrl.toString());
        await replay.page.waitForURL(/\/smart-demo\/callback\?.*error=invalid_request/, { timeout: 20_000 });
        expect(await settledStatus(replay.page)).toBe('error');
        await shot(replay.page, 'ehr-replayed-launch');
      } finally {
        await replay.context.close();
      }
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a denied consent reaches the app as access_denied and no token', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${base}/smart-demo/launch?iss=${encodeURIComponent(`${base}/fhir`)}&clientId=${clientId}`);
      await signInAndConsent(page, portalUser, 'deny', 'denied');
      expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
      expect(await settledStatus(page)).toBe('error');
      await shot(page, 'denied-callback');
      expect(await page.textContent('[data-testid="error"]')).toContain('access_denied');
      expect(await page.locator('[data-testid="result"]').isHidden()).toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);
});
