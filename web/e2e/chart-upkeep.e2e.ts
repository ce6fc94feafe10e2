/// <reference types="fhir" />
/**
 * Issue 15 (chart upkeep and nursing) in the browser. A nurse records a set of vitals and sees the out-of-range
 * value flagged, then documents a due dose on the MAR. A physician records an allergy that replaces "no known
 * allergies", marks a problem entered in error (it leaves the list) and records the smoking status.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { launch, login, newPage, rendered, screenshots } from './support/browser';
import { hapiCreate, hapiSearch, tokenOf } from './support/clinical';

const RUN = Date.now().toString(36);
const letters = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const FAMILY = `Upkeep${letters[0]!.toUpperCase()}${letters.slice(1)}`;
const password = `Upkeep-Test-Pass-${letters}-7!`;
const nurseName = `e2e.nurse.${RUN}`;
const doctorName = `e2e.doc.${RUN}`;
const shot = screenshots(`chart-upkeep-${RUN}`);
let browser: Browser;
let admin = '';
const userIds: string[] = [];
let patientId = '';
let orderId = '';
let problemId = '';

before(async () => {
  admin = await adminToken();
  patientId = (
    await apiCall<{ id: string }>('POST', '/api/patients', admin, {
      name: { family: FAMILY, given: ['Rosa'] },
      birthDate: '1958-02-11',
      gender: 'female',
      mrn: `E2E-UPKEEP-${RUN}`,
    })
  ).id;
  for (const [username, role] of [
    [nurseName, 'nurse'],
    [doctorName, 'physician'],
  ] as const) {
    const { id } = await apiCall<{ id: string }>('POST', '/api/users', admin, {
      username,
      displayName: `${role} ${letters}`,
      role,
      password,
    });
    userIds.push(id);
    await apiCall('POST', `/api/users/${id}/assignments`, admin, { patientId, reason: 'e2e chart upkeep' });
  }
  const doctor = await tokenOf(doctorName, password);
  await apiCall('POST', `/api/patients/${patientId}/allergies/no-known-allergies`, doctor, {});
  problemId = (
    await apiCall<{ id: string }>('POST', `/api/patients/${patientId}/problems`, doctor, {
      code: { system: 'icd10', code: 'J45.909', display: 'Unspecified asthma, uncomplicated' },
    })
  ).id;
  orderId = (
    await hapiCreate<fhir4.MedicationRequest>({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${patientId}` },
      authoredOn: new Date().toISOString(),
      medicationCodeableConcept: {
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197361', display: 'Amlodipine 5 MG' }],
        text: 'Amlodipine 5 MG Oral Tablet',
      },
      dosageInstruction: [
        { text: '5 mg by mouth every 6 hours', timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h' } } },
      ],
    })
  ).id!;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  const token = await adminToken().catch(() => admin);
  for (const id of userIds)
    await apiCall('PATCH', `/api/users/${id}`, token, { disabled: true }).catch(() => undefined);
});

test('a nurse records vitals (the out-of-range value flagged) and gives a due dose on the MAR', async () => {
  const page: Page = await newPage(browser);
  await login(page, nurseName, password);
  await page.goto(`/patients/${patientId}/vitals`);
  const panel = page.getByRole('tabpanel');
  await rendered(page, panel.getByRole('button', { name: 'Record vitals' }));
  await panel.getByRole('button', { name: 'Record vitals' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record vitals' });
  await dialog.getByLabel('Systolic (mmHg)').fill('128');
  await dialog.getByLabel('Diastolic (mmHg)').fill('82');
  await dialog.getByLabel('Heart rate (/min)').fill('136');
  await dialog.getByLabel('SpO₂ (%)').fill('97');
  await dialog.getByLabel('Weight (kg)').fill('70');
  await dialog.getByLabel('Height (cm)').fill('165');
  await dialog.getByRole('button', { name: 'Save vitals' }).click();
  await dialog.waitFor({ state: 'detached' });
  const table = panel.getByRole('table', { name: 'Vitals' });
  const hr = table.getByRole('row').filter({ hasText: 'Heart rate' });
  await hr.getByTestId('vital-flag').waitFor();
  assert.equal(await hr.getByTestId('vital-flag').innerText(), 'Critical high');
  // BMI computed by the server from the set's weight and height: 70 / 1.65² = 25.7, above the adult range.
  const bmi = table.getByRole('row').filter({ hasText: 'Body mass index' });
  assert.match(await bmi.innerText(), /25\.7/);
  assert.equal(
    await table.getByRole('row').filter({ hasText: 'Oxygen saturation' }).getByTestId('vital-flag').count(),
    0,
  );
  await shot(page, 'nurse-vitals-flagged');

  await page.getByRole('tab', { name: 'MAR', exact: true }).click();
  const order = page.getByTestId('mar-order').filter({ hasText: 'Amlodipine' });
  await order.waitFor();
  const document = order.getByRole('button', { name: /^Document / }).first();
  const label = ((await document.textContent()) ?? '').replace('Document ', '');
  await document.click();
  const give = page.getByRole('dialog');
  await give.getByRole('button', { name: 'Record' }).click();
  await give.waitFor({ state: 'detached' });
  await order.getByText(`${label} Given`).waitFor();
  await shot(page, 'nurse-mar-given');
  const given = await hapiSearch<fhir4.MedicationAdministration>(
    `MedicationAdministration?request=MedicationRequest/${orderId}`,
  );
  assert.deepEqual(
    given.map((a) => a.status),
    ['completed'],
  );
  await page.context().close();
});

test('a physician adds an allergy replacing NKA, withdraws a problem entered in error, records smoking status', async () => {
  const page: Page = await newPage(browser);
  await login(page, doctorName, password);
  await page.goto(`/patients/${patientId}/allergies`);
  const panel = page.getByRole('tabpanel');
  const state = panel.getByTestId('allergy-state');
  await rendered(page, state);
  assert.equal(await state.innerText(), 'No known allergies');
  await panel.getByRole('button', { name: 'Add allergy' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add allergy' });
  await dialog.getByRole('combobox', { name: 'Substance' }).fill('Penicillin');
  await page.getByRole('option', { name: /Penicillin G/ }).click();
  await dialog.getByRole('combobox', { name: 'Criticality' }).click();
  await page.getByRole('option', { name: 'High' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await panel.getByText('Allergies on record').waitFor();
  const rows = panel.getByRole('table', { name: 'Allergies' }).getByRole('row');
  await rows.filter({ hasText: 'Penicillin G' }).waitFor();
  // The replaced "no known allergies" entry leaves the current list and stays, inactive, in the history.
  assert.equal(await rows.filter({ hasText: 'No known allergy' }).count(), 0);
  await panel.getByRole('button', { name: 'History' }).click();
  await rows.filter({ hasText: 'No known allergy' }).filter({ hasText: 'inactive' }).waitFor();
  await shot(page, 'physician-allergy-replaces-nka');

  await page.getByRole('tab', { name: 'Problems' }).click();
  const problem = page.getByRole('table', { name: 'Problems' }).getByRole('row').filter({ hasText: 'asthma' });
  await problem.getByRole('button', { name: 'Entered in error' }).click();
  const confirm = page.getByRole('dialog', { name: /entered in error/ });
  await confirm.getByLabel('Reason').fill('charted on the wrong patient');
  await confirm.getByRole('button', { name: 'Mark entered in error' }).click();
  await confirm.waitFor({ state: 'detached' });
  await problem.waitFor({ state: 'detached' });
  await page.getByRole('tabpanel').getByRole('button', { name: 'History' }).click();
  await page.getByRole('table', { name: 'Problems' }).getByText('entered in error', { exact: true }).waitFor();
  await shot(page, 'physician-problem-entered-in-error');

  await page.getByRole('tab', { name: 'Social history' }).click();
  await page.getByRole('button', { name: 'Add social history' }).click();
  const social = page.getByRole('dialog', { name: 'Add social history' });
  await social.getByRole('combobox', { name: /^Smoking status / }).click();
  await page.getByRole('option', { name: 'Former smoker' }).click();
  await social.getByRole('button', { name: 'Save' }).click();
  await social.waitFor({ state: 'detached' });
  await page.getByRole('table', { name: 'Social history' }).getByText('Ex-smoker').waitFor();
  await shot(page, 'physician-smoking-status');

  const [stored] = await hapiSearch<fhir4.Observation>(
    `Observation?patient=${patientId}&code=http://loinc.org|72166-2`,
  );
  assert.equal(stored?.valueCodeableConcept?.coding?.[0]?.code, '8517006');
  const [withdrawn] = await hapiSearch<fhir4.Condition>(`Condition?_id=${problemId}`);
  assert.equal(withdrawn?.verificationStatus?.coding?.[0]?.code, 'entered-in-error');
  await page.context().close();
});
