/// <reference types="fhir" />
/**
 * Message attachments in the browser (issue 16): a patient on a phone attaches a PDF to a message for the care team
 * (choosing and removing a file first), sees it listed with the message, and the physician opens the in-basket item
 * and downloads the same bytes. Both screens are checked with axe; the stored Binary is checked in HAPI.
 */
import { readFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { assertAccessible, BASE_URL, launch, login, newPage, rendered, screenshots } from './support/browser';
import { hapiCreate, hapiRead, hapiSearch } from './support/clinical';

const RUN = Date.now().toString(36);
const TAG = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const FAMILY = `Attach${TAG[0]!.toUpperCase()}${TAG.slice(1)}`;
const PASSWORD = `Attach-Pass-${TAG}-7!`;
const SUBJECT = `Lab letter ${TAG}`;
const shot = screenshots(`portal-attachments-${RUN}`);
let browser: Browser;
let patientPage: Page;
let doctorPage: Page;
const fx = { admin: '', patientId: '', accounts: [] as string[] };

/** A small but real PDF (file-type must recognise it from its bytes). */
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%'),
  Buffer.alloc(20_000, 0x61),
  Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
]);

before(async () => {
  fx.admin = await adminToken();
  const practitioner = await hapiCreate<fhir4.Practitioner>({
    resourceType: 'Practitioner',
    active: true,
    name: [{ family: 'Attach', given: [TAG], prefix: ['Dr.'] }],
    identifier: [{ system: 'urn:wintehr:e2e', value: `attach-${RUN}` }],
  });
  const doctor = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
    username: `e2e.attachdoc.${RUN}`,
    displayName: `Dr. Attach ${TAG}`,
    role: 'physician',
    password: PASSWORD,
    fhirPractitionerId: practitioner.id,
  });
  fx.accounts.push(doctor.id);
  ({ id: fx.patientId } = await apiCall<{ id: string }>('POST', '/api/patients', fx.admin, {
    name: { family: FAMILY, given: ['Ines'] },
    birthDate: '1979-06-21',
    gender: 'female',
    email: `ines.${RUN}@example.org`,
  }));
  await apiCall('POST', `/api/users/${doctor.id}/assignments`, fx.admin, {
    patientId: fx.patientId,
    reason: 'e2e attachments',
  });
  const portal = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
    username: `e2e.attachpt.${RUN}`,
    displayName: `Ines ${FAMILY}`,
    role: 'patient',
    password: PASSWORD,
    fhirPatientId: fx.patientId,
  });
  fx.accounts.push(portal.id);

  browser = await launch();
  const phone = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 375, height: 812 } });
  patientPage = await phone.newPage();
  patientPage.setDefaultTimeout(15_000);
  doctorPage = await newPage(browser);
});

after(async () => {
  await browser?.close();
  for (const id of fx.accounts)
    await apiCall('PATCH', `/api/users/${id}`, fx.admin, { disabled: true }).catch(() => undefined);
});

test('the patient attaches a PDF to a message and sees it listed with the message', async () => {
  const page = patientPage;
  await login(page, `e2e.attachpt.${RUN}`, PASSWORD);
  await rendered(page, page.getByRole('heading', { name: `Welcome, Ines ${FAMILY}` }));
  await page.getByRole('button', { name: 'Open navigation' }).click();
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Messages and refills' })
    .click();
  await rendered(page, page.getByRole('heading', { name: 'Messages and refills', level: 1 }));

  await page.getByRole('textbox', { name: 'Subject', exact: true }).fill(SUBJECT);
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill('The letter from the lab is attached.');
  const input = page.getByTestId('message-files');
  // A wrong pick first, removed with its chip (Delete on the focused chip, as a keyboard user would): only the PDF
  // is sent.
  await input.setInputFiles({ name: 'wrong.txt', mimeType: 'text/plain', buffer: Buffer.from('not this one') });
  await page.getByRole('button', { name: /wrong\.txt/ }).press('Delete');
  await page.getByRole('button', { name: /wrong\.txt/ }).waitFor({ state: 'detached' });
  await input.setInputFiles({ name: 'lab letter.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: /lab letter\.pdf \(20 KB\)/ }).waitFor();
  assert.equal(await page.getByRole('button', { name: /wrong\.txt/ }).count(), 0);
  await shot(page, 'composer');
  await assertAccessible(page, 'portal: composer with a file');
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.getByText('Your message was sent to your care team.').waitFor();

  const mine = page.getByTestId('portal-request').filter({ hasText: SUBJECT });
  await mine.getByRole('button', { name: /^Download lab letter\.pdf \(PDF, 20 KB\)$/ }).waitFor();
  assert.equal(await mine.getByTestId('message-attachment').count(), 1);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `the page is ${width}px wide on a 375px screen`);
  await shot(page, 'sent');
  await assertAccessible(page, 'portal: message with an attachment');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    mine.getByRole('button', { name: /^Download lab letter\.pdf/ }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'lab letter.pdf');
  assert.equal(Buffer.compare(await readFile((await download.path())!), PDF), 0);
});

test('the physician sees the attachment on the in-basket item and downloads the same PDF', async () => {
  const page = doctorPage;
  await login(page, `e2e.attachdoc.${RUN}`, PASSWORD);
  await page.goto('/inbasket');
  await rendered(page, page.getByRole('heading', { name: 'In-basket' }));
  await page.getByRole('button', { name: /^Patient messages/ }).click();
  const item = page.getByTestId('inbasket-item').filter({ hasText: FAMILY }).filter({ hasText: SUBJECT });
  await item.waitFor();
  const button = item.getByRole('button', { name: /^Download lab letter\.pdf \(PDF, 20 KB\)$/ });
  await button.waitFor();
  await shot(page, 'inbasket-item');
  await assertAccessible(page, 'in-basket: message with an attachment');
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const bytes = await readFile((await download.path())!);
  assert.equal(bytes.subarray(0, 4).toString(), '%PDF');
  assert.equal(bytes.length, PDF.length);

  // Stored as a Binary in the patient's compartment, referenced from the message.
  const [comm] = await hapiSearch<fhir4.Communication>(`Communication?subject=Patient/${fx.patientId}`);
  assert.ok(comm, 'the message is stored');
  const url = comm.payload?.find((p) => p.contentAttachment)?.contentAttachment?.url;
  const binary = await hapiRead<fhir4.Binary>(url!);
  assert.equal(binary.contentType, 'application/pdf');
  assert.equal(binary.securityContext?.reference, `Patient/${fx.patientId}`);
});
