/// <reference types="fhir" />
/**
 * Patient self-scheduling in the browser (issue 16), phone-sized for the patient: a patient books a visit from a
 * provider's free times, sees it under Appointments, the practice's schedule (a clinician's page left open) shows
 * it without a reload, then the patient reschedules and cancels it. Every portal screen is checked with axe.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { assertAccessible, BASE_URL, launch, login, rendered, screenshots } from './support/browser';
import { hapiCreate, hapiRead, hapiSearch } from './support/clinical';
import { until } from './support/network';

const RUN = Date.now().toString(36);
const TAG = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const NAME = `${TAG[0]!.toUpperCase()}${TAG.slice(1)}`;
const FAMILY = `Booker${NAME}`;
const PASSWORD = `Booking-Pass-${TAG}-7!`;
const DOCTOR = `Dr. ${NAME} Slotwell`;
const PATIENT_USER = `e2e.bookpt.${RUN}`;
const DOCTOR_USER = `e2e.bookdoc.${RUN}`;
let browser: Browser;
let patient: Page;
let doctor: Page;
const shot = screenshots(`portal-appointments-${RUN}`);
const fx = {
  admin: '',
  accounts: [] as string[],
  scheduleId: '',
  slots: [] as string[],
  starts: [] as string[],
  day: '',
};

/** The visit day: three days ahead, around noon UTC, so it is the same calendar day in any clinic zone near UTC. */
const DAY_MS = 86_400_000;

const dayLabel = (day: string) =>
  new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  );

before(async () => {
  fx.admin = await adminToken();
  const practitioner = await hapiCreate<fhir4.Practitioner>({
    resourceType: 'Practitioner',
    active: true,
    name: [{ family: 'Slotwell', given: [NAME], prefix: ['Dr.'] }],
    identifier: [{ system: 'urn:wintehr:e2e', value: `booking-${RUN}` }],
  });
  const doc = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
    username: DOCTOR_USER,
    displayName: DOCTOR,
    role: 'physician',
    password: PASSWORD,
    fhirPractitionerId: practitioner.id,
  });
  fx.accounts.push(doc.id);
  const { id: patientId } = await apiCall<{ id: string }>('POST', '/api/patients', fx.admin, {
    name: { family: FAMILY, given: ['Ada'] },
    birthDate: '1979-02-11',
    gender: 'female',
    // The portal sign-in code goes here (read back from the mail simulator by the login helper).
    email: `ada.${RUN}@example.org`,
  });
  const pt = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
    username: PATIENT_USER,
    displayName: `Ada ${FAMILY}`,
    role: 'patient',
    password: PASSWORD,
    fhirPatientId: patientId,
  });
  fx.accounts.push(pt.id);

  // The provider's bookable schedule with three free times over lunch (outside the generated clinic hours).
  const schedule = await hapiCreate<fhir4.Schedule>({
    resourceType: 'Schedule',
    identifier: [{ system: 'urn:wintehr:schedule', value: `e2e-${RUN}` }],
    active: true,
    serviceType: [{ text: 'Family practice' }],
    actor: [{ reference: `Practitioner/${practitioner.id}` }],
  });
  fx.scheduleId = schedule.id;
  const noon = Date.parse(`${new Date(Date.now() + 3 * DAY_MS).toISOString().slice(0, 10)}T12:00:00Z`);
  fx.day = new Date(noon).toISOString().slice(0, 10);
  for (const minutes of [0, 20, 40]) {
    const slot = await hapiCreate<fhir4.Slot>({
      resourceType: 'Slot',
      schedule: { reference: `Schedule/${schedule.id}` },
      status: 'free',
      start: new Date(noon + minutes * 60_000).toISOString(),
      end: new Date(noon + (minutes + 20) * 60_000).toISOString(),
    });
    fx.slots.push(slot.id);
    fx.starts.push(slot.start);
  }

  browser = await launch();
  const phone = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 375, height: 812 } });
  patient = await phone.newPage();
  patient.setDefaultTimeout(15_000);
  const desk = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 } });
  doctor = await desk.newPage();
  doctor.setDefaultTimeout(15_000);
});

