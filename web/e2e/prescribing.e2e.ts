/// <reference types="fhir" />
/**
 * The done-when, end to end in the browser against the real stack: a physician signs in with MFA, finds a
 * patient, prescribes a drug that interacts with the patient's warfarin, sees the CDS card, overrides it with a
 * reason and signs; opens a critical result with its trend and acknowledges it; writes and signs a note; sends a
 * controlled substance through the EPCS step-up; then an admin finds these actions in the audit viewer. Each step leaves a screenshot; each outcome is checked where it
 * is stored (HAPI, the audit trail), not only on screen.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { apiCall } from './support/api';
import { launch, login, newPage, rendered, screenshots } from './support/browser';
import {
  hapiRead,
  hapiSearch,
  prescribingFixture,
  retireFixture,
  totpCode,
  type PrescribingFixture,
} from './support/clinical';

const RUN = Date.now().toString(36);
const OVERRIDE_EXT = 'http://wintehr.dev/fhir/StructureDefinition/medication-safety-override';
const ACK_EXT = 'http://wintehr.dev/fhir/StructureDefinition/acknowledged';
const COMMENT = `E2E ${RUN}: 5-day course with PPI cover, INR in 3 days`;
let browser: Browser;
let page: Page;
let fx: PrescribingFixture;
const shot = screenshots(`prescribing-${RUN}`);

before(async () => {
  fx = await prescribingFixture(RUN, { mfa: true, epcs: true });
  browser = await launch();
  page = await newPage(browser);
});
after(async () => {
  await browser?.close();
  await retireFixture(fx);
});

test('the physician signs in with a password and a TOTP code', async () => {
  await login(page, fx.username, fx.password);
  await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await shot(page, 'mfa-challenge');
  await page.getByLabel('Authentication code').fill(totpCode(fx.totpSecret!, 0));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: new RegExp(`Welcome, ${fx.displayName}`) }).waitFor();
  await shot(page, 'home');
});

test('finds the patient by name and opens the chart', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('combobox').fill(fx.family);
  const option = page.getByRole('option').filter({ hasText: fx.family }).first();
  await option.waitFor();
  await shot(page, 'patient-search');
  await option.click();
  await page.getByRole('region', { name: 'Patient banner' }).filter({ hasText: fx.family }).waitFor();
  await shot(page, 'chart');
});

test('prescribes ibuprofen: the order-select card warns of the warfarin interaction', async () => {
  await page.getByRole('tab', { name: 'Medications' }).click();
  await page.getByRole('table', { name: 'Medications' }).getByText('warfarin sodium 5 MG Oral Tablet').waitFor();
  await page.getByRole('button', { name: 'Prescribe' }).click();
  const dialog = page.getByRole('dialog', { name: 'New prescription' });
  await dialog.getByLabel('Drug').fill('ibuprofen 600');
  await page.getByRole('option', { name: /^ibuprofen 600 MG Oral Tablet SCD/ }).click();
  const card = dialog.getByTestId('cds-card').filter({ hasText: 'warfarin + ibuprofen' });
  await card.waitFor();
  await card.scrollIntoViewIfNeeded();
  assert.equal(await card.getAttribute('data-indicator'), 'critical');
  const text = await card.innerText();
  assert.match(text, /critical/i, 'the level is written, not only coloured');
  assert.match(text, /Serious bleeding/);
  assert.ok(
    await card.getByRole('button', { name: /Replace ibuprofen 600 MG Oral Tablet with acetaminophen/ }).isVisible(),
    'the replace suggestion is offered',
  );
  await shot(page, 'order-select-card');
});

test('signing waits for a decision on the critical card; the override needs one of its reasons', async () => {
  const dialog = page.getByRole('dialog', { name: 'New prescription' });
  await dialog.getByRole('spinbutton', { name: 'Dose', exact: true }).fill('1');
  await dialog.getByLabel('Frequency').click();
  await page.getByRole('option', { name: 'Three times daily' }).click();
  await dialog.getByRole('spinbutton', { name: 'Duration (days)' }).fill('5');
  assert.equal(
    await dialog.getByRole('spinbutton', { name: 'Quantity', exact: true }).inputValue(),
    '15',
    '1 tablet × 3 a day × 5 days',
  );
  assert.equal(await dialog.getByRole('spinbutton', { name: 'Days supply' }).inputValue(), '5');
  await dialog.getByRole('button', { name: 'Sign prescription' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'Decide on each critical alert' }).waitFor();
  const card = dialog.getByTestId('cds-card').filter({ hasText: 'warfarin + ibuprofen' });
  assert.ok(await card.getByRole('button', { name: 'Override' }).isDisabled(), 'no reason chosen yet');
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'order-sign-needs-decision');
  await card.getByLabel('Override reason').click();
  await page.getByRole('option', { name: 'Benefit outweighs risk' }).click();
  await card.getByLabel('Comment (optional)').fill(COMMENT);
  await card.getByRole('button', { name: 'Override' }).click();
  await card.getByTestId('cds-decision').filter({ hasText: 'Overridden: Benefit outweighs risk' }).waitFor();
  // The chart's potassium is 6.9 mmol/L: ibuprofen raises it further, a second critical alert (drug-condition rule).
  const kCard = dialog
    .getByTestId('cds-card')
    .filter({ hasText: /potassium/i })
    .filter({ hasNotText: 'warfarin' });
  assert.equal(await kCard.getAttribute('data-indicator'), 'critical');
  await kCard.scrollIntoViewIfNeeded();
  await kCard.getByLabel('Override reason').click();
  await page.getByRole('option', { name: 'Benefit outweighs risk' }).click();
  await kCard.getByRole('button', { name: 'Override' }).click();
  await kCard.getByTestId('cds-decision').filter({ hasText: 'Overridden: Benefit outweighs risk' }).waitFor();
  await shot(page, 'card-overridden');
});

test('signs: the MedicationRequest is in HAPI with the override extension, and the feedback is recorded', async () => {
  const dialog = page.getByRole('dialog', { name: 'New prescription' });
  await dialog.getByRole('button', { name: 'Sign prescription' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page
    .getByRole('status')
    .filter({ hasText: 'ibuprofen 600 MG Oral Tablet signed with a safety override' })
    .waitFor();
  const row = page
    .getByRole('table', { name: 'Medications' })
    .getByRole('row')
    .filter({ hasText: 'ibuprofen 600 MG Oral Tablet' });
  await row.getByText('Safety alert overridden').waitFor();
  await shot(page, 'signed');

  const mrs = await hapiSearch<fhir4.MedicationRequest>(
    `MedicationRequest?subject=Patient/${fx.patientId}&code=http://www.nlm.nih.gov/research/umls/rxnorm|197806`,
  );
  assert.equal(mrs.length, 1, 'exactly one ibuprofen prescription');
  const mr = mrs[0]!;
  assert.equal(mr.status, 'active');
  assert.equal(mr.dosageInstruction?.[0]?.text, '1 tablet oral, three times daily, for 5 days');
  assert.equal(mr.dispenseRequest?.quantity?.value, 15);
  const ext = mr.extension?.find((e) => e.url === OVERRIDE_EXT);
  assert.ok(ext, 'the override extension is on the prescription');
  const parts = (url: string) => ext.extension!.filter((e) => e.url === url);
  // One reason per overridden card: the interaction's (with the comment), then the hyperkalaemia alert's.
  assert.equal(parts('reason')[0]?.valueString, `Benefit outweighs risk: ${COMMENT}; Benefit outweighs risk`);
  const rules = parts('rule').map((e) => e.valueString);
  assert.ok(rules.includes('anticoagulant-nsaid'), `the interaction is overridden: ${rules.join(', ')}`);
  assert.ok(
    rules.some((r) => /potassium-raising/.test(r ?? '')),
    `the hyperkalaemia rule is overridden: ${rules.join(', ')}`,
  );
  assert.ok(
    parts('finding').some((f) => /^drug-drug:anticoagulant-nsaid:/.test(f.valueString ?? '')),
    'the finding id names the interaction',
  );

  const feedback = await apiCall<{
    records: Array<{ action: string; details?: { items?: Array<{ rule: string; outcome: string; reason?: string }> } }>;
  }>('GET', `/api/audit?patient=${fx.patientId}&action=cds.feedback`, fx.adminToken);
  const items = feedback.records.flatMap((r) => r.details?.items ?? []);
  assert.ok(
    items.some(
      (i) =>
        i.rule === 'ddi:anticoagulant-nsaid' && i.outcome === 'overridden' && i.reason === 'benefit-outweighs-risk',
    ),
    `CDS feedback recorded the override: ${JSON.stringify(items)}`,
  );
});

test('opens the critical result from the worklist: values, reference range, trend; acknowledges it', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Home' }).click();
  const link = page
    .getByRole('list', { name: 'Unacknowledged critical results' })
    .getByRole('link', { name: `${fx.given} ${fx.family}` });
  await link.waitFor();
  await shot(page, 'critical-worklist');
  await link.click();
  const report = page.locator(`[data-report-id="${fx.criticalReportId}"]`);
  await report.waitFor();
  // The result's own row: value, reference range and the critical flag (the trend below repeats the value).
  const row = report.getByRole('row').filter({ has: page.getByRole('cell', { name: 'HH critical', exact: true }) });
  await row.waitFor();
  const cells = await row.getByRole('cell').allInnerTexts();
  assert.deepEqual(cells.slice(1, 4), ['6.9 mmol/L', '3.5–5.1 mmol/L', 'HH critical']);
  const trend = report.getByTestId('trend-2823-3');
  await trend.waitFor();
  assert.match(
    (await trend.getByRole('img').getAttribute('aria-label')) ?? '',
    /rising over 2 results; latest 6\.9 mmol\/L, outside the reference range/,
  );
  await shot(page, 'critical-result-trend');
  await report.getByRole('button', { name: 'Acknowledge' }).click();
  await report.getByText(/^Acknowledged /).waitFor();
  await shot(page, 'critical-result-acknowledged');
  const dr = await hapiRead<fhir4.DiagnosticReport>(`DiagnosticReport/${fx.criticalReportId}`);
  assert.ok(
    dr.extension?.some((e) => e.url === ACK_EXT),
    'the acknowledgement is on the DiagnosticReport in HAPI',
  );
});

test('writes a SOAP note and signs it', async () => {
  await page.getByRole('tab', { name: 'Notes' }).click();
  await page.getByRole('button', { name: 'New note' }).click();
  const editor = page.getByRole('region', { name: 'Note editor' });
  await editor.waitFor();
  await editor.getByLabel('Subjective').fill(`E2E ${RUN}: knee pain for a week.`);
  await editor.getByLabel('Objective').fill('Effusion of the right knee; K 6.9 mmol/L (critical, acknowledged).');
  await editor.getByLabel('Assessment').fill('Osteoarthritis flare on warfarin; hyperkalaemia.');
  await editor
    .getByLabel('Plan')
    .fill('Ibuprofen 5 days with PPI despite interaction (overridden), INR in 3 days, repeat potassium today.');
  await editor.getByRole('button', { name: 'Save draft' }).click();
  await editor.getByRole('button', { name: 'Save draft' }).and(page.locator('[disabled]')).waitFor();
  await editor.getByRole('button', { name: 'Sign note' }).click();
  await editor.getByTestId('note-status').filter({ hasText: 'Signed' }).waitFor();
  // A signed note names its author, signer and signing time.
  await editor
    .getByTestId('note-byline')
    .filter({ hasText: `Written by ${fx.displayName} · Signed by ${fx.displayName} · ` })
    .waitFor();
  await shot(page, 'note-signed');
});

test('EPCS: a controlled substance sent to the pharmacy asks for a fresh TOTP code, then goes out signed', async () => {
  // A reload restores the session with the refresh token, whose access tokens carry no second factor: the
  // sign-in's TOTP no longer counts, as after any silent refresh in a long session.
  await page.reload();
  await rendered(page, page.getByRole('tab', { name: 'Medications' }));
  await page.getByRole('tab', { name: 'Medications' }).click();
  await page.getByRole('button', { name: 'Prescribe' }).click();
  const dialog = page.getByRole('dialog', { name: 'New prescription' });
  await dialog.getByLabel('Drug').fill('oxycodone 5');
  await page.getByRole('option', { name: /^oxycodone hydrochloride 5 MG Oral Tablet SCD/ }).click();
  const card = dialog.getByTestId('cds-card').filter({ hasText: 'DEA Schedule II' });
  await card.waitFor();
  assert.equal(await card.getAttribute('data-indicator'), 'info');
  await dialog.getByRole('spinbutton', { name: 'Dose', exact: true }).fill('1');
  await dialog.getByLabel('Frequency').click();
  await page.getByRole('option', { name: 'Every 6 hours' }).click();
  await dialog.getByLabel('As needed (PRN)').check();
  await dialog.getByLabel('As needed for').fill('severe pain');
  await dialog.getByRole('spinbutton', { name: 'Quantity', exact: true }).fill('12');
  await dialog.getByRole('spinbutton', { name: 'Days supply' }).fill('3');
  await dialog.getByLabel('Pharmacy (optional)').fill('WintEHR Outpatient');
  await page
    .getByRole('option', { name: /WintEHR Outpatient Pharmacy/ })
    .first()
    .click();
  await dialog.getByRole('button', { name: 'Sign prescription' }).click();
  const stepUp = page.getByRole('dialog', { name: 'Verify it is you' });
  const shown = await Promise.race([
    stepUp.waitFor({ timeout: 30_000 }).then(() => 'step-up'),
    dialog
      .getByRole('alert')
      .first()
      .waitFor({ timeout: 30_000 })
      .then(() => 'alert'),
  ]);
  if (shown !== 'step-up') {
    await shot(page, 'epcs-failed');
    throw new Error(`no step-up asked: ${(await dialog.getByRole('alert').allInnerTexts()).join(' | ')}`);
  }
  await shot(page, 'epcs-step-up');
  // The login used the current 30 s step; the next one is unused and inside the server's ±1 window.
  await stepUp.getByLabel('Authentication code').fill(totpCode(fx.totpSecret!, 1));
  await stepUp.getByRole('button', { name: 'Verify' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
  await page
    .getByRole('status')
    .filter({ hasText: 'oxycodone hydrochloride 5 MG Oral Tablet signed and sent to the pharmacy' })
    .waitFor();
  await shot(page, 'epcs-sent');

  const [mr] = await hapiSearch<fhir4.MedicationRequest>(
    `MedicationRequest?subject=Patient/${fx.patientId}&code=http://www.nlm.nih.gov/research/umls/rxnorm|1049621`,
  );
  assert.equal(
    mr?.extension?.find((e) => e.url === 'http://wintehr.dev/fhir/StructureDefinition/dea-schedule')?.valueCode,
    'II',
  );
  const signed = await apiCall<{
    records: Array<{
      outcome: string;
      resourceId?: string;
      details?: { deaSchedule?: string; signature?: string; mfaAt?: number | null };
    }>;
  }>('GET', `/api/audit?patient=${fx.patientId}&action=epcs.sign`, fx.adminToken);
  const rec = signed.records.find((r) => r.resourceId === mr!.id);
  assert.ok(
    rec &&
      rec.outcome === 'success' &&
      rec.details?.deaSchedule === 'II' &&
      rec.details.signature === 'JWS' &&
      typeof rec.details.mfaAt === 'number',
    `epcs.sign audited with the step-up time: ${JSON.stringify(signed.records)}`,
  );
});

test('an admin finds these actions in the audit viewer, filtered by patient', async () => {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await login(page, 'admin');
  await page.getByRole('heading', { name: 'Welcome, Administrator' }).waitFor();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Audit trail' }).click();
  const filters = page.getByRole('form', { name: 'Audit filters' });
  const expected = [
    { action: 'medication.prescribe', details: /"override":true/ },
    { action: 'cds.feedback', details: /anticoagulant-nsaid/ },
    { action: 'result.acknowledge', details: undefined },
    { action: 'note.sign', details: undefined },
    { action: 'epcs.sign', details: /"deaSchedule":"II"/ },
  ];
  for (const e of expected) {
    await filters.getByLabel('Patient id').fill(fx.patientId);
    await filters.getByLabel('Action').fill(e.action);
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    const rows = page.getByRole('table', { name: 'Audit records' }).getByRole('row').filter({ hasText: e.action });
    await rows.first().waitFor();
    const texts = await rows.allInnerTexts();
    assert.ok(
      texts.some((t) => t.includes('success') && t.includes(fx.patientId)),
      `${e.action}: a successful row for the patient`,
    );
    if (e.details) {
      const titles = await Promise.all((await rows.all()).map((r) => r.locator('td').last().getAttribute('title')));
      assert.ok(
        titles.some((t) => e.details!.test(t ?? '')),
        `${e.action} details: ${titles.join(' | ')}`,
      );
    }
    await shot(page, `audit-${e.action}`);
  }
});
