/**
 * Role gaps (issue #12): a portal patient who types a clinician chart URL gets a "not available for your role"
 * page, with no chart shell and no chart request to the API; an administrator has no implicit access to charts,
 * opens one only by breaking the glass, and then sees it read-only (no prescribing, notes or app launch); a
 * physician's draft note is read-only for a nurse, and the signed note names author, signer and time.
 */
/// <reference types="fhir" />
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { assertAccessible, launch, login, newPage, screenshots } from './support/browser';
import { hapiSearch, tokenOf } from './support/clinical';

const RUN = Date.now().toString(36);
let browser: Browser;
let page: Page;
const shot = screenshots(`roles-${RUN}`);
/** Letters only: patient names and passwords built from the run id. */
const TAG = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
let admin: string;
/** A patient the admin registers: registration gives an administrator no relationship with the chart. */
let patientId: string;
/** Accounts made for the run, disabled at the end (accounts are never deleted: the audit trail refers to them). */
const accounts: string[] = [];

/** Every API path the page asks for, so a test can say what the page did not load. */
let apiPaths: string[] = [];

before(async () => {
  admin = await adminToken();
  ({ id: patientId } = await apiCall<{ id: string }>('POST', '/api/patients', admin, {
    name: { family: `Rolestest${TAG}`, given: ['Ada'] },
    birthDate: '1951-02-03',
    gender: 'female',
  }));
  browser = await launch();
  page = await newPage(browser);
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) apiPaths.push(u.pathname);
  });
});
after(async () => {
  await browser?.close();
  for (const id of accounts)
    await apiCall('PATCH', `/api/users/${id}`, await adminToken(), { disabled: true }).catch(() => undefined);
});

test('a patient typing a clinician chart URL gets "not available for your role": no chart shell, no chart request', async () => {
  const [other] = await hapiSearch<fhir4.Patient>('Patient?identifier=MRN-000002');
  assert.ok(other?.id, 'demo patient MRN-000002 (john.smith) not found: load the demo data');
  await login(page, 'maria.garcia');
  await page.getByRole('heading', { name: /^Welcome, / }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  assert.equal(
    await nav.getByRole('link', { name: 'Patients' }).count(),
    0,
    'no patient search in a patient’s navigation',
  );

  for (const path of [`/patients/${other.id}/summary`, `/patients/${other.id}/notes`, '/patients']) {
    apiPaths = [];
    await page.goto(path);
    await page.getByRole('heading', { name: 'This page is not available for your role' }).waitFor();
    assert.equal(await page.getByRole('tablist', { name: 'Chart sections' }).count(), 0, `${path}: no chart tabs`);
    assert.equal(await page.getByRole('combobox').count(), 0, `${path}: no patient search box`);
    assert.deepEqual(
      apiPaths.filter((p) => p.startsWith('/api/patients')),
      [],
      `${path}: the page asked the API for no chart data`,
    );
  }
  await shot(page, 'patient-typed-chart-url');
  await assertAccessible(page, 'not available for your role');
  await page.getByRole('link', { name: 'Go to home' }).click();
  await page.getByRole('heading', { name: /^Welcome, / }).waitFor();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
});

test('an admin opens a chart only by breaking the glass, then read-only: no prescribing, no new notes, no app launch', async () => {
  await login(page, 'admin');
  await page.getByRole('heading', { name: 'Welcome, Administrator' }).waitFor();
  await page.goto(`/patients/${patientId}/summary`);
  await page.getByRole('alert').filter({ hasText: 'You can open it in an emergency' }).waitFor();
  assert.equal(
    await page.getByRole('tablist', { name: 'Chart sections' }).count(),
    0,
    'no chart before breaking the glass',
  );
  await shot(page, 'admin-chart-refused');

  await page.getByRole('button', { name: 'Break the glass' }).click();
  const dialog = page.getByRole('dialog', { name: 'Break the glass' });
  await dialog
    .getByLabel('Reason for emergency access')
    .fill(`Records request for the coroner, on-call physician unreachable (${RUN})`);
  await dialog.getByRole('button', { name: 'Open the chart' }).click();
  const tabs = page.getByRole('tablist', { name: 'Chart sections' });
  await tabs.waitFor();
  assert.equal(
    await tabs.getByRole('tab', { name: 'Apps' }).count(),
    0,
    'launching apps is clinical work: no Apps tab',
  );
  await tabs.getByRole('tab', { name: 'Medications' }).click();
  // The list answers (the grant opens the API too) in the same row where a prescriber gets the Prescribe button.
  await page.getByRole('group', { name: 'Which prescriptions' }).waitFor();
  await page.getByText('No active prescriptions.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Prescribe' }).count(), 0, 'an admin cannot prescribe');
  await tabs.getByRole('tab', { name: 'Notes' }).click();
  await page.getByText('No notes yet.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'New note' }).count(), 0, 'an admin cannot write notes');
  await shot(page, 'admin-chart-after-break-glass');
  await assertAccessible(page, 'chart opened by break the glass (admin)');
});

