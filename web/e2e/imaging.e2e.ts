import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { BASE_URL, assertAccessible, launch, login, newPage, screenshots } from './support/browser';
import { HAPI_URL, tokenOf } from './support/clinical';
import { letters, staffAccounts, writeSyntheticStudy, type StaffAccount } from './support/imaging';

const RUN = Date.now().toString(36);
const shot = screenshots(`imaging-${RUN}`);

let browser: Browser;
let page: Page;
let admin: string;
let patientId: string;
let mrn: string;
let physician: StaffAccount;
let radiologist: StaffAccount;
let stranger: StaffAccount;
let ctDir: string;
let xrDir: string;

const writeStudy = (kind: 'ct' | 'xr', seed: string) => writeSyntheticStudy({ kind, seed, mrn, name: 'Imagetest^Ada' });
const staff = staffAccounts(RUN, () => admin);
const account = staff.create;

const viewports = () => page.getByTestId('imaging-viewport');

/** Fails unless the viewport's canvas shows an image (many distinct grey levels), whatever the renderer. */
async function assertPainted(vp: Locator): Promise<void> {
  const distinct = await vp.evaluate((el) => {
    const canvas = el.querySelector('canvas');
    if (!canvas) return 0;
    const ctx = canvas.getContext('2d');
    if (!ctx) return -1;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const levels = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 97) levels.add(data[i]!);
    return levels.size;
  });
  assert.ok(distinct > 2 || distinct === -1, `the viewport canvas shows no image (${distinct} grey levels)`);
}

async function uploadThroughDialog(dir: string, expectCount: number): Promise<void> {
  await page.getByRole('button', { name: 'Upload study' }).click();
  const dialog = page.getByRole('dialog', { name: 'Upload imaging study' });
  await dialog.getByTestId('imaging-file-input').setInputFiles(readdirSync(dir).map((f) => path.join(dir, f)));
  await dialog.getByText(`${expectCount} file(s) selected`).waitFor();
  const started = Date.now();
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await dialog.getByText(new RegExp(`Stored ${expectCount} image`)).waitFor({ timeout: 60_000 });
  console.log(`[imaging] ${expectCount}-file upload through the browser: ${Date.now() - started} ms`);
  await shot(page, `uploaded-${expectCount}`);
  await dialog.getByRole('button', { name: 'Close' }).click();
}

before(async () => {
  admin = await adminToken();
  const prac = await fetch(`${HAPI_URL}/Practitioner`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Practitioner', name: [{ family: `Rad${letters(RUN)}`, given: ['Ray'] }] }),
  }).then((r) => r.json() as Promise<{ id: string }>);
  physician = await account('physician', 'imgdoc');
  radiologist = await account('radiologist', 'imgrad', prac.id);
  stranger = await account('physician', 'imgx');
  mrn = `E2E-IMG-${RUN}`;
  const patient = await apiCall<{ id: string }>('POST', '/api/patients', admin, {
    name: { family: 'Imagetest', given: ['Ada'] },
    birthDate: '1961-03-04',
    gender: 'female',
    mrn,
  });
  patientId = patient.id;
  for (const a of [physician, radiologist])
    await apiCall('POST', `/api/users/${a.id}/assignments`, admin, { patientId, reason: 'e2e imaging workflow' });
  ctDir = writeStudy('ct', `e2e-ct-${RUN}`);
  xrDir = writeStudy('xr', `e2e-xr-${RUN}`);
  browser = await launch();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  for (const dir of [ctDir, xrDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  await staff.disableAll();
});

test('a physician uploads a 20-slice CT and a chest X-ray in the Imaging tab', async () => {
  await login(page, physician.username, physician.password);
  await page.getByRole('heading', { name: /^Welcome, / }).waitFor();
  await page.goto(`/patients/${patientId}/imaging`);
  await page.getByRole('heading', { name: 'Imaging' }).waitFor();
  await uploadThroughDialog(ctDir, 20);
  await uploadThroughDialog(xrDir, 2);
  await page.getByTestId('imaging-study-row').nth(1).waitFor();
  assert.equal(await page.getByTestId('imaging-study-row').count(), 2);
});

test('opens the CT in the viewer, scrolls slices and changes window/level', async () => {
  const webgl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    return !!(c.getContext('webgl2') ?? c.getContext('webgl'));
  });
  console.log(`[imaging] WebGL in this Chromium: ${webgl ? 'yes' : 'no (Cornerstone3D renders on the CPU)'}`);
  await page
    .getByTestId('imaging-study-row')
    .filter({ hasText: 'CT CHEST' })
    .getByRole('button', { name: 'View' })
    .click();
  const vp = viewports().first();
  await vp.and(page.locator('[data-loaded="true"]')).waitFor({ timeout: 60_000 });
  assert.equal(await vp.getAttribute('data-slice-count'), '20');
  await assertPainted(vp);
  await shot(page, 'viewer');
  await assertAccessible(page, 'image viewer');

  await vp.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await page.locator('[data-testid="imaging-viewport"][data-slice-index="3"]').waitFor();
  const box = (await vp.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 300);
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="imaging-viewport"]')?.getAttribute('data-slice-index')) > 3,
  );
  assert.match(await page.getByTestId('imaging-slice-label').innerText(), /Slice \d+ \/ 20/);
  await shot(page, 'scrolled');

  await page.getByRole('button', { name: 'Lung' }).click();
  await page.locator('[data-testid="imaging-viewport"][data-window="1500/-600"]').waitFor();
  await shot(page, 'lung-window');
  await page.getByRole('button', { name: 'Window/level', exact: true }).click();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => {
    const w = document.querySelector('[data-testid="imaging-viewport"]')?.getAttribute('data-window');
    return !!w && w !== '1500/-600';
  });
  await shot(page, 'window-dragged');

  await page.getByRole('button', { name: 'Measure length' }).click();
  await page.mouse.move(box.x + box.width / 2 - 60, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  // The length tool labels its line in millimetres (the CT has a 1.5 mm pixel spacing).
  await vp
    .locator('svg text')
    .filter({ hasText: /\d+(\.\d+)? mm/ })
    .first()
    .waitFor();
  await shot(page, 'length');
  await page.getByRole('button', { name: 'Close viewer' }).click();
});

