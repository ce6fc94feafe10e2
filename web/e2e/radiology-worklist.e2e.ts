/**
 * The radiologist's reading worklist: a study ordered STAT and uploaded by a physician in set-up appears in the
 * worklist of a radiologist who has no other relationship with the patient; the radiologist opens it from the row
 * (the chart's Imaging tab), writes and signs the report, and back on the worklist the study has left Unreported.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { BASE_URL, assertAccessible, launch, login, newPage, rendered, screenshots } from './support/browser';
import { hapiCreate, tokenOf } from './support/clinical';
import { letters, staffAccounts, writeSyntheticStudy, type StaffAccount } from './support/imaging';

const RUN = Date.now().toString(36);
/** Patient names take letters only: the run id spelled with letters keeps this run's patient unique. */
const FAMILY = `Worklist${letters(RUN)}`;
const shot = screenshots(`radiology-worklist-${RUN}`);

let browser: Browser;
let page: Page;
let admin: string;
let patientId: string;
let xrDir: string;
let radiologist: StaffAccount;

const staff = staffAccounts(RUN, () => admin);
const account = staff.create;

const nav = (name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name });
const myRow = () => page.getByTestId('worklist-row').filter({ hasText: FAMILY });

before(async () => {
  admin = await adminToken();
  const radPractitioner = await hapiCreate<fhir4.Practitioner>({
    resourceType: 'Practitioner',
    name: [{ family: `Rad${letters(RUN)}`, given: ['Ray'] }],
  });
  const orderer = await hapiCreate<fhir4.Practitioner>({
    resourceType: 'Practitioner',
    name: [{ family: `Orderer${letters(RUN)}`, given: ['Olga'] }],
  });
  const physician = await account('physician', 'wldoc');
  radiologist = await account('radiologist', 'wlrad', radPractitioner.id);
  const mrn = `E2E-WL-${RUN}`;
  patientId = (
    await apiCall<{ id: string }>('POST', '/api/patients', admin, {
      name: { family: FAMILY, given: ['Iris'] },
      birthDate: '1958-07-21',
      gender: 'female',
      mrn,
    })
  ).id;
  // Only the physician is assigned: the radiologist reaches the chart through the worklist basis alone.
  await apiCall('POST', `/api/users/${physician.id}/assignments`, admin, { patientId, reason: 'e2e worklist' });
  const order = await hapiCreate<fhir4.ServiceRequest>({
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    priority: 'stat',
    category: [{ coding: [{ system: 'http://snomed.info/sct', code: '363679005', display: 'Imaging' }] }],
    code: { text: 'XR chest 2 views' },
    subject: { reference: `Patient/${patientId}` },
    requester: { reference: `Practitioner/${orderer.id}` },
  });
  xrDir = writeSyntheticStudy({ kind: 'xr', seed: `e2e-wl-${RUN}`, mrn, name: `${FAMILY}^Iris` });
  const form = new FormData();
  form.append('serviceRequestId', order.id);
  for (const f of readdirSync(xrDir)) form.append('files', new Blob([readFileSync(path.join(xrDir, f))]), f);
  const res = await fetch(`${BASE_URL}/api/patients/${patientId}/imaging/studies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await tokenOf(physician.username, physician.password)}` },
    body: form,
  });
  assert.equal(res.status, 201, `upload → ${res.status} ${await res.text()}`);
  browser = await launch();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  if (xrDir) rmSync(xrDir, { recursive: true, force: true });
  await staff.disableAll();
});

test('the radiologist finds the STAT study in the worklist from the navigation', async () => {
  await login(page, radiologist.username, radiologist.password);
  await page.getByRole('heading', { name: /^Welcome, / }).waitFor();
  await nav('Imaging worklist').click();
  await rendered(page, page.getByRole('heading', { name: 'Imaging worklist', level: 1 }));
  await myRow().waitFor();
  assert.equal(await myRow().count(), 1);
  assert.equal(await myRow().getByTestId('worklist-priority').innerText(), 'STAT');
  assert.equal(await myRow().getByTestId('worklist-report-state').innerText(), 'Not reported');
  await myRow().getByText(`MRN E2E-WL-${RUN}`, { exact: false }).waitFor();
  await shot(page, 'worklist');
  await assertAccessible(page, 'imaging worklist');
});

test('opens the study from its row, signs the report, and the study leaves Unreported', async () => {
  await myRow().getByRole('link').first().click();
  await page.waitForURL(`**/patients/${patientId}/imaging?study=*`);
  // The chart marks the study the worklist pointed at.
  const study = page.locator('[data-testid="imaging-study-row"][aria-current="true"]');
  await study.waitFor();
  await study.getByRole('button', { name: 'Write report' }).click();
  const dialog = page.getByRole('dialog', { name: /^Report:/ });
  await dialog.getByLabel('Findings').fill('Synthetic radiograph: lungs clear.');
  await dialog.getByLabel('Impression', { exact: false }).fill('No acute cardiopulmonary abnormality.');
  await dialog.getByRole('button', { name: 'Sign report' }).click();
  await study.getByText('Signed').waitFor();
  await shot(page, 'signed');

  // The list is read again on every visit (a cached copy may show first): the fresh answer must drop the row.
  const fresh = page.waitForResponse((r) => r.url().includes('/api/imaging/worklist') && r.status() === 200);
  await nav('Imaging worklist').click();
  await page.getByRole('heading', { name: 'Imaging worklist', level: 1 }).waitFor();
  await fresh;
  await myRow().waitFor({ state: 'detached', timeout: 15_000 });
  assert.equal(await myRow().count(), 0, 'the signed study is still listed as unreported');

  await page.getByRole('button', { name: 'All', exact: true }).click();
  await myRow().waitFor();
  assert.equal(await myRow().getByTestId('worklist-report-state').innerText(), 'Signed');
  await shot(page, 'all');
  await assertAccessible(page, 'imaging worklist (all)');
});
