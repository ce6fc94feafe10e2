/// <reference types="fhir" />
/**
 * The patient portal in the browser (issue 16, first increment), on a phone-sized screen (375 px): a patient signs in
 * with a password and lands on the portal, reads a released result with its plain-language range and trend, does not
 * see a held or a preliminary one, messages the care team, requests a refill, reads who opened the chart, downloads
 * the record, and gets "not available" for a clinician URL. Every screen is checked with axe.
 */
import { readFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { assertAccessible, BASE_URL, launch, login, rendered, screenshots } from './support/browser';
import { hapiCreate, tokenOf } from './support/clinical';

const RUN = Date.now().toString(36);
const TAG = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const FAMILY = `Portal${TAG[0]!.toUpperCase()}${TAG.slice(1)}`;
const PASSWORD = `Portal-Pass-${TAG}-7!`;
const DOCTOR = `Dr. Portal ${TAG}`;
const LOINC = 'http://loinc.org';
let browser: Browser;
let page: Page;
const shot = screenshots(`portal-${RUN}`);

const fx = { admin: '', doctor: '', patientId: '', accounts: [] as string[], held: '', prelim: '', released: '' };

/** A lab report with one value, filed straight into HAPI as a lab interface would. */
async function labReport(
  status: fhir4.DiagnosticReport['status'],
  day: string,
  code: string,
  name: string,
  value: number,
  unit: string,
  range: { low: number; high: number },
): Promise<string> {
  const subject = { reference: `Patient/${fx.patientId}` };
  const obs = await hapiCreate<fhir4.Observation>({
    resourceType: 'Observation',
    status: status === 'preliminary' ? 'preliminary' : 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] },
    ],
    code: { coding: [{ system: LOINC, code }], text: name },
    subject,
    effectiveDateTime: `${day}T08:00:00Z`,
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    referenceRange: [{ low: { value: range.low }, high: { value: range.high } }],
  });
  const report = await hapiCreate<fhir4.DiagnosticReport>({
    resourceType: 'DiagnosticReport',
    status,
    code: { coding: [{ system: LOINC, code }], text: name },
    subject,
    effectiveDateTime: `${day}T08:00:00Z`,
    result: [{ reference: `Observation/${obs.id}` }],
  });
  return report.id!;
}

before(async () => {
  fx.admin = await adminToken();
  const practitioner = await hapiCreate<fhir4.Practitioner>({
    resourceType: 'Practitioner',
    active: true,
    name: [{ family: 'Portal', given: [TAG], prefix: ['Dr.'] }],
    identifier: [{ system: 'urn:wintehr:e2e', value: `portal-${RUN}` }],
  });
  const doctor = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
    username: `e2e.portaldoc.${RUN}`,
    displayName: DOCTOR,
    role: 'physician',
    password: PASSWORD,
    fhirPractitionerId: practitioner.id,
  });
  fx.accounts.push(doctor.id);
  ({ id: fx.patientId } = await apiCall<{ id: string }>('POST', '/api/patients', fx.admin, {
    name: { family: FAMILY, given: ['Lena'] },
    birthDate: '1972-04-09',
    gender: 'female',
    // The portal sign-in code goes here (read back from the mail simulator by the login helper).
    email: `lena.${RUN}@example.org`,
  }));
  await apiCall('POST', `/api/users/${doctor.id}/assignments`, fx.admin, {
    patientId: fx.patientId,
    reason: 'e2e portal',
  });
  const portal = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
    username: `e2e.portalpt.${RUN}`,
    displayName: `Lena ${FAMILY}`,
    role: 'patient',
    password: PASSWORD,
    fhirPatientId: fx.patientId,
  });
  fx.accounts.push(portal.id);

  const k = { low: 3.5, high: 5.1 };
  await labReport('final', '2026-10-01', '2823-3', 'Potassium', 4.4, 'mmol/L', k);
  fx.released = await labReport('final', '2026-11-01', '2823-3', 'Potassium', 5.7, 'mmol/L', k);
  fx.held = await labReport('final', '2026-11-15', '4548-4', `Hemoglobin A1c ${TAG}`, 8.1, '%', { low: 4, high: 5.6 });
  fx.prelim = await labReport('preliminary', '2026-11-16', '2951-2', `Sodium ${TAG}`, 139, 'mmol/L', {
    low: 135,
    high: 145,
  });
  await hapiCreate<fhir4.MedicationRequest>({
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: {
      coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076' }],
      text: 'lisinopril 10 MG Oral Tablet',
    },
    subject: { reference: `Patient/${fx.patientId}` },
    requester: { reference: `Practitioner/${practitioner.id}` },
    authoredOn: new Date().toISOString(),
    dosageInstruction: [{ text: 'Take 1 tablet by mouth once a day' }],
  });

  fx.doctor = await tokenOf(`e2e.portaldoc.${RUN}`, PASSWORD);
  // The clinician holds one result back, naming the exception, and opens the chart (for "who opened my chart").
  await apiCall('POST', `/api/results/${fx.held}/hold`, fx.doctor, {
    exception: 'preventing-harm',
    note: 'Discuss the new diabetes diagnosis at the visit first',
  });
  await apiCall('GET', `/api/patients/${fx.patientId}`, fx.doctor);

  browser = await launch();
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 375, height: 812 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  if (fx.held) await apiCall('DELETE', `/api/results/${fx.held}/hold`, fx.doctor).catch(() => undefined);
  for (const id of fx.accounts)
    await apiCall('PATCH', `/api/users/${id}`, fx.admin, { disabled: true }).catch(() => undefined);
});

