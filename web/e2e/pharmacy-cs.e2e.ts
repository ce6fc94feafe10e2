/**
 * The controlled-substance log and low-stock thresholds: pharm.lee receives oxycodone 5 mg (C-II) on the inventory
 * page, opens the controlled-substance log for this month and finds the receipt with the balance the receipt
 * reported, reconciled; last month does not show it; the page survives a dropped connection and prints as the log
 * alone. Then a threshold above the stock on hand raises the low-stock alert and one below it clears it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { apiCall } from './support/api';
import { sessionToken, signIn } from './support/session';
import { ARTIFACTS, assertAccessible, launch, newPage, screenshots } from './support/browser';

const RUN = Date.now().toString(36);
/** oxycodone hydrochloride 5 MG Oral Tablet: the knowledge base schedules it C-II. */
const OXY = { ndc: '00378611201', ndcPrinted: '00378-6112-01', name: /oxycodone/i };
const LOT = `CS-${RUN}`.toUpperCase();
const QTY = 20;

let browser: Browser;
let page: Page;
let token: () => string;
/** Received before this run's receipt, in this month's log (0 when oxycodone has no row yet). */
let receivedBefore = 0;
/** The running balance the receipt reported. */
let balanceAfter = -1;
let onHand = 0;
const shot = screenshots(`pharmacy-cs-${RUN}`);
const nav = (name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name });
const isoDay = (daysAhead: number) => new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);
const num = async (l: Locator) => Number((await l.innerText()).trim());

const drugRow = () => page.locator(`[data-testid="cs-drug"][data-ndc="${OXY.ndc}"]`);
const stockRow = () => page.getByTestId('stock-row').filter({ hasText: OXY.ndcPrinted });

const day = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
/** This month (offset 0) or last month (−1), first to last day, in the browser's (= this process's) time zone. */
const month = (offset: number) => {
  const now = new Date();
  return {
    from: day(new Date(now.getFullYear(), now.getMonth() + offset, 1)),
    to: day(new Date(now.getFullYear(), now.getMonth() + offset + 1, 0)),
  };
};

/** Waits until the report of exactly this period is on screen (the page marks the period its data is for). */
async function reportShown(p: { from: string; to: string }): Promise<void> {
  await page.locator(`[data-testid="cs-report"][data-period="${p.from}/${p.to}"]`).waitFor();
}

async function openLog(): Promise<void> {
  await nav('Controlled-substance log').click();
  await page.getByRole('heading', { level: 1, name: 'Controlled-substance log' }).waitFor();
  await reportShown(month(0));
}

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
  token = sessionToken(page);
});

after(async () => {
  await page
    ?.context()
    .close()
    .catch(() => undefined);
  await browser?.close();
});

test('the log opens on this month; an impossible period is refused on the page', async () => {
  await signIn(page, 'pharm.lee');
  await openLog();
  assert.equal(await page.getByLabel('First day').inputValue(), month(0).from, 'defaults to the first of this month');
  assert.equal(await page.getByLabel('Last day').inputValue(), month(0).to, 'through the last day of this month');
  if (await drugRow().count()) receivedBefore = await num(drugRow().getByTestId('cs-received'));
  await shot(page, 'cs-log-before');

  await page.getByLabel('Last day').fill(isoDay(-400));
  await page.getByText('The last day cannot be before the first').waitFor();
  assert.equal(
    await page.getByRole('table', { name: 'Controlled-substance balances' }).count(),
    0,
    'no report for an impossible period',
  );
  await shot(page, 'cs-log-bad-period');
  await page.getByRole('button', { name: 'This month' }).click();
  await reportShown(month(0));
});

test('the pharmacist receives oxycodone (C-II); the receipt is logged with its running balance', async () => {
  await nav('Pharmacy inventory').click();
  await page.getByRole('heading', { name: 'Pharmacy inventory' }).waitFor();
  await page.getByRole('button', { name: 'Receive stock' }).click();
  const dialog = page.getByRole('dialog', { name: 'Receive stock' });
  await dialog.getByLabel('NDC').fill(OXY.ndcPrinted);
  await dialog.getByLabel('Lot number').fill(LOT);
  await dialog.getByLabel('Expiry date').fill(isoDay(400));
  await dialog.getByLabel('Quantity').fill(String(QTY));
  await shot(page, 'receive-oxycodone');
  await dialog.getByRole('button', { name: 'Receive' }).click();
  const notice = page.getByRole('status').filter({ hasText: `Stock received: lot ${LOT}` });
  await notice.waitFor();
  const m = /\(C-II, logged; balance ([\d.]+)\)/.exec(await notice.innerText());
  assert.ok(m, `the notice names the schedule and balance: ${await notice.innerText()}`);
  balanceAfter = Number(m[1]);
  assert.ok(balanceAfter >= QTY);
  await stockRow().getByText(LOT, { exact: false }).waitFor();
  await shot(page, 'inventory-after-receipt');
});

