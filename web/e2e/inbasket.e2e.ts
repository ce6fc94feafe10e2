/// <reference types="fhir" />
/**
 * The clinician in-basket in the browser against the real stack (issue 15): a physician opens the in-basket, approves
 * a pharmacy's renewal request (the RxRenewalResponse goes out to the Surescripts simulator), answers a prescription
 * the pharmacy returned, replies to a patient's portal message, and approves a patient's refill request (the renewed
 * prescription goes out over eRx and the portal shows it approved). The items are seeded through their real
 * workflows (the simulator originates the renewal request, pharm.lee returns the prescription, the patient writes
 * from the portal API); each outcome is checked where it is stored, not only on screen.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { launch, login, newPage, rendered, screenshots } from './support/browser';
import { hapiRead, hapiSearch, tokenOf } from './support/clinical';
import { originate, until } from './support/network';

const RUN = Date.now().toString(36);
const TAG = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const FAMILY = `Inbasket${TAG[0]!.toUpperCase()}${TAG.slice(1)}`;
const RETURN_REASON = `Out of stock until Monday (${TAG})`;
const REPLY = `Take it with food; call us if it persists (${TAG}).`;
let browser: Browser;
let page: Page;
const shot = screenshots(`inbasket-${RUN}`);

interface ErxStatus {
  status: string;
  current: { messageId: string } | null;
  messages: Array<{ messageId: string; type: string; status: string }>;
}

const fx = {
  username: `e2e.inbasket.${RUN}`,
  password: `Inbasket-Pass-${TAG}-9!`,
  displayName: `Dr. Inbasket ${TAG}`,
  patientId: '',
  renewalMrId: '',
  returnMrId: '',
  refillMrId: '',
  doctor: '',
  portal: '',
  accounts: [] as string[],
  admin: '',
};

before(async () => {
  fx.admin = await adminToken();
  // A demo Practitioner with an NPI and a practice location, so SCRIPT messages can be built for them.
  const [practitioner] = await hapiSearch<fhir4.Practitioner>(
    'Practitioner?identifier=urn:wintehr:demo|practitioner-okafor',
  );
  const [pharmacy] = await hapiSearch<fhir4.Organization>(
    'Organization?identifier=urn:wintehr:demo|pharmacy-wintehr-outpatient',
  );
  assert.ok(practitioner && pharmacy, 'demo Practitioner okafor and the outpatient pharmacy (load the demo data)');
  const user = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
    username: fx.username,
    displayName: fx.displayName,
    role: 'physician',
    password: fx.password,
    fhirPractitionerId: practitioner.id,
  });
  fx.accounts.push(user.id);
  const patient = await apiCall<{ id: string }>('POST', '/api/patients', fx.admin, {
    name: { family: FAMILY, given: ['Rosa'] },
    birthDate: '1961-03-02',
    gender: 'female',
    mrn: `E2E-IB-${RUN}`,
    address: { line: ['12 Elm Street'], city: 'Springfield', state: 'IL', postalCode: '62704' },
    phone: '217-555-0142',
    // The portal sign-in code goes here (read back from the mail simulator by the login helper).
    email: `rosa.${RUN}@example.org`,
  });
  fx.patientId = patient.id;
  await apiCall('POST', `/api/users/${user.id}/assignments`, fx.admin, {
    patientId: patient.id,
    reason: 'e2e in-basket',
  });
  const portalUser = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
    username: `e2e.portal.${RUN}`,
    displayName: `Rosa ${FAMILY}`,
    role: 'patient',
    password: fx.password,
    fhirPatientId: patient.id,
  });
  fx.accounts.push(portalUser.id);

  fx.doctor = await tokenOf(fx.username, fx.password);
  const prescribe = (code: string) =>
    apiCall<{ medicationRequest: { id: string } }>('POST', `/api/patients/${patient.id}/medications`, fx.doctor, {
      medication: { code },
      dosage: { dose: { value: 1, unit: '{tablet}' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
      dispense: {
        quantity: { value: 30, unit: '{tablet}' },
        numberOfRepeatsAllowed: 2,
        expectedSupplyDays: 30,
        pharmacyId: pharmacy.id,
      },
    });
  fx.renewalMrId = (await prescribe('314076')).medicationRequest.id; // lisinopril 10 mg
  fx.returnMrId = (await prescribe('861007')).medicationRequest.id; // metformin 500 mg
  fx.refillMrId = (await prescribe('197361')).medicationRequest.id; // amlodipine 5 mg, refilled from the portal

  // Renewal: the prescription goes out, then the pharmacy (the simulator) asks for a renewal.
  const sent = await apiCall<{ messageId: string }>(
    'POST',
    `/api/erx/prescriptions/${fx.renewalMrId}/send`,
    fx.doctor,
    {},
  );
  await until('NewRx accepted', async () => {
    const s = await apiCall<ErxStatus>('GET', `/api/erx/prescriptions/${fx.renewalMrId}/status`, fx.doctor);
    return s.status === 'accepted';
  });
  await originate('RxRenewalRequest', sent.messageId);

  // Return: pharm.lee claims the metformin prescription and returns it to the prescriber.
  const lee = await tokenOf('pharm.lee');
  await until('the prescription in the pharmacy queue', async () => {
    const q = await apiCall<{ items: Array<{ medicationRequestId: string }> }>(
      'GET',
      '/api/pharmacy/queue?findings=false&limit=100',
      lee,
    );
    return q.items.some((i) => i.medicationRequestId === fx.returnMrId);
  });
  await apiCall('POST', `/api/pharmacy/queue/${fx.returnMrId}/claim`, lee, {});
  await apiCall('POST', `/api/pharmacy/queue/${fx.returnMrId}/return`, lee, {
    reason: RETURN_REASON,
    reasonCode: 'out-of-stock',
  });

  // Message: the patient writes from the portal.
  fx.portal = await tokenOf(`e2e.portal.${RUN}`, fx.password);
  await apiCall('POST', '/api/portal/messages', fx.portal, {
    subject: `Dizzy in the mornings ${TAG}`,
    text: 'Since the new tablets I feel dizzy after breakfast.',
  });
  // Refill: the patient asks from the portal for more of the amlodipine.
  await apiCall('POST', '/api/portal/refill-requests', fx.portal, {
    medicationRequestId: fx.refillMrId,
    note: 'Running out on Friday',
  });

  browser = await launch();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  for (const id of fx.accounts)
    await apiCall('PATCH', `/api/users/${id}`, fx.admin, { disabled: true }).catch(() => undefined);
});

const itemOf = (title: string | RegExp) =>
  page.getByTestId('inbasket-item').filter({ hasText: FAMILY }).filter({ hasText: title });

test('the physician sees the in-basket badge and opens the in-basket from the navigation', async () => {
  await login(page, fx.username, fx.password);
  await page.getByRole('heading', { name: new RegExp(`Welcome, ${fx.displayName}`) }).waitFor();
  const badge = page.getByTestId('inbasket-badge');
  await until('badge count', async () => Number(await badge.getAttribute('data-count')) >= 3);
  await page.getByRole('region', { name: 'In-basket' }).getByText('Renewal requests').waitFor();
  await shot(page, 'home');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'In-basket' }).click();
  await rendered(page, page.getByRole('heading', { name: 'In-basket' }));
  await itemOf('Renewal request: lisinopril 10 MG Oral Tablet').waitFor();
  await shot(page, 'inbasket');
});

test('approves the renewal request: the RxRenewalResponse is sent to the pharmacy over eRx', async () => {
  const item = itemOf('Renewal request: lisinopril 10 MG Oral Tablet');
  await item.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Note (optional)').fill('OK for three more months');
  await shot(page, 'approve-dialog');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('status').filter({ hasText: 'sent to the pharmacy over eRx' }).waitFor();
  await item.waitFor({ state: 'detached' });
  await shot(page, 'renewal-approved');
  const response = await until('RxRenewalResponse accepted by the network', async () => {
    const s = await apiCall<ErxStatus>('GET', `/api/erx/prescriptions/${fx.renewalMrId}/status`, fx.doctor);
    return s.messages.find((m) => m.type === 'RxRenewalResponse' && m.status === 'accepted');
  });
  assert.ok(response.messageId);
});

test('answers the prescription the pharmacy returned to stock', async () => {
  await page.getByRole('button', { name: /^Pharmacy returns/ }).click();
  const item = itemOf(`Returned to stock: metformin hydrochloride 500 MG Oral Tablet — ${RETURN_REASON}`);
  await item.waitFor();
  await shot(page, 'pharmacy-return');
  await item.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Acknowledge' }).click();
  await item.waitFor({ state: 'detached' });
  const [task] = await hapiSearch<fhir4.Task>(
    `Task?focus=MedicationRequest/${fx.returnMrId}&code=urn:wintehr:task-type|pharmacy-return`,
  );
  assert.equal(task?.status, 'completed');
  // Not silently gone: the prescription stays on the chart as on hold, with the pharmacy's reason.
  const mr = await hapiRead<fhir4.MedicationRequest>(`MedicationRequest/${fx.returnMrId}`);
  assert.equal(mr.status, 'on-hold');
  assert.equal(mr.statusReason?.text, RETURN_REASON);
});

test("replies to the patient's message; the patient reads the answer in the portal", async () => {
  await page.getByRole('button', { name: /^Patient messages/ }).click();
  const item = itemOf(`Message: Dizzy in the mornings ${TAG}`);
  await item.waitFor();
  await item.getByRole('button', { name: 'Reply' }).click();
  await page.getByRole('dialog').getByLabel('Reply to the patient').fill(REPLY);
  await shot(page, 'reply-dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Reply' }).click();
  await item.waitFor({ state: 'detached' });
  await shot(page, 'replied');
  const mine = await apiCall<{ items: Array<{ type: string; status: string; answer: string | null }> }>(
    'GET',
    '/api/portal/requests',
    fx.portal,
  );
  assert.deepEqual(
    mine.items.filter((i) => i.type === 'message').map((i) => ({ status: i.status, answer: i.answer })),
    [{ status: 'answered', answer: REPLY }],
  );
  // The audit trail is written asynchronously (batched): wait for the reply's record.
  await until('the reply in the audit trail', async () => {
    const audit = await apiCall<{ records: Array<{ action: string; outcome: string }> }>(
      'GET',
      `/api/audit?patient=${fx.patientId}&action=inbasket.patient-message.reply`,
      fx.admin,
    );
    return audit.records.some((r) => r.outcome === 'success');
  });
});

test("approves the patient's refill request: a renewed prescription goes out over eRx and the portal says approved", async () => {
  await page.getByRole('button', { name: /^Refill requests/ }).click();
  const item = itemOf(/Refill request: amlodipine/);
  await item.waitFor();
  await item.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog');
  await shot(page, 'refill-approve-dialog');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await item.waitFor({ state: 'detached' });
  await shot(page, 'refill-approved');
  // The renewal replaces the old prescription and is sent to the same pharmacy; the network accepts the NewRx.
  const [renewed] = await hapiSearch<fhir4.MedicationRequest>(
    `MedicationRequest?subject=Patient/${fx.patientId}&status=active&code=197361`,
  );
  assert.ok(renewed?.id && renewed.id !== fx.refillMrId, 'a new amlodipine prescription is active');
  assert.equal(renewed.priorPrescription?.reference, `MedicationRequest/${fx.refillMrId}`);
  await until('the renewed NewRx accepted by the network', async () => {
    const s = await apiCall<ErxStatus>('GET', `/api/erx/prescriptions/${renewed.id}/status`, fx.doctor);
    return s.messages.some((m) => m.type === 'NewRx' && m.status === 'accepted');
  });
  const mine = await apiCall<{ items: Array<{ type: string; status: string; answer: string | null }> }>(
    'GET',
    '/api/portal/requests',
    fx.portal,
  );
  assert.deepEqual(
    mine.items.filter((i) => i.type === 'refill-request').map((i) => i.status),
    ['approved'],
  );
});
