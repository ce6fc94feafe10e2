import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall, userByName } from './support/api';
import { assertAccessible, launch, login, newPage, screenshots } from './support/browser';

const RUN = Date.now().toString(36);
const username = `e2e.dr.${RUN}`;
let browser: Browser;
let page: Page;
const shot = screenshots(`admin-${RUN}`);

before(async () => {
  browser = await launch();
  page = await newPage(browser);
});
after(async () => {
  await browser?.close();
  // The created account stays (accounts are never deleted: the audit trail refers to them), but it is disabled.
  try {
    const token = await adminToken();
    const u = await userByName(token, username);
    await apiCall('PATCH', `/api/users/${u.id}`, token, { disabled: true });
  } catch {
    /* the user may not have been created if an earlier step failed */
  }
});

test('admin signs in and sees the admin home', async () => {
  await login(page, 'admin');
  await page.getByRole('heading', { name: 'Welcome, Administrator' }).waitFor();
  assert.ok(
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Audit trail' })
      .isVisible(),
  );
  await shot(page, 'admin-home');
  await assertAccessible(page, 'admin home');
});

test('admin creates a physician with a DEA number', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('table', { name: 'Users' }).waitFor();
  await assertAccessible(page, 'users list');
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Username').fill(username);
  await dialog.getByLabel('Display name').fill('Dr. E2E Tester');
  await dialog.getByLabel('Initial password').fill('short');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  // The server's field-level problem is shown, with the request id.
  await dialog.getByRole('alert').waitFor();
  assert.match(await dialog.getByRole('alert').innerText(), /password/i);
  assert.ok(await dialog.getByTestId('request-id').isVisible());
  await shot(page, 'create-user-validation');
  await dialog.getByLabel('Initial password').fill('E2e-Strong-Passw0rd!');
  await dialog.getByLabel('DEA number (optional)').fill('BT1234563');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await page.getByRole('heading', { name: 'Dr. E2E Tester' }).waitFor();
  await shot(page, 'user-created');
});

test('admin grants EPCS: one approval, a second admin is needed', async () => {
  assert.match(await page.getByTestId('epcs-status').innerText(), /Not approved · approvals 0 of 2/);
  await page.getByRole('button', { name: 'Approve EPCS' }).click();
  await page.getByTestId('epcs-status').filter({ hasText: 'approvals 1 of 2' }).waitFor();
  assert.match(await page.getByTestId('epcs-status').innerText(), /Needs a second admin/);
  assert.ok(await page.getByRole('button', { name: 'Approve EPCS' }).isEnabled());
  await shot(page, 'epcs-approved-once');
  await assertAccessible(page, 'user detail');
  // The same admin cannot give the second approval: the server says so and the UI shows it.
  await page.getByRole('button', { name: 'Approve EPCS' }).click();
  await page.getByRole('alert').filter({ hasText: 'second, different administrator' }).waitFor();
  await shot(page, 'epcs-second-admin-needed');
});

test('admin views the audit trail: chain verified, the EPCS approval listed, filters and paging work', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit trail' }).click();
  const chip = page.getByTestId('chain-status');
  // Verification re-hashes the whole trail: it grows with every test run, so allow it time.
  await chip.waitFor({ timeout: 90_000 });
  assert.match(await chip.innerText(), /^Chain verified: \d+ records$/);
  await page.getByRole('table', { name: 'Audit records' }).waitFor();
  await shot(page, 'audit-trail');
  await assertAccessible(page, 'audit trail');

  await page.getByLabel('Action').fill('epcs.approve');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const rows = page.getByRole('table', { name: 'Audit records' }).getByRole('row');
  await rows.filter({ hasText: 'epcs.approve' }).first().waitFor();
  const actions = await page
    .getByRole('table', { name: 'Audit records' })
    .locator('tbody tr td:nth-child(4)')
    .allInnerTexts();
  assert.ok(
    actions.length > 0 && actions.every((a) => a === 'epcs.approve'),
    `only epcs.approve rows: ${actions.join(',')}`,
  );
  await shot(page, 'audit-filtered');

  // Paging needs more than one page (50) of records, also on a fresh database: each audit query is itself audited.
  const token = await adminToken();
  for (let i = 0; i < 55; i++) await apiCall('GET', '/api/audit?limit=1', token);
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByRole('button', { name: 'Load more' }).waitFor();
  const before = await page.locator('table[aria-label="Audit records"] tbody tr').count();
  await page.getByRole('button', { name: 'Load more' }).click();
  await page.waitForFunction(
    (n) => document.querySelectorAll('table[aria-label="Audit records"] tbody tr').length > n,
    before,
  );
  const ids = (await page.locator('table[aria-label="Audit records"] tbody tr td:first-child').allInnerTexts()).map(
    Number,
  );
  assert.ok(
    ids.every((id, i) => i === 0 || id < ids[i - 1]!),
    'newest first, no duplicates across pages',
  );
});

test('admin opens the break-glass review queue', async () => {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Break-glass review' })
    .click();
  await page.getByRole('heading', { name: 'Break-glass review' }).waitFor();
  await page.waitForSelector(
    'table[aria-label="Break-the-glass grants"], [role="status"]:has-text("No break-the-glass")',
  );
  await shot(page, 'break-glass-queue');
  await assertAccessible(page, 'break-glass review');
});