test('the log shows the receipt in this month with the right balance, reconciled, and its entry', async () => {
  await openLog();
  const row = drugRow();
  await row.waitFor();
  assert.match(await row.innerText(), OXY.name);
  assert.match(await row.innerText(), /C-II/);
  assert.equal(
    await num(row.getByTestId('cs-received')),
    receivedBefore + QTY,
    "this receipt adds to the period's receipts",
  );
  assert.equal(
    await num(row.getByTestId('cs-closing')),
    balanceAfter,
    'the period closes at the balance the receipt reported',
  );
  const [opening, received, dispensed] = await Promise.all(
    ['cs-opening', 'cs-received', 'cs-dispensed'].map((id) => num(row.getByTestId(id))),
  );
  assert.equal(
    Math.round((opening! + received! - dispensed!) * 1000) / 1000,
    balanceAfter,
    'opening + received − dispensed = closing',
  );
  assert.equal(await row.getByTestId('cs-reconciled').innerText(), 'Reconciled');

  const toggle = row.getByRole('button', { name: /^Show entries of oxycodone/i });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(
    await row.getByRole('button', { name: /^Hide entries of oxycodone/i }).getAttribute('aria-expanded'),
    'true',
  );
  const entry = row.getByTestId('cs-entry').filter({ hasText: LOT });
  await entry.waitFor();
  const cells = await entry.getByRole('cell').allInnerTexts();
  // Entry, time, movement, quantity, running balance, lot, by, reference.
  assert.equal(cells[2], 'Receipt');
  assert.equal(cells[3], `+${QTY}`);
  assert.equal(Number(cells[4]), balanceAfter);
  assert.equal(cells[5], LOT, 'the lot number, not its id');
  assert.match(cells[6]!, /\(you\)$/);
  assert.match(cells[7]!, /^Receipt [0-9a-f-]{36}$/);
  await shot(page, 'cs-log-receipt');
  await assertAccessible(page, 'controlled-substance log (entries shown)');

  // The same numbers as the API reports for the exact period the page asked for.
  const from = new Date(new Date().getFullYear(), new Date().getMonth(), 1).toISOString();
  const to = new Date(new Date().getFullYear(), new Date().getMonth() + 1, 1).toISOString();
  const api = await apiCall<{ drugs: Array<{ ndc: string; closingBalance: number; reconciled: boolean }> }>(
    'GET',
    `/api/pharmacy/controlled-substances/report?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    token(),
  );
  const line = api.drugs.find((d) => d.ndc === OXY.ndc);
  assert.deepEqual([line?.closingBalance, line?.reconciled], [balanceAfter, true]);
});

test('last month does not contain this receipt', async () => {
  await page.getByRole('button', { name: 'Last month' }).click();
  await reportShown(month(-1));
  const showAll = page.getByRole('button', { name: 'Show all entries' });
  if (await showAll.count()) await showAll.click();
  assert.equal(await page.getByTestId('cs-entry').filter({ hasText: LOT }).count(), 0);
  if (await drugRow().count()) {
    assert.ok((await num(drugRow().getByTestId('cs-closing'))) <= balanceAfter - QTY, 'closes before this receipt');
  }
  await shot(page, 'cs-log-last-month');
  await assertAccessible(page, 'controlled-substance log (last month)');
  await page.getByRole('button', { name: 'This month' }).click();
  await reportShown(month(0));
  await drugRow().getByTestId('cs-entry').filter({ hasText: LOT }).waitFor();
});

test('a dropped connection shows the error with a retry that recovers', async () => {
  await page.route('**/api/pharmacy/controlled-substances/report**', (r) => r.abort('connectionreset'));
  await page.reload();
  const alert = page.getByRole('alert').filter({ hasText: 'The log could not be loaded' });
  await alert.waitFor({ timeout: 20_000 });
  assert.match(await alert.innerText(), /cannot be reached/);
  await shot(page, 'cs-log-error');
  await page.unroute('**/api/pharmacy/controlled-substances/report**');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await drugRow().waitFor();
  await assertAccessible(page, 'controlled-substance log');
});

test('printed, the log stands alone with every entry and the signature lines', async () => {
  await drugRow()
    .getByRole('button', { name: /^Hide entries of oxycodone/i })
    .or(drugRow().getByRole('button', { name: /^Show entries of oxycodone/i }))
    .waitFor();
  const entries = drugRow().locator('[data-print-entries]');
  if (await entries.isVisible())
    await drugRow()
      .getByRole('button', { name: /^Hide entries/ })
      .click();
  assert.equal(await entries.isVisible(), false, 'collapsed on screen');
  await page.emulateMedia({ media: 'print' });
  try {
    assert.equal(await entries.isVisible(), true, "every drug's entries print");
    assert.equal(
      await page.getByRole('navigation', { name: 'Main navigation' }).isVisible(),
      false,
      'no navigation on paper',
    );
    assert.equal(await page.locator('header.MuiAppBar-root').isVisible(), false, 'no app bar on paper');
    assert.equal(await page.getByRole('button', { name: 'Print' }).isVisible(), false, 'no buttons on paper');
    assert.equal(await page.getByLabel('First day').isVisible(), false, 'no period picker on paper');
    await page.getByText('Counted and reviewed by').waitFor();
    assert.equal(await drugRow().getByTestId('cs-entry').filter({ hasText: LOT }).isVisible(), true);
    await shot(page, 'cs-log-print');
    await page.pdf({ path: `${ARTIFACTS}/pharmacy-cs-${RUN}/cs-log.pdf`, landscape: true, printBackground: true });
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
  assert.equal(
    await page.getByText('Counted and reviewed by').isVisible(),
    false,
    'signature lines are for paper only',
  );
});

test('a threshold above the stock on hand raises the low-stock alert; one below clears it', async () => {
  await nav('Pharmacy inventory').click();
  await page.getByRole('heading', { name: 'Pharmacy inventory' }).waitFor();
  await stockRow().waitFor();
  onHand = Number(/^([\d.]+)/.exec((await stockRow().getByRole('cell').nth(2).innerText()).trim())?.[1]);
  assert.ok(onHand >= QTY, `on hand ${onHand}`);
  const alerts = page
    .getByRole('list', { name: 'Inventory alerts' })
    .getByRole('listitem')
    .filter({ hasText: OXY.name })
    .filter({ hasText: 'below the threshold' });

  const setThreshold = async (value: number, step: string) => {
    await stockRow()
      .getByRole('button', { name: /^Edit low-stock threshold of oxycodone/i })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Low-stock threshold' });
    // Past the fade-in, so the screenshot and axe's contrast check see the dialog as it stays.
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.MuiDialog-container')).some((c) => getComputedStyle(c).opacity === '1'),
    );
    await dialog.getByLabel('Threshold').fill(String(value));
    await dialog.getByTestId('threshold-effect').waitFor();
    await shot(page, `threshold-dialog-${step}`);
    await assertAccessible(page, 'threshold dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('status')
      .filter({ hasText: `set to ${value}.` })
      .waitFor();
    await stockRow()
      .getByTestId('threshold')
      .filter({ hasText: new RegExp(`^${value}$`) })
      .waitFor();
  };

  // A bad value is refused in the dialog, before the API is asked.
  await stockRow()
    .getByRole('button', { name: /^Edit low-stock threshold of oxycodone/i })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Low-stock threshold' });
  await dialog.getByLabel('Threshold').fill('-3');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByText('Between 0 and 100000').waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });

  await setThreshold(onHand + 10, 'above');
  await alerts.filter({ hasText: `${onHand} on hand, below the threshold of ${onHand + 10}` }).waitFor();
  assert.ok(await stockRow().getByText('Low', { exact: true }).isVisible(), 'the row is marked low');
  await shot(page, 'low-stock-alert');

  await setThreshold(5, 'below');
  await alerts.first().waitFor({ state: 'detached' });
  assert.equal(await stockRow().getByText('Low', { exact: true }).count(), 0, 'no longer low');
  await shot(page, 'low-stock-cleared');
  await assertAccessible(page, 'inventory with thresholds');
});
