/// <reference types="fhir" />
/**
 * Issue 15's patient lists and encounters in the browser: a physician opens today's schedule, checks a patient in,
 * starts the visit, and the chart shows the visit in progress (an in-progress Encounter linked to the appointment).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { assertAccessible, launch, login, newPage, rendered, screenshots } from './support/browser';
import { hapiCreate, hapiSearch } from './support/clinical';

const RUN = Date.now().toString(36);
const letters = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const FAMILY = `Sched${letters[0]!.toUpperCase()}${letters.slice(1)}`;
const username = `e2e.sched.${RUN}`;
const password = `Sched-Test-Pass-${letters}-5!`;
let browser: Browser;
let page: Page;
let admin = '';
let userId = '';
let patientId = '';
let appointmentId = '';
const shot = screenshots(`schedule-${RUN}`);

before(async () => {
  admin = await adminToken();
  const user = await apiCall<{ id: string; fhirPractitionerId?: string }>('POST', '/api/users', admin, {
    username,
    displayName: `Dr. Sched ${letters}`,
    role: 'physician',
    password,
  });
  userId = user.id;
  assert.ok(user.fhirPractitionerId, 'the new physician has a Practitioner');
  patientId = (
    await apiCall<{ id: string }>('POST', '/api/patients', admin, {
      name: { family: FAMILY, given: ['Ada'] },
      birthDate: '1961-04-09',
      gender: 'female',
      mrn: `E2E-SCHED-${RUN}`,
    })
  ).id;
  await apiCall('POST', `/api/users/${userId}/assignments`, admin, { patientId, reason: 'e2e schedule' });
  // Today in the clinic's zone (UTC by default), at the current hour so it is on today's list whenever this runs.
  const start = new Date();
  start.setUTCMinutes(0, 0, 0);
  appointmentId = (
    await hapiCreate<fhir4.Appointment>({
      resourceType: 'Appointment',
      status: 'booked',
      description: 'Follow-up visit',
      start: start.toISOString(),
      end: new Date(start.getTime() + 20 * 60_000).toISOString(),
      minutesDuration: 20,
      participant: [
        { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
        { actor: { reference: `Practitioner/${user.fhirPractitionerId}` }, status: 'accepted' },
      ],
    })
  ).id!;
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

test("the physician checks the patient in from today's schedule, starts the visit and sees it in the chart", async () => {
  await login(page, username, password);
  await page.getByRole('link', { name: 'Schedule', exact: true }).first().click();
  await page.waitForURL(/\/schedule/);
  const row = page.locator(`tr[data-appointment-id="${appointmentId}"]`);
  await rendered(page, row);
  assert.match(await row.innerText(), new RegExp(`Ada ${FAMILY}`));

  await row.getByRole('button', { name: `Check in: Ada ${FAMILY}` }).click();
  await row.getByText('Checked in', { exact: true }).waitFor();
  await shot(page, 'checked-in');

  await row.getByRole('button', { name: `Start visit: Ada ${FAMILY}` }).click();
  await page.waitForURL(new RegExp(`/patients/${patientId}`));
  const banner = page.getByRole('region', { name: 'Patient banner' });
  const visit = banner.getByTestId('visit-in-progress');
  await visit.waitFor({ timeout: 15_000 });
  assert.match(await visit.innerText(), /^Visit in progress since /);
  await shot(page, 'visit-in-progress');

  // The visit is an in-progress Encounter linked to the appointment, and the banner names that encounter.
  const [encounter] = await hapiSearch<fhir4.Encounter>(`Encounter?appointment=Appointment/${appointmentId}`);
  assert.equal(encounter?.status, 'in-progress');
  assert.equal(await visit.getAttribute('data-encounter-id'), encounter?.id);
  const [appt] = await hapiSearch<fhir4.Appointment>(`Appointment?_id=${appointmentId}`);
  assert.equal(appt?.status, 'arrived');
  await assertAccessible(page, 'chart with a visit in progress');

  // Back on the schedule the line says so and offers to open the visit instead of starting another.
  await page.goBack();
  await rendered(page, row);
  await row.getByText('Visit in progress', { exact: true }).waitFor();
  assert.equal(await row.getByRole('button', { name: /Start visit/ }).count(), 0);
  await assertAccessible(page, 'schedule');

  // A note started during the visit belongs to it.
  await page.goto(`/patients/${patientId}/notes`);
  await page.getByTestId('visit-in-progress').waitFor();
  await page.getByRole('button', { name: 'New note' }).click();
  await page.getByRole('region', { name: 'Note editor' }).waitFor();
  const [note] = await hapiSearch<fhir4.DocumentReference>(
    `DocumentReference?patient=${patientId}&_sort=-_lastUpdated`,
  );
  assert.equal(note?.context?.encounter?.[0]?.reference, `Encounter/${encounter?.id}`);
});
