import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page, Route } from 'playwright-core';
import { assertAccessible, launch, login, newPage, screenshots } from './support/browser';

const RUN = Date.now().toString(36);
let browser: Browser;
let page: Page;
const shot = screenshots(`session-${RUN}`);
const tokenRejected = (route: Route) =>
  route.fulfill({
    status: 401,
    contentType: 'application/json',
    body: JSON.stringify({
      error: {
        code: 'AUTHENTICATION_FAILED',
        message: 'Token expired',
        details: { reason: 'expired' },
        requestId: 'req-e2e',
      },
    }),
  });

before(async () => {
  browser = await launch();
  page = await newPage(browser);
});
after(async () => {
  await browser?.close();
});

test('the sign-in screen is accessible and shows a wrong password clearly', async () => {
  await page.goto('/login');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await assertAccessible(page, 'sign-in');
  await login(page, 'nurse.joy', 'not-the-password');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Request id: req-/);
  await shot(page, 'wrong-password');
});

test('nurse signs in; nothing but the refresh token is kept in browser storage', async () => {
  await login(page, 'nurse.joy');
  await page.getByRole('heading', { name: 'Welcome, Nurse Joy' }).waitFor();
  const storage = await page.evaluate(() => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
  }));
  assert.deepEqual(storage, { local: [], session: ['wintehr.rt'] });
  await shot(page, 'nurse-home');
});

test('a reload restores the session from the refresh token', async () => {
  await page.reload();
  await page.getByRole('heading', { name: 'Welcome, Nurse Joy' }).waitFor();
});

test('route guards: a nurse cannot open the audit trail, and the navigation does not offer it', async () => {
  assert.equal(
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit trail' }).count(),
    0,
  );
  await page.goto('/admin/audit');
  await page.getByRole('heading', { name: 'This page is not available for your role' }).waitFor();
  await shot(page, 'nurse-denied-audit');
});

test('on a phone-sized screen the navigation becomes a drawer behind a menu button', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await page.getByRole('heading', { name: 'Welcome, Nurse Joy' }).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Main navigation' }).isVisible(), false);
  await page.getByRole('button', { name: 'Open navigation' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('combobox').waitFor();
  await shot(page, 'phone-patient-search');
  await assertAccessible(page, 'patient search (phone)');
  await page.setViewportSize({ width: 1280, height: 860 });
});

test('a rejected access token is refreshed once and the request retried', async () => {
  await page.goto('/patients');
  await page.getByRole('combobox').waitFor(); // the reload's own session restore (one refresh) is over
  let rejected = 0;
  let refreshed = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/auth/refresh')) refreshed++;
  });
  await page.route('**/api/patients?*', async (route) => {
    if (rejected++ === 0) return tokenRejected(route);
    return route.continue();
  });
  await page.getByRole('combobox').fill('Garcia');
  await page.getByRole('option').first().waitFor();
  assert.equal(refreshed, 1);
  assert.ok(rejected >= 2, 'the search was retried after the refresh');
  await page.unroute('**/api/patients?*');
});

test('when the refresh token is refused the user is sent to sign in again, with the reason', async () => {
  await page.route('**/api/auth/refresh', (route) =>
    route.fulfill({
      status: 401,
      contentType: 'application/json',
      body: JSON.stringify({
        error: { code: 'INVALID_REFRESH_TOKEN', message: 'Invalid or expired refresh token', requestId: 'req-e2e' },
      }),
    }),
  );
  await page.route('**/api/patients?*', tokenRejected);
  await page.getByRole('combobox').fill('Smith');
  await page.getByText('Your session has expired. Please sign in again.').waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage)), []);
  await shot(page, 'session-expired');
});