test('compares the two studies side by side', async () => {
  for (const row of await page.getByTestId('imaging-study-row').all()) await row.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Compare selected' }).click();
  await page.getByRole('heading', { name: 'Compare studies' }).waitFor();
  await page.locator('[data-testid="imaging-viewport"][data-loaded="true"]').nth(1).waitFor({ timeout: 60_000 });
  assert.equal(await viewports().count(), 2);
  for (const vp of await viewports().all()) await assertPainted(vp);
  await shot(page, 'compare');
  await page.getByRole('button', { name: 'Close viewer' }).click();
});

test('a radiologist writes and signs the report; the physician reads it', async () => {
  const radPage = await newPage(browser);
  await login(radPage, radiologist.username, radiologist.password);
  await radPage.getByRole('heading', { name: /^Welcome, / }).waitFor();
  await radPage.goto(`/patients/${patientId}/imaging`);
  const row = radPage.getByTestId('imaging-study-row').filter({ hasText: 'CT CHEST' });
  await row.getByRole('button', { name: 'Write report' }).click();
  const dialog = radPage.getByRole('dialog', { name: /^Report:/ });
  await dialog.getByLabel('Findings').fill('Synthetic phantom: lungs clear, no nodule.');
  await dialog.getByLabel('Impression', { exact: false }).fill('No acute cardiopulmonary abnormality.');
  await dialog.getByRole('button', { name: 'Sign report' }).click();
  await row.getByText('Signed').waitFor();
  await shot(radPage, 'report-signed');
  await radPage.close();

  await page.reload();
  const docRow = page.getByTestId('imaging-study-row').filter({ hasText: 'CT CHEST' });
  await docRow.getByText('No acute cardiopulmonary abnormality.').waitFor();
  await docRow.getByText('Signed').waitFor();
});

test('a user without access to the patient gets nothing from /dicomweb', async () => {
  const { studies } = await apiCall<{ studies: Array<{ studyUid: string; series: Array<{ uid: string }> }> }>(
    'GET',
    `/api/patients/${patientId}/imaging/studies`,
    await tokenOf(physician.username, physician.password),
  );
  const uid = studies[0]!.studyUid;
  const token = await tokenOf(stranger.username, stranger.password);
  for (const url of [
    `/dicomweb/studies/${uid}/metadata`,
    `/dicomweb/studies/${uid}/series`,
    `/dicomweb/studies?PatientID=${encodeURIComponent(mrn)}`,
    `/dicomweb/studies`,
  ]) {
    const res = await fetch(BASE_URL + url, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    assert.ok([400, 403, 404].includes(res.status), `${url} → ${res.status}`);
    assert.doesNotMatch(text, /"vr"|00080018/, `${url} leaked DICOM attributes`);
  }
});
