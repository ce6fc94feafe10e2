/**
 * axe-core (WCAG 2.0/2.1 A and AA) on the main screens: login, home, patient search, every chart tab, the prescribe
 * dialog showing a critical CDS card, the critical result with its trend, order entry, and the audit viewer. Serious and
 * critical violations fail; minor and moderate ones are printed.
 */
/// <reference types="fhir" />
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, launch, login, newPage, screenshots } from './support/browser';
import {
  BASE_URL,
  hapiSearch,
  prescribingFixture,
  retireFixture,
  tokenOf,
  type PrescribingFixture,
} from './support/clinical';

const RUN = Date.now().toString(36);
let browser: Browser;
let page: Page;
let fx: PrescribingFixture;
const shot = screenshots(`a11y-${RUN}`);

before(async () => {
  fx = await prescribingFixture(RUN, { mfa: false });
  browser = await launch();
  page = await newPage(browser);
});
after(async () => {
  await browser?.close();
  await retireFixture(fx);
});

test('login screen', async () => {
  await page.goto('/login');
  await page.getByLabel('Username').waitFor();
  await shot(page, 'login');
  await assertAccessible(page, 'login');
});

test('home and patient search', async () => {
  await login(page, fx.username, fx.password);
  await page.getByRole('heading', { name: new RegExp(`Welcome, ${fx.displayName}`) }).waitFor();
  await page
    .getByRole('list', { name: 'Unacknowledged critical results' })
    .getByRole('link', { name: `${fx.given} ${fx.family}` })
    .waitFor();
  await shot(page, 'home');
  await assertAccessible(page, 'home');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('combobox').fill(fx.family);
  await page.getByRole('option').filter({ hasText: fx.family }).first().waitFor();
  await shot(page, 'patient-search');
  await assertAccessible(page, 'patient search');
  await page.getByRole('option').filter({ hasText: fx.family }).first().click();
  await page.getByRole('region', { name: 'Patient banner' }).waitFor();
});

test('every chart tab', async () => {
  for (const tab of [
    'Summary',
    'Problems',
    'Medications',
    'Allergies',
    'Vitals',
    'Results',
    'Notes',
    'Orders',
    'Timeline',
  ]) {
    await page.getByRole('tab', { name: tab, exact: true }).click();
    const panel = page.getByRole('tabpanel');
    await panel
      .locator('table, ol, ul, figure, [role="status"]:not(:has(.MuiCircularProgress-root)), [role="alert"], button')
      .first()
      .waitFor();
    // Results open the critical report's trend: wait for it so the chart is checked too.
    if (tab === 'Results') await panel.getByTestId('trend-2823-3').waitFor();
    await shot(page, `tab-${tab.toLowerCase()}`);
    await assertAccessible(page, `chart tab ${tab}`);
  }
});

