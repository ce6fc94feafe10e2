/// <reference types="fhir" />
/**
 * Proxy access in the browser (issue 16): a physician grants a parent proxy access to a child from the chart; the
 * parent signs in, switches "Acting for" to the child, reads the child's record and results and messages the care
 * team for the child; for the teenager (limited tier) the results page is replaced by a plain notice.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { assertAccessible, BASE_URL, launch, login, rendered, screenshots } from './support/browser';
import { hapiCreate, hapiSearch, tokenOf } from './support/clinical';

const RUN = Date.now().toString(36);
const TAG = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const FAMILY = `Proxy${TAG[0]!.toUpperCase()}${TAG.slice(1)}`;
const PASSWORD = `Proxy-Pass-${TAG}-7!`;
const DOC_USER = `e2e.proxydoc.${RUN}`;
const PARENT_USER = `e2e.proxyparent.${RUN}`;
const LOINC = 'http://loinc.org';
let browser: Browser;
let staff: Page;
let parent: Page;
const shot = screenshots(`portal-proxy-${RUN}`);
const fx = { admin: '', doctor: '', child: '', teen: '', accounts: [] as string[] };

const bornYearsAgo = (years: number) => {
  const d = new Date(Date.now() - 120 * 86_400_000);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
};

async function patient(given: string, birthDate: string, email?: string): Promise<string> {
  const { id } = await apiCall<{ id: string }>('POST', '/api/patients', fx.admin, {
    name: { family: FAMILY, given: [given] },
    birthDate,
    gender: 'female',
    ...(email ? { email } : {}),
  });
  return id;
}

async function finalResult(patientId: string, name: string): Promise<void> {
  const subject = { reference: `Patient/${patientId}` };
  const obs = await hapiCreate<fhir4.Observation>({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: LOINC, code: '718-7' }], text: name },
    subject,
    effectiveDateTime: '2026-11-01T08:00:00Z',
    valueQuantity: { value: 12.5, unit: 'g/dL', system: 'http://unitsofmeasure.org', code: 'g/dL' },
  });
  await hapiCreate<fhir4.DiagnosticReport>({
    resourceType: 'DiagnosticReport',
    status: 'final',
    code: { coding: [{ system: LOINC, code: '718-7' }], text: name },
    subject,
    effectiveDateTime: '2026-11-01T08:00:00Z',
    result: [{ reference: `Observation/${obs.id}` }],
  });
}

before(async () => {
  fx.admin = await adminToken();
  const practitioner = await hapiCreate<fhir4.Practitioner>({
    resourceType: 'Practitioner',
    active: true,
    name: [{ family: 'Proxy', given: [TAG], prefix: ['Dr.'] }],
    identifier: [{ system: 'urn:wintehr:e2e', value: `proxy-${RUN}` }],
  });
  const doctor = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
    username: DOC_USER,
    displayName: `Dr. Proxy ${TAG}`,
    role: 'physician',
    password: PASSWORD,
    fhirPractitionerId: practitioner.id,
  });
  fx.accounts.push(doctor.id);
  const parentId = await patient('Elena', '1984-03-02', `elena.${RUN}@example.org`);
  fx.child = await patient('Mateo', bornYearsAgo(8));
  fx.teen = await patient('Lucia', bornYearsAgo(15));
  for (const patientId of [fx.child, fx.teen])
    await apiCall('POST', `/api/users/${doctor.id}/assignments`, fx.admin, { patientId, reason: 'e2e proxy' });
  const parentAccount = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
    username: PARENT_USER,
    displayName: `Elena ${FAMILY}`,
    role: 'patient',
    password: PASSWORD,
    fhirPatientId: parentId,
  });
  fx.accounts.push(parentAccount.id);
  await hapiCreate<fhir4.Condition>({
    resourceType: 'Condition',
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    code: { text: `Childhood asthma ${TAG}` },
    subject: { reference: `Patient/${fx.child}` },
  });
  await finalResult(fx.child, `Hemoglobin ${TAG}`);
  await finalResult(fx.teen, `Teen hemoglobin ${TAG}`);
  fx.doctor = await tokenOf(DOC_USER, PASSWORD);
  // The teenager's grant is set up directly; the child's is the step under test.
  await apiCall('POST', `/api/patients/${fx.teen}/proxies`, fx.doctor, {
    proxyUsername: PARENT_USER,
    relationship: 'parent',
  });

  browser = await launch();
  const desk = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 } });
  staff = await desk.newPage();
  staff.setDefaultTimeout(15_000);
  const home = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 } });
  parent = await home.newPage();
  parent.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  for (const id of fx.accounts)
    await apiCall('PATCH', `/api/users/${id}`, fx.admin, { disabled: true }).catch(() => undefined);
});

async function actFor(name: RegExp | string) {
  await parent.getByRole('combobox', { name: 'Acting for' }).click();
  await parent.getByRole('option', { name }).click();
}

test('a physician grants the parent proxy access to the child from the chart', async () => {
  await login(staff, DOC_USER, PASSWORD);
  await staff.goto(`/patients/${fx.child}`);
  const card = staff.getByTestId('proxy-access');
  await rendered(staff, card.getByText('Nobody may act for this patient in the portal.'));
  await card.getByRole('textbox', { name: "Proxy's portal username" }).fill(PARENT_USER);
  await card.getByRole('button', { name: 'Grant proxy access' }).click();
  await card
    .getByTestId('proxy-grant')
    .filter({ hasText: `Elena ${FAMILY}` })
    .getByText('Full access')
    .waitFor();
  await shot(staff, 'chart-granted');
  await assertAccessible(staff, 'chart: proxy access');
});

test("the parent switches to the child and reads the child's record and results", async () => {
  await login(parent, PARENT_USER, PASSWORD);
  await rendered(parent, parent.getByRole('heading', { name: `Welcome, Elena ${FAMILY}` }));
  await actFor(new RegExp(`^Mateo ${FAMILY}`));
  await parent.getByRole('heading', { name: `Mateo ${FAMILY}'s record` }).waitFor();
  await parent.getByText(`Childhood asthma ${TAG}`).waitFor();
  await parent.goto('/portal/results');
  await rendered(parent, parent.getByText(`Hemoglobin ${TAG}`).first());
  assert.equal(await parent.getByText(`Teen hemoglobin ${TAG}`).count(), 0);
  await shot(parent, 'child-results');
  await assertAccessible(parent, 'portal: acting for a child');
});

test('the parent messages the care team for the child', async () => {
  await parent.goto('/portal/messages');
  await rendered(parent, parent.getByRole('heading', { name: `Messages and refills for Mateo ${FAMILY}` }));
  await parent.getByRole('textbox', { name: 'Subject', exact: true }).fill(`Inhaler at school ${TAG}`);
  await parent.getByRole('textbox', { name: 'Message', exact: true }).fill('Can the school keep a spare inhaler?');
  await parent.getByRole('button', { name: 'Send message' }).click();
  await parent.getByText('Your message was sent to your care team.').waitFor();
  await parent
    .getByTestId('portal-request')
    .filter({ hasText: `Inhaler at school ${TAG}` })
    .waitFor();
  const tasks = await hapiSearch<fhir4.Task>(`Task?patient=Patient/${fx.child}`);
  assert.ok(
    tasks.some((t) => t.for?.reference === `Patient/${fx.child}`),
    'the message is filed for the child',
  );
});

test("for the teenager, results are beyond the proxy's tier and the page says so", async () => {
  await actFor(new RegExp(`^Lucia ${FAMILY}`));
  await parent.goto('/portal/results');
  await rendered(parent, parent.getByTestId('tier-notice'));
  await parent.getByText(/not available to a proxy for a 12–17 year old/).waitFor();
  assert.equal(await parent.getByText(`Teen hemoglobin ${TAG}`).count(), 0);
  await parent.goto('/portal');
  await rendered(parent, parent.getByRole('heading', { name: `Lucia ${FAMILY}'s record` }));
  await parent.getByTestId('tier-notice').waitFor();
  assert.equal(await parent.getByRole('heading', { name: 'Health problems' }).count(), 0);
  await shot(parent, 'teen-limited');
  await assertAccessible(parent, 'portal: acting for a teenager');
});