/** Nothing wider than the phone: no sideways scrolling. */
async function fitsThePhone(screen: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `${screen}: the page is ${width}px wide on a 375px screen`);
}

async function openFromMenu(label: string, heading: string | RegExp) {
  await page.getByRole('button', { name: 'Open navigation' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: label }).click();
  await rendered(page, page.getByRole('heading', { name: heading, level: 1 }));
}

test('the patient signs in with a password and lands on the portal, phone-sized', async () => {
  await login(page, `e2e.portalpt.${RUN}`, PASSWORD);
  await rendered(page, page.getByRole('heading', { name: `Welcome, Lena ${FAMILY}` }));
  assert.equal(new URL(page.url()).pathname, '/portal');
  await page.getByRole('heading', { name: 'Medications' }).waitFor();
  await page.getByText('lisinopril 10 MG Oral Tablet').waitFor();
  await page
    .getByTestId('allergy-state')
    .getByText(/not been recorded/)
    .waitFor();
  await fitsThePhone('my record');
  await shot(page, 'my-record');
  await assertAccessible(page, 'portal: my record');
});

test('a released result shows its plain-language range and trend; held and preliminary ones do not show', async () => {
  await openFromMenu('Test results', 'Test results');
  const released = page.locator(`[data-report-id="${fx.released}"]`);
  await released.getByText('Normal range 3.5 to 5.1 mmol/L — yours is above it').waitFor();
  await released.getByText('Above normal').waitFor();
  await released.getByText(/Potassium has gone up over 2 results, from 4.4 mmol\/L/).waitFor();
  assert.equal(await page.getByText(`Hemoglobin A1c ${TAG}`).count(), 0, 'the held result is not in the portal');
  assert.equal(await page.getByText(`Sodium ${TAG}`).count(), 0, 'the preliminary result is not in the portal');
  await fitsThePhone('results');
  await shot(page, 'results');
  await assertAccessible(page, 'portal: results');
});

