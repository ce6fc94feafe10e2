/**
 * SMART on FHIR from the chart: dr.wilson opens a patient's Apps tab and launches the demo SMART app (served by
 * the API at /smart-demo, a public client using fhirclient with PKCE). The app opens in a new tab with `iss` and a
 * single-use `launch`, dr.wilson signs in on the authorization pages and approves, and the app shows this
 * patient and this patient's Observations, read through the FHIR façade. Then an admin registers, disables and
 * deletes a SMART client on the administration page.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { apiCall } from './support/api';
import { sessionToken, signIn } from './support/session';
import { assertAccessible, DEMO_PASSWORD, launch, newPage, screenshots } from './support/browser';

const RUN = Date.now().toString(36);
const FAMILY = `Smarttest${RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;
const PATIENT_NAME = `Robin ${FAMILY}`;
const DEMO_APP = 'WintEHR demo SMART app';
const HEART_RATES = [64, 71, 78];

let browser: Browser;
let clinician: Page;
let adminPage: Page;
let clinicianToken: () => string;
let patientId = '';
const shot = screenshots(`smart-launch-${RUN}`);

before(async () => {
  browser = await launch();
  clinician = await newPage(browser);
  adminPage = await newPage(browser);
  for (const p of [clinician, adminPage]) p.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
  clinicianToken = sessionToken(clinician);
});

after(async () => {
  await browser?.close();
});

test('set-up: dr.wilson registers a patient of this run with three heart-rate readings', async () => {
  await signIn(clinician, 'dr.wilson');
  const token = clinicianToken();
  const p = await apiCall<{ id: string }>('POST', '/api/patients', token, {
    name: { family: FAMILY, given: ['Robin'] },
    birthDate: '1978-09-02',
    gender: 'male',
    mrn: `E2E-SM-${RUN}`.toUpperCase(),
  });
  patientId = p.id;
  for (const [i, value] of HEART_RATES.entries()) {
    await apiCall('POST', `/api/patients/${patientId}/vitals`, token, {
      kind: 'heart-rate',
      value,
      unit: '/min',
      effectiveDateTime: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
    });
  }
});

test("the chart's Apps tab lists the launchable SMART apps", async () => {
  await clinician.goto(`/patients/${patientId}`);
  await clinician.getByRole('region', { name: 'Patient banner' }).waitFor();
  await clinician.getByRole('tab', { name: 'Apps' }).click();
  const list = clinician.getByRole('list', { name: 'SMART apps' });
  await list.waitFor();
  await list.getByText(DEMO_APP, { exact: true }).waitFor();
  await clinician.getByRole('button', { name: `Launch ${DEMO_APP}` }).waitFor();
  await shot(clinician, 'apps-tab');
  await assertAccessible(clinician, 'SMART launcher');
});

test("an EHR launch opens the demo app in a new tab with this patient, and the app shows this patient's data", async () => {
  const me = await apiCall<{ fhirUser?: string }>('GET', '/api/auth/me', clinicianToken());
  const popup = clinician.context().waitForEvent('page');
  const launched = clinician.waitForResponse(
    (r) => r.url().endsWith('/api/smart/launch') && r.request().method() === 'POST',
  );
  await clinician.getByRole('button', { name: `Launch ${DEMO_APP}` }).click();
  const app = await popup;
  app.setDefaultTimeout(30_000);
  const launchResponse = await launched;
  assert.equal(launchResponse.status(), 200);
  const launchUrl = new URL(((await launchResponse.json()) as { launchUrl: string }).launchUrl);
  assert.match(launchUrl.pathname, /\/smart-demo\/launch$/);
  await clinician
    .getByRole('status')
    .filter({ hasText: `${DEMO_APP} opened in a new tab.` })
    .waitFor();

  // fhirclient sends the browser to our authorization endpoint with the launch value it was given.
  await app.waitForURL(/\/oauth\/authorize\?/);
  const iss = launchUrl.searchParams.get('iss') ?? '';
  const launchValue = launchUrl.searchParams.get('launch') ?? '';
  assert.match(iss, /\/fhir$/, 'iss is the FHIR base');
  assert.ok(launchValue.length >= 16, 'a launch value');
  const authorize = new URL(app.url());
  assert.equal(authorize.searchParams.get('launch'), launchValue);
  assert.equal(authorize.searchParams.get('aud'), iss);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(await app.evaluate(() => window.opener === null), true, 'the app cannot reach the EHR tab');

  await app.locator('#username').waitFor();
  await shot(app, 'authorize-sign-in');
  await app.fill('#username', 'dr.wilson');
  await app.fill('#password', DEMO_PASSWORD);
  await app.click('button[type=submit]');
  const allow = app.locator('button[name="decision"][value="allow"]');
  await allow.waitFor();
  await shot(app, 'authorize-consent');
  await allow.click();
  await app.waitForURL(/\/smart-demo\/callback/);
  // A locator, not waitForFunction: the demo app's CSP refuses eval.
  await app.locator('[data-testid="status"]', { hasText: /^(ready|error)$/ }).waitFor({ timeout: 40_000 });
  await shot(app, 'app-patient-data');
  const value = async (id: string) => ((await app.textContent(`[data-testid="${id}"]`)) ?? '').trim();
  assert.equal(await value('status'), 'ready', `the app failed: ${await value('error')}`);
  assert.equal(await value('patient-id'), patientId);
  assert.equal(await value('patient-name'), PATIENT_NAME);
  assert.equal(await value('patient-birthdate'), '1978-09-02');
  assert.equal(Number(await value('observation-count')), HEART_RATES.length);
  assert.equal(await value('observation-subjects'), `Patient/${patientId}`);
  const shown = await app.locator('[data-testid="observation"]').allInnerTexts();
  assert.deepEqual(shown.map((t) => Number(/: (\d+) /.exec(t)?.[1])).sort(), [...HEART_RATES].sort());
  if (me.fhirUser) assert.equal(await value('fhir-user'), me.fhirUser);
  await app.close();

  // The launch value is single-use: opening the same launch URL again ends in an error at the app.
  const replay = await clinician.context().newPage();
  await replay.goto(launchUrl.toString());
  await replay.waitForURL(/\/smart-demo\/callback\?.*error=/, { timeout: 30_000 });
  await shot(replay, 'replayed-launch-refused');
  await replay.close();
});

test('an admin registers a SMART app, disables it and deletes it', async () => {
  const name = `E2E app ${RUN}`;
  const clientId = `e2e-app-${RUN}`;
  await signIn(adminPage, 'admin');
  await adminPage
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'SMART apps' })
    .click();
  await adminPage.getByRole('table', { name: 'SMART clients' }).waitFor();
  await shot(adminPage, 'admin-clients');
  await assertAccessible(adminPage, 'SMART client administration');

  await adminPage.getByRole('button', { name: 'Register app' }).click();
  const dialog = adminPage.getByRole('dialog', { name: 'Register a SMART app' });
  await dialog.getByLabel('App name').fill(name);
  await dialog.getByLabel('Client id (optional)').fill(clientId);
  await dialog.getByLabel('Redirect URIs').fill('not a url');
  await dialog.getByRole('button', { name: 'Register' }).click();
  await dialog.getByText('Not an http(s) URL without a fragment: not').waitFor();
  await dialog.getByLabel('Redirect URIs').fill('https://e2e.example.org/callback');
  await dialog.getByLabel('Launch URL (optional)').fill('https://e2e.example.org/launch');
  await shot(adminPage, 'admin-register');
  await assertAccessible(adminPage, 'SMART client registration');
  await dialog.getByRole('button', { name: 'Register' }).click();
  await adminPage
    .getByRole('status')
    .filter({ hasText: `${name} registered as ${clientId}.` })
    .waitFor();
  const row = adminPage.getByTestId('smart-client-row').filter({ hasText: clientId });
  await row.waitFor();
  assert.match(await row.innerText(), /public/);

  await row.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = adminPage.getByRole('dialog', { name: `Edit ${name}` });
  await edit.getByLabel('Disabled').check();
  await edit.getByRole('button', { name: 'Save' }).click();
  await row.getByText('Disabled', { exact: true }).waitFor();
  await shot(adminPage, 'admin-disabled');

  await row.getByRole('button', { name: `Delete ${name}` }).click();
  const confirm = adminPage.getByRole('dialog', { name: `Delete ${name}?` });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
  await shot(adminPage, 'admin-deleted');
});