test('prescribe dialog with a critical CDS card', async () => {
  await page.getByRole('tab', { name: 'Medications' }).click();
  await page.getByRole('button', { name: 'Prescribe' }).click();
  const dialog = page.getByRole('dialog', { name: 'New prescription' });
  await dialog.getByLabel('Drug').fill('ibuprofen 600');
  await page
    .getByRole('option', { name: /^ibuprofen 600 MG Oral Tablet SCD/ })
    .first()
    .waitFor();
  await shot(page, 'drug-search');
  await assertAccessible(page, 'drug search');
  await page.getByRole('option', { name: /^ibuprofen 600 MG Oral Tablet SCD/ }).click();
  await dialog.getByTestId('cds-card').filter({ hasText: 'warfarin + ibuprofen' }).waitFor();
  await shot(page, 'prescribe-dialog-card');
  await assertAccessible(page, 'prescribe dialog with a card');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('network dispensing history beside the active list (the same fills the API reports)', async () => {
  await page.getByRole('tab', { name: 'Medications' }).click();
  const panel = page.getByRole('region', { name: 'Dispensing history from the network' });
  await panel.getByRole('button', { name: 'Request history' }).click();
  await panel.locator('table, [role="status"]:not(:has(.MuiCircularProgress-root))').first().waitFor();
  // The physician's own token (an admin has no access to charts).
  const res = await fetch(`${BASE_URL}/api/patients/${fx.patientId}/medication-history`, {
    headers: { authorization: `Bearer ${await tokenOf(fx.username, fx.password)}` },
  });
  assert.equal(res.status, 200);
  const { items } = (await res.json()) as { items: Array<{ description: string }> };
  const rows = await panel.locator('tbody tr td:first-child').allInnerTexts();
  assert.deepEqual(
    rows,
    items.map((i) => i.description),
  );
  if (!items.length) await panel.getByText('The network has no fills for this patient.').waitFor();
  await shot(page, 'network-medication-history');
  await assertAccessible(page, 'network medication history');
});

test('order entry: catalog, order set and cancel (checked in HAPI)', async () => {
  await page.getByRole('tab', { name: 'Orders' }).click();
  await page.getByRole('button', { name: 'New order' }).click();
  const dialog = page.getByRole('dialog', { name: 'New order' });
  await dialog.getByLabel('Test, study or referral').fill('potassium');
  await page
    .getByRole('option', { name: /^Potassium \[Moles\/volume\] in Serum or Plasma/ })
    .first()
    .waitFor();
  await shot(page, 'order-catalog');
  await assertAccessible(page, 'order entry');
  await page
    .getByRole('option', { name: /^Potassium \[Moles\/volume\] in Serum or Plasma/ })
    .first()
    .click();
  await dialog.getByLabel('Priority').click();
  await page.getByRole('option', { name: 'STAT' }).click();
  await dialog.getByRole('button', { name: 'Place order' }).click();
  // The fixture ordered potassium twice today: the API warns of the duplicate, the app shows it.
  await page
    .getByRole('status')
    .filter({ hasText: '1 order placed.' })
    .filter({ hasText: 'already ordered' })
    .waitFor();

  await page.getByRole('button', { name: 'New order' }).click();
  await dialog.getByRole('tab', { name: 'Order set' }).click();
  await dialog.getByRole('radio', { name: /Anticoagulation monitoring/ }).check();
  await dialog.getByRole('list', { name: 'Orders in Anticoagulation monitoring' }).waitFor();
  await assertAccessible(page, 'order set entry');
  await dialog.getByRole('button', { name: 'Place order set' }).click();
  await page.getByRole('status').filter({ hasText: '2 orders placed.' }).waitFor();

  const stat = page
    .getByRole('table', { name: 'Orders' })
    .getByRole('row')
    .filter({ hasText: 'STAT' })
    .filter({ hasText: 'Potassium' });
  await stat.getByRole('button', { name: /^Cancel / }).click();
  const cancel = page.getByRole('dialog', { name: 'Cancel order' });
  await cancel.getByLabel('Reason for cancelling').fill('Ordered twice by mistake');
  await cancel.getByRole('button', { name: 'Cancel order' }).click();
  await page
    .getByRole('table', { name: 'Orders' })
    .getByRole('row')
    .filter({ hasText: 'STAT' })
    .filter({ hasText: 'revoked' })
    .waitFor();
  await shot(page, 'orders-after-cancel');
  const srs = await hapiSearch<fhir4.ServiceRequest>(`ServiceRequest?subject=Patient/${fx.patientId}&priority=stat`);
  assert.deepEqual(
    srs.map((s) => s.status),
    ['revoked'],
    'the STAT order is revoked in HAPI',
  );
  const sets = await hapiSearch<fhir4.ServiceRequest>(
    `ServiceRequest?subject=Patient/${fx.patientId}&code=http://loinc.org|6301-6`,
  );
  assert.equal(sets.length, 1, 'the order set placed the INR order');
});

test('audit viewer', async () => {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await login(page, 'admin');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit trail' }).click();
  const filters = page.getByRole('form', { name: 'Audit filters' });
  await filters.getByLabel('Patient id').fill(fx.patientId);
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByRole('table', { name: 'Audit records' }).getByRole('row').nth(1).waitFor();
  await shot(page, 'audit');
  await assertAccessible(page, 'audit viewer');
});