test('the patient messages the care team and requests a refill, and sees both waiting', async () => {
  await openFromMenu('Messages and refills', 'Messages and refills');
  await page.getByRole('textbox', { name: 'Subject', exact: true }).fill(`Question about my potassium ${TAG}`);
  await page
    .getByRole('textbox', { name: 'Message', exact: true })
    .fill('My potassium was high. Should I change my diet?');
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.getByText('Your message was sent to your care team.').waitFor();
  await page.getByRole('button', { name: 'Request refill: lisinopril 10 MG Oral Tablet' }).click();
  await page.getByText(/^Refill requested/).waitFor();
  const requests = page.getByTestId('portal-request');
  await requests
    .filter({ hasText: `Question about my potassium ${TAG}` })
    .getByText('Waiting for your care team')
    .waitFor();
  await requests
    .filter({ hasText: 'Refill: ' })
    .filter({ hasText: /lisinopril/i })
    .getByText('Waiting for your care team')
    .waitFor();
  await fitsThePhone('messages');
  await shot(page, 'messages');
  await assertAccessible(page, 'portal: messages and refills');
  // Stored where the clinician's in-basket reads it: the message and the refill request as Tasks for the patient.
  const mine = await apiCall<{ items: Array<{ type: string; status: string }> }>(
    'GET',
    '/api/portal/requests',
    await tokenOf(`e2e.portalpt.${RUN}`, PASSWORD),
  );
  assert.deepEqual(mine.items.map((i) => i.type).sort(), ['message', 'refill-request']);
});

test('insurance and downloading the record', async () => {
  await openFromMenu('Insurance', 'Insurance');
  await page
    .getByText(/No insurance is on file|Member ID/)
    .first()
    .waitFor();
  await fitsThePhone('insurance');
  await shot(page, 'insurance');
  await assertAccessible(page, 'portal: insurance');

  await openFromMenu('Download my record', 'Download my record');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my record (FHIR)' }).click();
  await page.getByText(/Your record was downloaded \(\d+ items\)/).waitFor();
  assert.match((await download).suggestedFilename(), /^my-health-record-\d{4}-\d{2}-\d{2}\.json$/);
  // The International Patient Summary (HAPI's $summary), with the held and preliminary results left out.
  const summary = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my summary (IPS)' }).click();
  await page.getByText(/Your summary was downloaded \(.*Diagnostic Results.*\)/).waitFor();
  const ips = JSON.parse(await readFile((await (await summary).path())!, 'utf8')) as fhir4.Bundle;
  assert.equal(ips.type, 'document');
  assert.equal(ips.entry?.[0]?.resource?.resourceType, 'Composition');
  const text = JSON.stringify(ips);
  assert.ok(text.includes('5.7'), 'the released potassium is in the summary');
  assert.ok(!text.includes(`Hemoglobin A1c ${TAG}`) && !text.includes(`Sodium ${TAG}`), 'nothing withheld is in it');
  await fitsThePhone('download');
  await shot(page, 'download');
  await assertAccessible(page, 'portal: download');
});

test('who opened my chart names the clinician, their role and the kind of access', async () => {
  await openFromMenu('Who opened my chart', 'Who opened my chart');
  const entry = page.getByTestId('access-entry').filter({ hasText: DOCTOR }).filter({ hasText: 'Your chart' });
  await entry.first().getByText('Physician').waitFor();
  await entry.first().getByText('Viewed').waitFor();
  assert.equal(
    await page
      .getByTestId('access-entry')
      .filter({ hasText: `Lena ${FAMILY}` })
      .count(),
    0,
    'the patient’s own actions are not listed',
  );
  await fitsThePhone('access log');
  await shot(page, 'access-log');
  await assertAccessible(page, 'portal: who opened my chart');
});

test('a clinician URL typed by the patient is "not available"', async () => {
  for (const path of [`/patients/${fx.patientId}/summary`, '/inbasket']) {
    await page.goto(path);
    await rendered(page, page.getByRole('heading', { name: 'This page is not available for your role' }));
  }
  await shot(page, 'clinician-url');
  await assertAccessible(page, 'portal: clinician url not available');
  await page.getByRole('link', { name: 'Go to home' }).click();
  await rendered(page, page.getByRole('heading', { name: `Welcome, Lena ${FAMILY}` }));
  assert.equal(new URL(page.url()).pathname, '/portal');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
});

test('staff typing the portal URL get "not available"', async () => {
  await login(page, `e2e.portaldoc.${RUN}`, PASSWORD);
  await rendered(page, page.getByRole('heading', { name: `Welcome, ${DOCTOR}` }));
  await page.goto('/portal/results');
  await rendered(page, page.getByRole('heading', { name: 'This page is not available for your role' }));
  await assertAccessible(page, 'portal: staff refused');
});