after(async () => {
  await browser?.close();
  // Retire the test schedule so other runs never offer its times.
  if (fx.scheduleId)
    await hapiRead<fhir4.Schedule>(`Schedule/${fx.scheduleId}`)
      .then((s) =>
        fetch(`${process.env.E2E_HAPI_URL ?? 'http://127.0.0.1:8080/fhir'}/Schedule/${fx.scheduleId}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/fhir+json' },
          body: JSON.stringify({ ...s, active: false }),
        }),
      )
      .catch(() => undefined);
  for (const id of fx.accounts)
    await apiCall('PATCH', `/api/users/${id}`, fx.admin, { disabled: true }).catch(() => undefined);
});

/** Axe reads colours as they are: wait until a button's enable transition (MUI, 250 ms) has finished. */
async function settled(page: Page) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, {
    timeout: 5_000,
  });
}

async function fitsThePhone(screen: string) {
  const width = await patient.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `${screen}: the page is ${width}px wide on a 375px screen`);
}

const scheduleRow = () => doctor.locator('tr[data-appointment-id]').filter({ hasText: `Ada ${FAMILY}` });

/** Picks the free time that starts at `start` (named in the clinic's zone, which the page shows beside the day). */
async function chooseTime(start: string) {
  await patient.getByRole('combobox', { name: 'Provider' }).click();
  await patient.getByRole('option', { name: DOCTOR }).click();
  await patient.getByRole('combobox', { name: 'Day' }).click();
  await patient.getByRole('option', { name: new RegExp(`^${dayLabel(fx.day)} \\(`) }).click();
  const heading = patient.getByRole('heading', { name: new RegExp(`^Free times on ${dayLabel(fx.day)}`) });
  const timeZone = /\(([^)]+)\)$/.exec((await heading.innerText()).trim())?.[1] ?? 'UTC';
  const time = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone }).format(
    new Date(start),
  );
  // ICU versions differ on the space before AM/PM (U+0020 or U+202F): match any.
  const name = new RegExp(`^${time.replace(/\s+/g, '\\s')} with ${DOCTOR}$`);
  const times = patient.getByRole('group', { name: new RegExp(`^Free times on ${dayLabel(fx.day)}`) });
  await times.getByRole('button', { name }).click();
  assert.match(
    await patient.getByTestId('booking-summary').innerText(),
    new RegExp(`${dayLabel(fx.day)} at .* with ${DOCTOR}`),
  );
}

test('the clinician has the practice schedule of the visit day open (live)', async () => {
  await login(doctor, DOCTOR_USER, PASSWORD);
  await doctor.goto(`/schedule?date=${fx.day}`);
  await rendered(doctor, doctor.getByRole('heading', { name: 'Schedule', level: 1 }));
  await doctor.getByTestId('live-status').and(doctor.locator('[data-status="live"]')).waitFor();
  assert.equal(await scheduleRow().count(), 0);
});

test('the patient books a visit from the free times and sees it under Appointments', async () => {
  await login(patient, PATIENT_USER, PASSWORD);
  await rendered(patient, patient.getByRole('heading', { name: `Welcome, Ada ${FAMILY}` }));
  await patient.getByRole('button', { name: 'Open navigation' }).click();
  await patient
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Appointments' })
    .click();
  await rendered(patient, patient.getByRole('heading', { name: 'Appointments', level: 1 }));
  await patient.getByText('You have no upcoming visits.').waitFor();
  await settled(patient);
  await assertAccessible(patient, 'portal: my appointments (empty)');

  await patient.getByRole('link', { name: 'Book a visit' }).click();
  await rendered(patient, patient.getByRole('heading', { name: 'Book a visit', level: 1 }));
  await chooseTime(fx.starts[0]!);
  await patient.getByRole('textbox', { name: 'Reason for the visit' }).fill('Knee pain when climbing stairs');
  await fitsThePhone('book a visit');
  await shot(patient, 'book');
  await settled(patient);
  await assertAccessible(patient, 'portal: book a visit');
  await patient.getByRole('button', { name: 'Book this visit' }).click();

  await patient.getByText('Your visit is booked.').waitFor();
  const item = patient.getByTestId('portal-appointment').filter({ hasText: DOCTOR });
  await item.getByText('Reason: Knee pain when climbing stairs').waitFor();
  await item.getByText('Booked', { exact: true }).waitFor();
  assert.match(await item.innerText(), new RegExp(dayLabel(fx.day)));
  assert.equal((await hapiRead<fhir4.Slot>(`Slot/${fx.slots[0]}`)).status, 'busy');
  await fitsThePhone('my appointments');
  await shot(patient, 'booked');
  await settled(patient);
  await assertAccessible(patient, 'portal: my appointments');
});

test("the practice's schedule shows the booking without a reload", async () => {
  await scheduleRow().first().waitFor();
  assert.match(await scheduleRow().first().innerText(), /Booked/);
  await shot(doctor, 'schedule-live');
});

test('the patient reschedules to another free time, then cancels', async () => {
  const item = patient.getByTestId('portal-appointment').filter({ hasText: DOCTOR });
  await item.getByRole('link', { name: /^Reschedule: / }).click();
  await rendered(patient, patient.getByRole('heading', { name: 'Reschedule a visit', level: 1 }));
  await patient.getByText(/^Moving your visit of /).waitFor();
  await chooseTime(fx.starts[1]!);
  await settled(patient);
  await assertAccessible(patient, 'portal: reschedule');
  await patient.getByRole('button', { name: 'Move my visit to this time' }).click();
  await patient.getByText('Your visit was moved.').waitFor();
  const [old, moved] = await Promise.all([
    hapiRead<fhir4.Slot>(`Slot/${fx.slots[0]}`),
    hapiSearch<fhir4.Slot>(`Slot?schedule=Schedule/${fx.scheduleId}&status=busy`),
  ]);
  assert.equal(old.status, 'free', 'the old time is free again');
  assert.deepEqual(
    moved.map((m) => m.id),
    [fx.slots[1]],
    'the chosen new time is the only busy one',
  );

  const upcoming = patient
    .getByRole('region', { name: 'Upcoming' })
    .getByTestId('portal-appointment')
    .filter({ hasText: DOCTOR });
  await upcoming.getByRole('button', { name: /^Cancel: / }).click();
  const dialog = patient.getByRole('dialog', { name: 'Cancel this visit?' });
  await dialog.getByRole('textbox', { name: 'Why are you cancelling?' }).fill('The pain went away');
  await settled(patient);
  await assertAccessible(patient, 'portal: cancel dialog');
  await dialog.getByRole('button', { name: 'Cancel visit' }).click();
  await patient.getByText('You have no upcoming visits.').waitFor();
  const past = patient.getByRole('region', { name: 'Past and cancelled' });
  await past.getByText('Cancelled: The pain went away').waitFor();
  assert.equal((await hapiSearch<fhir4.Slot>(`Slot?schedule=Schedule/${fx.scheduleId}&status=busy`)).length, 0);
  await fitsThePhone('after cancelling');
  await shot(patient, 'cancelled');

  // The practice's open schedule followed both changes: the first and the moved visit are there, both cancelled.
  await until('both visits cancelled on the schedule', async () => {
    const rows = scheduleRow();
    const n = await rows.count();
    return n === 2 && (await rows.filter({ hasText: 'Cancelled' }).count()) === 2;
  });
});
