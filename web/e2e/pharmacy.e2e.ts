/**
 * Prescription to dispense across two browser contexts: dr.wilson prescribes through the chart's prescribe dialog;
 * pharm.lee's dispense queue, already open, shows the prescription arrive over the realtime channel (no reload);
 * pharm.lee claims it, decides on the safety finding, verifies and dispenses it from stock received on the
 * inventory page. The MedicationDispense is then checked through the API and in the FHIR store.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { apiCall } from './support/api';
import { sessionToken, signIn } from './support/session';
import { assertAccessible, launch, newPage, screenshots } from './support/browser';

const RUN = Date.now().toString(36);
/** Patient names take letters only: the run id spelled with letters keeps this run's patient unique. */
const FAMILY = `Rxtest${RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;
const PATIENT_NAME = `Dana ${FAMILY}`;
/** lisinopril 20 MG Oral Tablet and one of its NDCs; lisinopril 10 MG (a home medication) makes a duplicate. */
const DRUG = { rxcui: '314077', name: 'lisinopril 20 MG Oral Tablet', ndc: '00143971301', ndcPrinted: '00143-9713-01' };
const HOME_MED = { code: '314076', display: 'lisinopril 10 MG Oral Tablet' };
const LOT = `E2E-${RUN}`.toUpperCase();
const HAPI = process.env.HAPI_BASE_URL ?? 'http://127.0.0.1:8080/fhir';
const NO_RELOAD_MARK = `no-reload-${RUN}`;

let browser: Browser;
let clinician: Page;
let pharmacist: Page;
let clinicianToken: () => string;
let pharmacistToken: () => string;
let patientId = '';
let medicationRequestId = '';
let medicationDispenseId = '';
const shot = screenshots(`pharmacy-${RUN}`);
const nav = (p: Page, name: string) =>
  p.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name });
const isoDay = (daysAhead: number) => new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  browser = await launch();
  clinician = await newPage(browser);
  pharmacist = await newPage(browser);
  for (const p of [clinician, pharmacist]) p.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
  clinicianToken = sessionToken(clinician);
  pharmacistToken = sessionToken(pharmacist);
});

after(async () => {
  await clinician
    ?.context()
    .close()
    .catch(() => undefined);
  await pharmacist
    ?.context()
    .close()
    .catch(() => undefined);
  await browser?.close();
});

test('set-up: dr.wilson registers a patient of this run who takes lisinopril 10 mg at home', async () => {
  await signIn(clinician, 'dr.wilson');
  const token = clinicianToken();
  // An explicit MRN: the generated sequence can meet MRNs that integration tests wrote into the same HAPI.
  // Registering makes dr.wilson the patient's clinician (an assignment), so the chart opens for him.
  const p = await apiCall<{ id: string }>('POST', '/api/patients', token, {
    name: { family: FAMILY, given: ['Dana'] },
    birthDate: '1961-05-14',
    gender: 'female',
    mrn: `E2E-RX-${RUN}`.toUpperCase(),
    address: { line: ['12 Test Lane'], city: 'Springfield', state: 'IL', postalCode: '62701' },
    phone: '(217) 555-0199',
  });
  patientId = p.id;
  await apiCall('POST', `/api/patients/${patientId}/medication-statements`, token, {
    medication: HOME_MED,
    status: 'active',
    informationSource: 'patient',
  });
});

test('the pharmacist receives stock on the inventory page, then opens the live dispense queue', async () => {
  await signIn(pharmacist, 'pharm.lee');
  await nav(pharmacist, 'Pharmacy inventory').click();
  await pharmacist.getByRole('heading', { name: 'Pharmacy inventory' }).waitFor();
  await pharmacist.getByRole('button', { name: 'Receive stock' }).click();
  const dialog = pharmacist.getByRole('dialog', { name: 'Receive stock' });
  await dialog.getByLabel('NDC').fill(DRUG.ndcPrinted);
  await dialog.getByLabel('Lot number').fill(LOT);
  await dialog.getByLabel('Expiry date').fill(isoDay(365));
  await dialog.getByLabel('Quantity').fill('60');
  await shot(pharmacist, 'receive-stock');
  await assertAccessible(pharmacist, 'receive stock dialog');
  await dialog.getByRole('button', { name: 'Receive' }).click();
  await pharmacist
    .getByRole('status')
    .filter({ hasText: `Stock received: lot ${LOT}` })
    .waitFor();
  await pharmacist.getByRole('table', { name: 'Stock on hand' }).getByText(LOT, { exact: false }).first().waitFor();
  await shot(pharmacist, 'inventory');
  await assertAccessible(pharmacist, 'inventory');

  await nav(pharmacist, 'Dispense queue').click();
  await pharmacist.getByRole('heading', { name: 'Dispense queue' }).waitFor();
  await pharmacist.getByRole('table', { name: 'Dispense queue' }).waitFor();
  await pharmacist.locator('[data-testid="live-status"][data-status="live"]').waitFor();
  assert.equal(
    await pharmacist.getByTestId('queue-row').filter({ hasText: FAMILY }).count(),
    0,
    'nothing for this patient yet',
  );
  // A mark in the page's memory: it survives only as long as the page is not reloaded.
  await pharmacist.evaluate((mark) => {
    (window as unknown as Record<string, string>).e2eMark = mark;
  }, NO_RELOAD_MARK);
  await shot(pharmacist, 'queue-live');
  await assertAccessible(pharmacist, 'dispense queue');
});

test("the clinician prescribes through the chart's prescribe dialog, routed to the in-house pharmacy", async () => {
  await clinician.goto(`/patients/${patientId}/medications`);
  await clinician.getByRole('region', { name: 'Patient banner' }).waitFor();
  await clinician.getByRole('button', { name: 'Prescribe' }).click();
  const dialog = clinician.getByRole('dialog', { name: 'New prescription' });
  await dialog.getByLabel('Drug').fill('lisinopril 20');
  await clinician
    .getByRole('option', { name: new RegExp(`^${DRUG.name}`) })
    .first()
    .click();
  await dialog.getByRole('spinbutton', { name: /^Dose/ }).fill('1');
  await dialog.getByRole('spinbutton', { name: /^Duration/ }).fill('30');
  await dialog.getByLabel('Pharmacy (optional)').fill('WintEHR Outpatient');
  await clinician
    .getByRole('option', { name: /WintEHR Outpatient Pharmacy/ })
    .first()
    .click();
  assert.equal(
    await dialog.getByRole('spinbutton', { name: /^Quantity/ }).inputValue(),
    '30',
    'quantity computed from dose, frequency and duration',
  );
  await shot(clinician, 'prescribe-dialog');
  await dialog.getByRole('button', { name: 'Sign prescription' }).click();
  // Signing creates the prescription routed to the pharmacy (that alone feeds the in-house queue); the dialog
  // then sends it over the e-prescribing network. A failed network send leaves the signed prescription in place.
  const outcome = await Promise.race([
    dialog.waitFor({ state: 'hidden', timeout: 45_000 }).then(() => 'sent'),
    dialog
      .getByText(/^Signed: .*not sent to the pharmacy yet/)
      .waitFor({ timeout: 45_000 })
      .then(() => 'signed-not-sent'),
  ]).catch(() => 'timeout');
  if (outcome === 'timeout') {
    await shot(clinician, 'prescribe-failed');
    throw new Error(`prescribing failed: ${(await dialog.getByRole('alert').allInnerTexts()).join(' | ')}`);
  }
  if (outcome === 'signed-not-sent') {
    await shot(clinician, 'prescribed-network-send-failed');
    console.log(
      `[pharmacy e2e] signed, but the e-prescribing send failed: ${(await dialog.getByRole('alert').allInnerTexts()).join(' | ').replace(/\s+/g, ' ')}`,
    );
    await dialog.getByRole('button', { name: 'Close without sending' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
  await clinician
    .getByRole('status')
    .filter({ hasText: /signed/ })
    .waitFor();
  await shot(clinician, 'prescribed');
});

test("the pharmacist's open queue shows the new prescription without reloading", async () => {
  const row = pharmacist.getByTestId('queue-row').filter({ hasText: FAMILY });
  await row.waitFor({ timeout: 20_000 });
  assert.equal(
    await pharmacist.evaluate(() => (window as unknown as Record<string, string>).e2eMark),
    NO_RELOAD_MARK,
    'the page was not reloaded',
  );
  assert.ok(await row.getByText('New', { exact: true }).isVisible(), 'marked as new');
  assert.match(await row.innerText(), new RegExp(DRUG.name));
  medicationRequestId = (await row.getAttribute('data-id')) ?? '';
  assert.ok(medicationRequestId);
  await shot(pharmacist, 'queue-new-prescription');
});

test('the pharmacist claims it, decides on the duplicate-therapy finding, verifies and dispenses', async () => {
  const row = pharmacist.getByTestId('queue-row').filter({ hasText: FAMILY });
  await row.getByRole('link', { name: DRUG.name }).click();
  await pharmacist.getByRole('heading', { level: 1, name: DRUG.name }).waitFor();
  await pharmacist.getByRole('heading', { name: 'Drug-safety findings' }).waitFor();
  assert.ok(
    (await pharmacist.getByRole('region', { name: 'Patient', exact: true }).innerText()).includes(PATIENT_NAME),
  );
  await pharmacist.getByRole('button', { name: 'Claim' }).click();
  await pharmacist.getByTestId('holder').filter({ hasText: 'You' }).waitFor();

  const findings = pharmacist.getByTestId('finding');
  assert.ok(
    (await findings.filter({ hasText: 'Duplicate therapy' }).count()) >= 1,
    'lisinopril 10 at home makes a duplicate',
  );
  const decisions = pharmacist.getByRole('group', { name: /^Decision on finding/ });
  const n = await decisions.count();
  assert.ok(n >= 1);
  await shot(pharmacist, 'item-claimed');
  await assertAccessible(pharmacist, 'queue item');
  // Verifying without a decision is refused on the page, naming what is missing.
  await pharmacist.getByRole('button', { name: 'Verify' }).click();
  await pharmacist.getByRole('alert').filter({ hasText: 'still need a decision' }).waitFor();
  for (let i = 0; i < n; i++) await decisions.nth(i).getByLabel('Accept').check();
  await pharmacist.getByRole('button', { name: 'Verify' }).click();
  await pharmacist.getByTestId('item-notice').filter({ hasText: 'Verified' }).waitFor();
  await pharmacist.getByTestId('recorded-decision').first().waitFor();
  await shot(pharmacist, 'item-verified');

  await pharmacist.getByRole('button', { name: 'Dispense…' }).click();
  const dialog = pharmacist.getByRole('dialog', { name: 'Dispense' });
  await dialog.getByLabel('Product (NDC)').waitFor();
  assert.equal(await dialog.getByLabel('Product (NDC)').inputValue(), DRUG.ndc);
  assert.equal(await dialog.getByLabel('Quantity').inputValue(), '30');
  await dialog.getByLabel('Counselling accepted').check();
  await dialog
    .getByLabel('Counselling notes (optional)')
    .fill('Dizziness when standing; keep taking lisinopril 10 only if told to.');
  await shot(pharmacist, 'dispense-dialog');
  await assertAccessible(pharmacist, 'dispense dialog');
  await dialog.getByRole('button', { name: 'Dispense' }).click();
  const notice = pharmacist.getByTestId('item-notice').filter({ hasText: 'Dispensed 30' });
  await notice.waitFor({ timeout: 30_000 });
  medicationDispenseId = /MedicationDispense ([A-Za-z0-9\-.]+)\)/.exec(await notice.innerText())?.[1] ?? '';
  assert.ok(medicationDispenseId, 'the notice names the MedicationDispense');
  await pharmacist.getByTestId('item-status').filter({ hasText: 'Dispensed' }).waitFor();
  await pharmacist.getByTestId('dispense-row').first().waitFor();
  await shot(pharmacist, 'dispensed');
});

test('the MedicationDispense exists, and the prescription has left the open queue', async () => {
  const token = pharmacistToken();
  const item = await apiCall<{
    status: string;
    dispenses: Array<{ medicationDispenseId: string; ndc: string; quantity: number }>;
  }>('GET', `/api/pharmacy/queue/${medicationRequestId}`, token);
  assert.equal(item.status, 'dispensed');
  assert.deepEqual(
    item.dispenses.map((d) => [d.medicationDispenseId, d.ndc, d.quantity]),
    [[medicationDispenseId, DRUG.ndc, 30]],
  );
  // The FHIR store itself holds the dispense, linked to the prescription and the patient.
  const res = await fetch(`${HAPI}/MedicationDispense/${medicationDispenseId}`, {
    headers: { accept: 'application/fhir+json' },
  });
  assert.equal(res.status, 200, `MedicationDispense/${medicationDispenseId} in HAPI`);
  const md = (await res.json()) as {
    status?: string;
    subject?: { reference?: string };
    authorizingPrescription?: Array<{ reference?: string }>;
    quantity?: { value?: number };
  };
  assert.equal(md.status, 'completed');
  assert.equal(md.subject?.reference, `Patient/${patientId}`);
  assert.ok(md.authorizingPrescription?.some((r) => r.reference?.endsWith(`MedicationRequest/${medicationRequestId}`)));
  assert.equal(md.quantity?.value, 30);
  const open = await apiCall<{ items: Array<{ medicationRequestId: string }> }>(
    'GET',
    '/api/pharmacy/queue?status=open&findings=false&limit=100',
    token,
  );
  assert.ok(!open.items.some((i) => i.medicationRequestId === medicationRequestId), 'not in the open queue (API)');

  // Back on the queue (client-side navigation): the row is gone, the page was never reloaded.
  await pharmacist.getByRole('link', { name: 'Back to the queue' }).click();
  await pharmacist.getByRole('heading', { name: 'Dispense queue' }).waitFor();
  await pharmacist.getByRole('table', { name: 'Dispense queue' }).waitFor();
  await pharmacist.getByTestId('queue-row').filter({ hasText: FAMILY }).waitFor({ state: 'detached', timeout: 15_000 });
  assert.equal(await pharmacist.evaluate(() => (window as unknown as Record<string, string>).e2eMark), NO_RELOAD_MARK);
  await shot(pharmacist, 'queue-after-dispense');
  // The dispensed view lists it.
  await pharmacist.getByRole('button', { name: 'Dispensed', exact: true }).click();
  await pharmacist.getByTestId('queue-row').filter({ hasText: FAMILY }).waitFor();
  await shot(pharmacist, 'queue-dispensed-view');
});
