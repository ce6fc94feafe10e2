/// <reference types="fhir" />
/**
 * Issue 15's done-when: one clinic morning in the browser against the real stack, one patient, three roles. The
 * night left work behind through its real roads: a potassium of 6.8 filed straight into HAPI by the lab interface
 * (not through our results API), a renewal request from the pharmacy network (the Surescripts simulator), a
 * prescription the pharmacy returned to stock. Then the nurse records vitals; the physician acknowledges the critical
 * result from the worklist, approves the renewal (sent over eRx) and answers the return in the in-basket,
 * reconciles the medications, records an allergy in place of "no known allergies" and resolves a problem; the
 * pharmacist verifying the morning's antibiotic sees the prescriber's override reason. Every outcome is checked where
 * it is stored (HAPI, the eRx message log), not only on screen.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { launch, login, newPage, rendered, screenshots } from './support/browser';
import { hapiCreate, hapiRead, hapiSearch, tokenOf } from './support/clinical';
import { originate, until } from './support/network';

const RUN = Date.now().toString(36);
const TAG = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const FAMILY = `Morning${TAG[0]!.toUpperCase()}${TAG.slice(1)}`;
const PASSWORD = `Clinic-Morning-${TAG}-8!`;
const RETURN_REASON = `Patient moved pharmacy (${TAG})`;
const OVERRIDE = `Five days only, statin held meanwhile (${TAG})`;
const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const LISINOPRIL = 'lisinopril 10 MG Oral Tablet';
const METFORMIN = 'metformin hydrochloride 500 MG Oral Tablet';
const METOPROLOL = 'metoprolol tartrate 25 MG Oral Tablet';
const CLARITHROMYCIN = 'clarithromycin 500 MG Oral Tablet';
const shot = screenshots(`clinic-morning-${RUN}`);

interface ErxStatus {
  status: string;
  messages: Array<{ messageId: string; type: string; status: string }>;
}

const fx = {
  admin: '',
  doctor: '',
  doctorUser: `e2e.morning.dr.${RUN}`,
  nurseUser: `e2e.morning.rn.${RUN}`,
  patientId: '',
  renewalMrId: '',
  returnMrId: '',
  clarithroId: '',
  problemId: '',
  reportId: '',
  accounts: [] as string[],
};
let browser: Browser;

before(async () => {
  fx.admin = await adminToken();
  // The physician is linked to a demo Practitioner with an NPI and a practice, so SCRIPT messages can name them.
  const [practitioner] = await hapiSearch<fhir4.Practitioner>(
    'Practitioner?identifier=urn:wintehr:demo|practitioner-okafor',
  );
  const [pharmacy] = await hapiSearch<fhir4.Organization>(
    'Organization?identifier=urn:wintehr:demo|pharmacy-wintehr-outpatient',
  );
  assert.ok(practitioner?.id && pharmacy?.id, 'the demo practitioner and pharmacy (load the demo data)');
  fx.patientId = (
    await apiCall<{ id: string }>('POST', '/api/patients', fx.admin, {
      name: { family: FAMILY, given: ['Iris'] },
      birthDate: '1952-06-14',
      gender: 'female',
      mrn: `E2E-AM-${RUN}`.toUpperCase(),
      address: { line: ['3 Orchard Lane'], city: 'Springfield', state: 'IL', postalCode: '62702' },
      phone: '217-555-0199',
    })
  ).id;
  for (const [username, role, practitionerId] of [
    [fx.doctorUser, 'physician', practitioner.id],
    [fx.nurseUser, 'nurse', undefined],
  ] as const) {
    const { id } = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
      username,
      displayName: `${role === 'physician' ? 'Dr.' : 'Nurse'} Morning ${TAG}`,
      role,
      password: PASSWORD,
      ...(practitionerId ? { fhirPractitionerId: practitionerId } : {}),
    });
    fx.accounts.push(id);
    await apiCall('POST', `/api/users/${id}/assignments`, fx.admin, {
      patientId: fx.patientId,
      reason: 'e2e clinic morning',
    });
  }
  fx.doctor = await tokenOf(fx.doctorUser, PASSWORD);
  const chart = (path: string, body: unknown) =>
    apiCall<{ id: string }>('POST', `/api/patients/${fx.patientId}/${path}`, fx.doctor, body);
  const prescribe = (code: string, extra: Record<string, unknown> = {}) =>
    apiCall<{ medicationRequest: { id: string } }>('POST', `/api/patients/${fx.patientId}/medications`, fx.doctor, {
      medication: { code },
      dosage: { dose: { value: 1, unit: '{tablet}' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
      dispense: {
        quantity: { value: 30, unit: '{tablet}' },
        numberOfRepeatsAllowed: 2,
        expectedSupplyDays: 30,
        pharmacyId: pharmacy.id,
      },
      ...extra,
    });

  await chart('allergies/no-known-allergies', {});
  fx.problemId = (
    await chart('problems', { code: { system: 'icd10', code: 'J20.9', display: 'Acute bronchitis, unspecified' } })
  ).id;
  // Medications: a renewal to come, a prescription the pharmacy will return, a beta blocker the patient also lists
  // by brand, and a statin the morning's antibiotic interacts with.
  fx.renewalMrId = (await prescribe('314076')).medicationRequest.id;
  fx.returnMrId = (await prescribe('861007')).medicationRequest.id;
  await prescribe('866924');
  await prescribe('198211');
  await chart('medication-statements', { medication: { display: 'Lopressor' }, dosageText: '25 mg once a day' });
  fx.clarithroId = (
    await prescribe('197517', {
      override: { reason: OVERRIDE },
      dispense: {
        quantity: { value: 10, unit: '{tablet}' },
        numberOfRepeatsAllowed: 0,
        expectedSupplyDays: 5,
        pharmacyId: pharmacy.id,
      },
    })
  ).medicationRequest.id;

  // Overnight, the pharmacy network asks to renew the lisinopril …
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
  // … the in-house pharmacy returns the metformin to stock …
  const lee = await tokenOf('pharm.lee');
  await until('the metformin in the pharmacy queue', async () => {
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
    reasonCode: 'other',
  });
  // … and the lab interface files a critical potassium straight into HAPI, not through the results API.
  const subject = { reference: `Patient/${fx.patientId}` };
  const now = new Date().toISOString();
  const k = await hapiCreate<fhir4.Observation>({
    resourceType: 'Observation',
    status: 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] },
    ],
    code: {
      coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma' }],
    },
    subject,
    effectiveDateTime: now,
    issued: now,
    valueQuantity: { value: 6.8, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
    interpretation: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'HH' }] },
    ],
    referenceRange: [{ low: { value: 3.5, unit: 'mmol/L' }, high: { value: 5.1, unit: 'mmol/L' } }],
  });
  fx.reportId = (
    await hapiCreate<fhir4.DiagnosticReport>({
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '51990-0', display: 'Basic metabolic panel' }] },
      subject,
      issued: now,
      result: [{ reference: `Observation/${k.id}` }],
    })
  ).id;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const id of fx.accounts)
    await apiCall('PATCH', `/api/users/${id}`, fx.admin, { disabled: true }).catch(() => undefined);
});

test('08:00 the nurse records the vitals; the fast heart rate is flagged', async () => {
  const page = await newPage(browser);
  await login(page, fx.nurseUser, PASSWORD);
  await page.goto(`/patients/${fx.patientId}/vitals`);
  const panel = page.getByRole('tabpanel');
  await rendered(page, panel.getByRole('button', { name: 'Record vitals' }));
  await panel.getByRole('button', { name: 'Record vitals' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record vitals' });
  await dialog.getByLabel('Systolic (mmHg)').fill('142');
  await dialog.getByLabel('Diastolic (mmHg)').fill('88');
  await dialog.getByLabel('Heart rate (/min)').fill('112');
  await dialog.getByLabel('SpO₂ (%)').fill('96');
  await dialog.getByRole('button', { name: 'Save vitals' }).click();
  await dialog.waitFor({ state: 'detached' });
  const hr = panel.getByRole('table', { name: 'Vitals' }).getByRole('row').filter({ hasText: 'Heart rate' });
  await hr.getByTestId('vital-flag').waitFor();
  assert.equal(await hr.getByTestId('vital-flag').innerText(), 'High');
  await shot(page, 'nurse-vitals');
  const [stored] = await hapiSearch<fhir4.Observation>(
    `Observation?patient=${fx.patientId}&code=http://loinc.org|8867-4`,
  );
  assert.equal(stored?.valueQuantity?.value, 112);
  await page.context().close();
});

let doctor: Page;

test('08:15 the physician acknowledges the critical potassium from the worklist on the home page', async () => {
  doctor = await newPage(browser);
  await login(doctor, fx.doctorUser, PASSWORD);
  const worklist = doctor.getByRole('list', { name: 'Unacknowledged critical results' });
  const item = worklist.locator(`[data-alert-id="${fx.reportId}"]`);
  await rendered(doctor, item);
  // Named for people, not as Patient/<uuid> and LOINC 2823-3.
  await item.getByRole('link', { name: `Iris ${FAMILY}` }).waitFor();
  assert.match(await item.innerText(), /Potassium \[Moles\/volume\] in Serum or Plasma 6\.8 mmol\/L — critical high/);
  await shot(doctor, 'critical-worklist');
  await item.getByRole('button', { name: /^Acknowledge / }).click();
  await item.waitFor({ state: 'detached' });
  const report = await hapiRead<fhir4.DiagnosticReport>(`DiagnosticReport/${fx.reportId}`);
  assert.ok(
    report.extension?.some((e) => e.url.endsWith('/acknowledged')),
    'acknowledged on the report in HAPI',
  );
  // The chart's summary shows it among the recent labs, by name.
  await doctor.goto(`/patients/${fx.patientId}/summary`);
  const k = doctor.getByRole('table', { name: 'Recent labs' }).getByRole('row').filter({ hasText: 'Potassium' });
  await rendered(doctor, k);
  assert.match(await k.innerText(), /6\.8 mmol\/L \(HH\)/);
});

test('08:20 in the in-basket: approves the renewal (sent over eRx) and answers the pharmacy return', async () => {
  await doctor.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'In-basket' }).click();
  await rendered(doctor, doctor.getByRole('heading', { name: 'In-basket' }));
  const itemOf = (title: string) =>
    doctor.getByTestId('inbasket-item').filter({ hasText: FAMILY }).filter({ hasText: title });
  const renewal = itemOf(`Renewal request: ${LISINOPRIL}`);
  await renewal.waitFor();
  await renewal.getByRole('button', { name: 'Approve' }).click();
  await doctor.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
  await renewal.waitFor({ state: 'detached' });
  await until('RxRenewalResponse accepted by the network', async () => {
    const s = await apiCall<ErxStatus>('GET', `/api/erx/prescriptions/${fx.renewalMrId}/status`, fx.doctor);
    return s.messages.some((m) => m.type === 'RxRenewalResponse' && m.status === 'accepted');
  });

  await doctor.getByRole('button', { name: /^Pharmacy returns/ }).click();
  const returned = itemOf(`Returned to stock: ${METFORMIN} — ${RETURN_REASON}`);
  await returned.waitFor();
  await shot(doctor, 'inbasket-return');
  await returned.getByRole('button', { name: 'Acknowledge' }).click();
  await doctor.getByRole('dialog').getByRole('button', { name: 'Acknowledge' }).click();
  await returned.waitFor({ state: 'detached' });
  const mr = await hapiRead<fhir4.MedicationRequest>(`MedicationRequest/${fx.returnMrId}`);
  assert.equal(mr.status, 'on-hold', 'the returned prescription stays on the chart, on hold');
});

test('08:30 reconciles the medications: the brand the patient lists meets the order, which is stopped', async () => {
  await doctor.goto(`/patients/${fx.patientId}/medications`);
  await doctor.getByRole('button', { name: 'Reconcile' }).click();
  const dialog = doctor.getByRole('dialog', { name: 'Medication reconciliation' });
  const meto = dialog.getByRole('table', { name: 'Reconciliation' }).getByRole('row').filter({ hasText: 'Lopressor' });
  await meto.getByText(METOPROLOL).waitFor();
  await meto.getByLabel(/^Decision for/).click();
  await doctor.getByRole('option', { name: 'Discontinue' }).click();
  await doctor.getByRole('listbox').waitFor({ state: 'hidden' });
  await meto.getByLabel(/^Reason for/).fill('Heart rate controlled without it');
  await shot(doctor, 'reconciliation');
  await dialog.getByRole('button', { name: 'Save reconciliation' }).click();
  await doctor.getByRole('status').filter({ hasText: 'Medication reconciliation saved' }).waitFor();
  const metoprolol = await hapiSearch<fhir4.MedicationRequest>(
    `MedicationRequest?subject=Patient/${fx.patientId}&code=${RX}|866924`,
  );
  assert.deepEqual(
    metoprolol.map((m) => m.status),
    ['stopped'],
  );
});

test('08:40 records a penicillin allergy in place of "no known allergies" and resolves the bronchitis', async () => {
  await doctor.getByRole('tab', { name: 'Allergies', exact: true }).click();
  const panel = doctor.getByRole('tabpanel');
  await rendered(doctor, panel.getByTestId('allergy-state'));
  assert.equal(await panel.getByTestId('allergy-state').innerText(), 'No known allergies');
  await panel.getByRole('button', { name: 'Add allergy' }).click();
  const dialog = doctor.getByRole('dialog', { name: 'Add allergy' });
  await dialog.getByRole('combobox', { name: 'Substance' }).fill('Penicillin');
  await doctor.getByRole('option', { name: /Penicillin G/ }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await panel.getByText('Allergies on record').waitFor();

  await doctor.getByRole('tab', { name: 'Problems', exact: true }).click();
  const bronchitis = doctor.getByRole('table', { name: 'Problems' }).getByRole('row').filter({ hasText: 'bronchitis' });
  await bronchitis.getByRole('button', { name: 'Resolve' }).click();
  await bronchitis.getByRole('button', { name: 'Reactivate' }).waitFor();
  await shot(doctor, 'problems-updated');
  const problem = await hapiRead<fhir4.Condition>(`Condition/${fx.problemId}`);
  assert.equal(problem.clinicalStatus?.coding?.[0]?.code, 'resolved');
  const allergies = await hapiSearch<fhir4.AllergyIntolerance>(`AllergyIntolerance?patient=${fx.patientId}`);
  const active = allergies.filter((a) => a.clinicalStatus?.coding?.[0]?.code === 'active');
  assert.equal(active.length, 1, 'one active allergy; the NKA entry retired');
  assert.match(active[0]!.code?.text ?? active[0]!.code?.coding?.[0]?.display ?? '', /Penicillin/);
  await doctor.context().close();
});

test("09:00 the pharmacist verifying the antibiotic sees the prescriber's override reason", async () => {
  const page = await newPage(browser);
  await login(page, 'pharm.lee');
  await page.goto(`/pharmacy/queue/${fx.clarithroId}`);
  await rendered(page, page.getByRole('heading', { level: 1, name: CLARITHROMYCIN }));
  await page.getByTestId('prescriber-overrides').getByText(OVERRIDE, { exact: false }).waitFor();
  assert.match(await page.getByTestId('allergies').innerText(), /Penicillin/);
  await shot(page, 'pharmacist-override');
  await page.context().close();
});
