/// <reference types="fhir" />
/**
 * Issue 17's done-when in the browser: a physician opens a patient's chart, checks the insurance from the banner
 * and reads the payer's answer (active plan, deductible, copays) from the clearinghouse simulator; the check is
 * stored in HAPI (CoverageEligibilityResponse with the raw 271 as Binary). The patient's Coverage carries a
 * member id the simulator answers as a Prairie PPO member.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { assertAccessible, launch, login, newPage, rendered, screenshots } from './support/browser';
import { hapiCreate, hapiSearch } from './support/clinical';

const RUN = Date.now().toString(36);
const letters = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const FAMILY = `Elig${letters[0]!.toUpperCase()}${letters.slice(1)}`;
const username = `e2e.elig.${RUN}`;
const password = `Elig-Test-Pass-${letters}-5!`;
let browser: Browser;
let page: Page;
let admin = '';
let userId = '';
let patientId = '';
const shot = screenshots(`eligibility-${RUN}`);

before(async () => {
  admin = await adminToken();
  userId = (
    await apiCall<{ id: string }>('POST', '/api/users', admin, {
      username,
      displayName: `Dr. Elig ${letters}`,
      role: 'physician',
      password,
    })
  ).id;
  patientId = (
    await apiCall<{ id: string }>('POST', '/api/patients', admin, {
      name: { family: FAMILY, given: ['Ada'] },
      birthDate: '1961-04-09',
      gender: 'female',
      mrn: `E2E-ELIG-${RUN}`,
    })
  ).id;
  await apiCall('POST', `/api/users/${userId}/assignments`, admin, { patientId, reason: 'e2e eligibility check' });
  const payer = await hapiCreate<fhir4.Organization>({
    resourceType: 'Organization',
    name: 'Prairie BlueCross Health Plan',
    identifier: [{ system: 'http://wintehr.org/fhir/sid/x12-payer-id', value: '00621' }],
  });
  const member = `PRA${String(parseInt(RUN, 36) % 1_000_000_000).padStart(9, '0')}`;
  await hapiCreate<fhir4.Coverage>({
    resourceType: 'Coverage',
    status: 'active',
    beneficiary: { reference: `Patient/${patientId}` },
    subscriber: { reference: `Patient/${patientId}` },
    subscriberId: member,
    relationship: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship', code: 'self' }],
    },
    payor: [{ reference: `Organization/${payer.id}` }],
  });
  browser = await launch();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  if (userId)
    await apiCall('PATCH', `/api/users/${userId}`, await adminToken().catch(() => admin), { disabled: true }).catch(
      () => undefined,
    );
});

test("the physician checks the patient's insurance from the chart banner", async () => {
  await login(page, username, password);
  await page.goto(`/patients/${patientId}`);
  const banner = page.getByRole('region', { name: 'Patient banner' });
  await rendered(page, banner.getByTestId('patient-name'));
  await banner.getByRole('button', { name: 'Check eligibility' }).click();
  const dialog = page.getByRole('dialog', { name: 'Insurance eligibility' });
  const status = dialog.getByTestId('eligibility-status');
  await status.or(dialog.getByRole('alert')).first().waitFor({ timeout: 30_000 });
  assert.match(await status.innerText(), /Active coverage: Prairie PPO Gold/);
  const benefits = dialog.getByRole('table', { name: 'Benefits' });
  // Each row: the benefit, its qualifiers (network, period, level) on a second line, then the amount.
  const rows = await benefits.getByRole('row').allInnerTexts();
  const row = (label: string) => rows.find((r) => r.startsWith(`${label}\n`))?.replace(/\s+/g, ' ');
  assert.equal(
    row('Deductible — Health Benefit Plan Coverage'),
    'Deductible — Health Benefit Plan Coverage in network · per calendar year · individual $1,500',
  );
  assert.match(row('Co-Payment — Professional (Physician) Visit - Office') ?? '', /in network · per visit .* \$25$/);
  assert.match(row('Co-Insurance — Health Benefit Plan Coverage') ?? '', /in network · individual 20%$/);
  await shot(page, 'eligibility-answer');
  await assertAccessible(page, 'eligibility dialog');

  // Stored where the issue says: the response in HAPI, linked to the patient, the raw 271 kept as Binary.
  const [response] = await hapiSearch<fhir4.CoverageEligibilityResponse>(
    `CoverageEligibilityResponse?patient=Patient/${patientId}`,
  );
  assert.equal(response?.outcome, 'complete');
  assert.ok(response?.extension?.some((e) => e.valueReference?.reference?.startsWith('Binary/')));
  await dialog.getByRole('button', { name: 'Close' }).click();
});
