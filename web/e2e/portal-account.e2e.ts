/**
 * Patient portal accounts in the browser (issue 16): a physician invites a patient from the chart, the patient
 * opens the link from the mail simulator's inbox, activates the account, signs in with the password and the
 * emailed code and lands on the portal, sees the session on "Sign-in & security", then resets a forgotten password
 * (which signs the first session out). Phone-sized for the patient; every screen checked with axe.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { assertAccessible, enterMailedCode, launch, login, newPage, rendered, screenshots } from './support/browser';
import { hapiCreate } from './support/clinical';
import { linkIn, waitForMail } from './support/mail';

const RUN = Date.now().toString(36);
const TAG = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const FAMILY = `Invitee${TAG[0]!.toUpperCase()}${TAG.slice(1)}`;
const EMAIL = `nora.${RUN}@example.org`;
const DOC_USER = `e2e.invitedoc.${RUN}`;
const DOC_PASSWORD = `Invite-Doc-${TAG}-7!`;
const PT_USER = `nora.${RUN}`;
const PT_PASSWORD = `Nora-Portal-${TAG}-3!`;
const NEW_PASSWORD = `Nora-Reset-${TAG}-8!`;
let browser: Browser;
let staff: Page;
let phone: Page;
const shot = screenshots(`portal-account-${RUN}`);
const fx = { admin: '', patientId: '', accounts: [] as string[] };

async function phonePage(): Promise<Page> {
  const context = await browser.newContext({
    baseURL: process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8000',
    viewport: { width: 375, height: 740 },
    isMobile: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

before(async () => {
  fx.admin = await adminToken();
  const practitioner = await hapiCreate<fhir4.Practitioner>({
    resourceType: 'Practitioner',
    name: [{ family: 'Inviter', given: ['Ines'] }],
  });
  const doctor = await apiCall<{ id: string }>('POST', '/api/users', fx.admin, {
    username: DOC_USER,
    displayName: `Dr. Inviter ${TAG}`,
    role: 'physician',
    password: DOC_PASSWORD,
    fhirPractitionerId: practitioner.id,
  });
  fx.accounts.push(doctor.id);
  ({ id: fx.patientId } = await apiCall<{ id: string }>('POST', '/api/patients', fx.admin, {
    name: { family: FAMILY, given: ['Nora'] },
    birthDate: '1984-06-21',
    gender: 'female',
    email: EMAIL,
  }));
  await apiCall('POST', `/api/users/${doctor.id}/assignments`, fx.admin, {
    patientId: fx.patientId,
    reason: 'e2e portal invitation',
  });
  browser = await launch();
  staff = await newPage(browser);
  phone = await phonePage();
});

after(async () => {
  await browser?.close();
  const { users } = await apiCall<{ users: Array<{ id: string; username: string }> }>(
    'GET',
    '/api/users?limit=200',
    fx.admin,
  ).catch(() => ({ users: [] }));
  const patient = users.find((u) => u.username === PT_USER);
  for (const id of [...fx.accounts, ...(patient ? [patient.id] : [])])
    await apiCall('PATCH', `/api/users/${id}`, fx.admin, { disabled: true }).catch(() => undefined);
});

test('a physician invites the patient from the chart; the invitation goes to the email on file', async () => {
  await login(staff, DOC_USER, DOC_PASSWORD);
  await staff.goto(`/patients/${fx.patientId}`);
  const card = staff.getByRole('heading', { name: 'Patient portal' }).locator('..');
  await rendered(staff, card.getByText('No portal account yet.'));
  const since = new Date(Date.now() - 1000);
  await card.getByRole('button', { name: /Invite to portal by email \(n\*\*\*@example\.org\)/ }).click();
  await card.getByRole('status').getByText('Invitation sent to n***@example.org').waitFor();
  await card.getByText(/Invitation sent by email to n\*\*\*@example\.org; open until/).waitFor();
  const mail = await waitForMail((m) => m.to.includes(EMAIL) && /invitation/i.test(m.subject), since);
  assert.match(mail.text, /\/portal\/activate\?token=/);
  await shot(staff, 'chart-invited');
  await assertAccessible(staff, 'chart: invite to portal');
});

test('the patient opens the link from the inbox and activates the account', async () => {
  const mail = await waitForMail((m) => m.to.includes(EMAIL) && /invitation/i.test(m.subject), new Date(0));
  const link = linkIn(mail.text, '/portal/activate');
  await phone.goto(link);
  await rendered(phone, phone.getByRole('heading', { name: 'Set up your patient portal account' }));
  await assertAccessible(phone, 'portal: activate');
  await phone.getByLabel('Username').fill(PT_USER);
  await phone.locator('input[name="password"]').fill(PT_PASSWORD);
  await phone.getByLabel('Repeat the password').fill(PT_PASSWORD);
  await phone.getByRole('button', { name: 'Activate my account' }).click();
  await phone.getByRole('heading', { name: 'Your portal account is ready' }).waitFor();
  await shot(phone, 'activated');
  await assertAccessible(phone, 'portal: activated');
  // The link works once.
  await phone.goto(link);
  await phone.getByLabel('Username').fill(`${PT_USER}x`);
  await phone.locator('input[name="password"]').fill(PT_PASSWORD);
  await phone.getByLabel('Repeat the password').fill(PT_PASSWORD);
  await phone.getByRole('button', { name: 'Activate my account' }).click();
  await phone.getByRole('alert').getByText('This invitation was already used').waitFor();
});

test('the patient signs in with the password and the emailed code and lands on the portal', async () => {
  await phone.goto('/login');
  await rendered(phone, phone.getByLabel('Username'));
  await phone.getByLabel('Username').fill(PT_USER);
  await phone.getByLabel('Password').fill(PT_PASSWORD);
  const since = new Date(Date.now() - 1000);
  await phone.getByRole('button', { name: 'Sign in' }).click();
  await phone.getByRole('heading', { name: 'Enter your sign-in code' }).waitFor();
  await phone.getByText('n***@example.org').waitFor();
  await shot(phone, 'code-step');
  await assertAccessible(phone, 'login: sign-in code');
  await enterMailedCode(phone, since);
  await rendered(phone, phone.getByRole('heading', { name: `Welcome, Nora ${FAMILY}` }));
  assert.equal(new URL(phone.url()).pathname, '/portal');
  await phone.goto('/portal/security');
  await rendered(phone, phone.getByRole('heading', { name: 'Sign-in & security', level: 1 }));
  await phone.getByRole('list', { name: 'Signed-in sessions' }).getByText('This device').waitFor();
  await shot(phone, 'security');
  await assertAccessible(phone, 'portal: sign-in & security');
});

test('a forgotten password is reset from the emailed link, which signs out the other session', async () => {
  const other = await phonePage();
  await other.goto('/login');
  await rendered(other, other.getByRole('link', { name: /Forgot your password/ }));
  await other.getByRole('link', { name: /Forgot your password/ }).click();
  await rendered(other, other.getByRole('heading', { name: 'Forgot your password?' }));
  await assertAccessible(other, 'portal: forgot password');
  const since = new Date(Date.now() - 1000);
  await other.getByLabel('Username or email').fill(EMAIL);
  await other.getByRole('button', { name: 'Send me a reset link' }).click();
  await other
    .getByRole('status')
    .getByText(/If a portal account matches/)
    .waitFor();
  const mail = await waitForMail((m) => m.to.includes(EMAIL) && /reset/i.test(m.subject), since);
  await other.goto(linkIn(mail.text, '/portal/reset-password'));
  await rendered(other, other.getByRole('heading', { name: 'Choose a new password' }));
  await assertAccessible(other, 'portal: reset password');
  await other.locator('input[name="password"]').fill(NEW_PASSWORD);
  await other.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
  await other.getByRole('button', { name: 'Set the new password' }).click();
  await other.getByRole('heading', { name: 'Password changed' }).waitFor();
  await shot(other, 'reset-done');

  // The session opened before the reset is over: its next request sends it back to sign in.
  await phone.reload();
  await phone.waitForURL((u) => u.pathname === '/login', { timeout: 20_000 });
  await login(other, PT_USER, NEW_PASSWORD);
  await rendered(other, other.getByRole('heading', { name: `Welcome, Nora ${FAMILY}` }));
  await other.context().close();
});