test("a physician's draft is read-only for a nurse; once signed it names author, signer and signing time", async () => {
  const [practitioner] = await hapiSearch<fhir4.Practitioner>(
    'Practitioner?identifier=urn:wintehr:demo|practitioner-okafor',
  );
  assert.ok(practitioner?.id, 'demo Practitioner practitioner-okafor not found: load the demo data');
  const people = {
    doc: {
      username: `e2e.roles.doc.${RUN}`,
      displayName: `Dr. Roles ${TAG}`,
      role: 'physician',
      password: `Roles-Doc-Pass-${TAG}-9!`,
      fhirPractitionerId: practitioner.id,
    },
    nurse: {
      username: `e2e.roles.nurse.${RUN}`,
      displayName: `Nurse Roles ${TAG}`,
      role: 'nurse',
      password: `Roles-Rn-Pass-${TAG}-7!`,
    },
  };
  for (const p of Object.values(people)) {
    const u = await apiCall<{ id: string }>('POST', '/api/users', admin, p);
    accounts.push(u.id);
    await apiCall('POST', `/api/users/${u.id}/assignments`, admin, { patientId, reason: 'e2e draft ownership' });
  }
  const doctor = await tokenOf(people.doc.username, people.doc.password);
  const sections = {
    subjective: `E2E ${RUN}: follow-up`,
    objective: 'BP 128/82',
    assessment: 'Stable',
    plan: 'Continue',
  };
  const draft = await apiCall<{ id: string }>('POST', `/api/patients/${patientId}/notes`, doctor, {
    template: 'progress-soap',
    sections,
  });

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await login(page, people.nurse.username, people.nurse.password);
  await page.getByRole('heading', { name: /^Welcome, / }).waitFor();
  await page.goto(`/patients/${patientId}/notes`);
  const list = page.getByRole('list', { name: 'Notes' });
  await list
    .getByRole('button')
    .filter({ hasText: `Draft · Written by ${people.doc.displayName}` })
    .click();
  const editor = page.getByRole('region', { name: 'Note editor' });
  await editor.getByText(`${people.doc.displayName}’s work in progress`).waitFor();
  assert.equal(await editor.getByTestId('note-status').innerText(), 'Draft');
  assert.equal(await editor.getByRole('textbox').count(), 0, 'no fields to edit in someone else’s draft');
  for (const name of ['Save draft', 'Sign note', 'Discard draft'])
    assert.equal(await editor.getByRole('button', { name }).count(), 0, `no ${name} button`);
  await editor.getByText(`E2E ${RUN}: follow-up`).waitFor();
  await shot(page, 'nurse-reads-physician-draft');
  await assertAccessible(page, 'someone else’s draft (read-only)');

  await apiCall('POST', `/api/notes/${draft.id}/sign`, doctor);
  await page.reload();
  await list
    .getByRole('button')
    .filter({ hasText: `Written by ${people.doc.displayName} · Signed by ${people.doc.displayName} · ` })
    .click();
  await editor.getByTestId('note-status').filter({ hasText: 'Signed' }).waitFor();
  assert.match(
    await editor.getByTestId('note-byline').innerText(),
    new RegExp(`^Written by ${people.doc.displayName} · Signed by ${people.doc.displayName} · \\S`),
  );
  await shot(page, 'signed-note-byline');
});
