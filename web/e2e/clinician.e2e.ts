import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page, Response } from 'playwright-core';
import { adminToken, resetMfa } from './support/api';
import { assertAccessible, launch, login, newPage, screenshots } from './support/browser';
import { authenticator } from './support/totp';

const RUN = Date.now().toString(36);
let browser: Browser;
let page: Page;
let secret = '';
let recoveryCode = '';
/** dr.wilson's authenticator: each code from a step not used before (the API refuses a replayed step). */
let totp: ReturnType<typeof authenticator>;
/** The secrets the API handed out to the page's enrolment calls, in order (never printed). */
const enrolments: string[] = [];
const shot = screenshots(`clinician-${RUN}`);

/** Waits for the home page, or fails with the error the login screen shows. */
async function expectHome(p: Page): Promise<void> {
  const home = p.getByRole('heading', { name: /Welcome, Dr\. James Wilson/ });
  const alert = p.getByRole('alert');
  await home.or(alert).first().waitFor();
  if (!(await home.isVisible())) throw new Error(`sign-in failed: ${await alert.first().innerText()}`);
}

/** The API's error code and message of a failed call (no tokens, codes or secrets: errors carry none). */
async function errorOf(r: Response): Promise<string> {
  try {
    const body = (await r.json()) as { error?: { code?: string; message?: string } };
    return `${body.error?.code ?? ''} ${body.error?.message ?? ''}`.trim();
  } catch {
    return '(no JSON body)';
  }
}

/**
 * Clicks, then fails with what the API answered to POST `path` if that was not a success: on screen a refused code
 * only shows as the next step never appearing.
 */
async function expectAccepted(p: Page, path: string, click: () => Promise<void>, context = () => ''): Promise<void> {
  const answered = p.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'POST');
  await click();
  const r = await answered;
  if (!r.ok())
    throw new Error(
      `POST ${path} answered ${r.status()} ${await errorOf(r)}; code of TOTP step ${totp?.lastStep}${context()}`,
    );
}

// dr.wilson is a shared demo account: start and end without MFA, as the README promises.
before(async () => {
  await resetMfa(await adminToken(), 'dr.wilson');
  browser = await launch();
  page = await newPage(browser);
  page.on('response', (r) => {
    if (new URL(r.url()).pathname !== '/api/auth/mfa/enroll' || !r.ok()) return;
    void r.json().then(
      (b: { secret?: string }) => {
        if (b.secret) enrolments.push(b.secret);
      },
      () => undefined,
    );
  });
});
after(async () => {
  await browser?.close();
  await resetMfa(await adminToken(), 'dr.wilson');
});

test('dr.wilson signs in and enrols in MFA: QR code, secret, activation, recovery codes shown once', async () => {
  await login(page, 'dr.wilson');
  await page.getByRole('heading', { name: /Welcome, Dr\. James Wilson/ }).waitFor();
  await shot(page, 'clinician-home');
  await assertAccessible(page, 'clinician home');
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Account security' })
    .click();
  await page.getByRole('button', { name: 'Set up two-step verification' }).click();
  await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
  secret = (await page.getByTestId('totp-secret').innerText()).trim();
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  totp = authenticator(secret);
  await shot(page, 'mfa-qr-code');
  await assertAccessible(page, 'MFA enrolment');
  await page.getByLabel('Authentication code').fill(await totp.fresh());
  // A refused activation names its cause: a code of another secret (enrolment started again behind the QR code
  // shown: only the last enrolment's secret is pending) or of a step outside the window.
  await expectAccepted(
    page,
    '/api/auth/mfa/activate',
    () => page.getByRole('button', { name: 'Activate' }).click(),
    () =>
      `; enrolment started ${enrolments.length} time(s), the secret shown is from call ${enrolments.indexOf(secret) + 1}`,
  );
  const codes = page.getByTestId('recovery-codes');
  await codes.waitFor();
  const list = (await codes.innerText())
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  assert.equal(list.length, 10);
  recoveryCode = list[0]!;
  await shot(page, 'mfa-recovery-codes');
  assert.ok(
    await page.getByRole('button', { name: 'Continue' }).isDisabled(),
    'continue only after confirming the codes are stored',
  );
  await page.getByLabel('I have stored my recovery codes').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('Two-step verification is on for dr.wilson').waitFor();
});

test('step-up dialog verifies a fresh code', async () => {
  await page.getByRole('button', { name: 'Test a fresh verification' }).click();
  const dialog = page.getByRole('dialog', { name: 'Verify it is you' });
  await dialog.getByLabel('Authentication code').fill('000000');
  await dialog.getByRole('button', { name: 'Verify' }).click();
  await dialog.getByRole('alert').waitFor();
  await shot(page, 'step-up-wrong-code');
  await dialog.getByLabel('Authentication code').fill(await totp.fresh());
  await expectAccepted(page, '/api/auth/step-up', () => dialog.getByRole('button', { name: 'Verify' }).click());
  await page.getByText(/^Verified at/).waitFor();
});

test('dr.wilson signs out, then signs in with a TOTP code; a recovery code works too', async () => {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByText('You have signed out.').waitFor();
  await login(page, 'dr.wilson');
  await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await shot(page, 'mfa-challenge');
  await assertAccessible(page, 'MFA challenge');
  // Activation and step-up used the last steps: fresh() waits for the next step boundary when it has to.
  await page.getByLabel('Authentication code').fill(await totp.fresh());
  await expectAccepted(page, '/api/auth/login/mfa', () => page.getByRole('button', { name: 'Verify' }).click());
  await expectHome(page);
  await shot(page, 'signed-in-with-mfa');

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await login(page, 'dr.wilson');
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(recoveryCode);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expectHome(page);
});

test('patient search is keyboard-driven: type, arrow to a related patient, Enter opens the chart', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Patients' }).click();
  const box = page.getByRole('combobox');
  await box.fill('Garcia');
  const options = page.getByRole('option');
  await options.first().waitFor();
  await shot(page, 'patient-search');
  await assertAccessible(page, 'patient search');
  const texts = await options.allInnerTexts();
  const related = texts.findIndex((t) => !t.includes('no care relationship'));
  assert.ok(related >= 0, 'dr.wilson has a related patient named Garcia in the demo data');
  for (let i = 0; i < related; i++) await box.press('ArrowDown');
  assert.equal(await options.nth(related).getAttribute('aria-selected'), 'true');
  const mrn = /MRN (\S+)/.exec(texts[related]!)?.[1];
  await box.press('Enter');
  await page.getByRole('region', { name: 'Patient banner' }).waitFor();
  assert.ok((await page.getByRole('region', { name: 'Patient banner' }).innerText()).includes(`MRN ${mrn}`));
  await page.getByRole('tab', { name: 'Summary' }).waitFor();
  await shot(page, 'chart-summary');
  await assertAccessible(page, 'chart summary');
  // Every tab loads from its API without an error; results are checked for accessibility too.
  for (const tab of ['Problems', 'Medications', 'Allergies', 'Vitals', 'Results', 'Orders', 'Timeline']) {
    await page.getByRole('tab', { name: tab }).click();
    const panel = page.getByRole('tabpanel');
    await panel
      .locator('table, ol, [role="status"]:not(:has(.MuiCircularProgress-root)), [role="alert"]')
      .first()
      .waitFor();
    const errors = await panel.getByRole('alert').allInnerTexts();
    assert.deepEqual(errors, [], `${tab} tab shows no error`);
    if (tab === 'Results') {
      await shot(page, 'chart-results');
      await assertAccessible(page, 'chart results');
    }
  }
  await shot(page, 'chart-timeline');
});

test('dr.wilson writes a SOAP progress note and signs it', async () => {
  await page.getByRole('tab', { name: 'Notes' }).click();
  await page.getByRole('button', { name: 'New note' }).click();
  const editor = page.getByRole('region', { name: 'Note editor' });
  await editor.waitFor();
  assert.equal(await editor.getByTestId('note-status').innerText(), 'Draft');
  assert.ok(await editor.getByRole('button', { name: 'Sign note' }).isDisabled(), 'required sections first');
  await editor.getByLabel('Subjective').fill(`E2E ${RUN}: feels well, no chest pain.`);
  await editor.getByLabel('Objective').fill('BP 128/80, HR 72, lungs clear.');
  await editor.getByLabel('Assessment').fill('Hypertension, controlled.');
  await editor.getByLabel('Plan').fill('Continue current medications; recheck in 3 months.');
  await editor.getByRole('button', { name: 'Save draft' }).click();
  await editor.getByRole('button', { name: 'Save draft' }).and(page.locator('[disabled]')).waitFor();
  await shot(page, 'note-draft');
  await assertAccessible(page, 'note editor');
  await editor.getByRole('button', { name: 'Sign note' }).click();
  await editor.getByTestId('note-status').filter({ hasText: 'Signed' }).waitFor();
  assert.equal(await editor.getByRole('textbox').count(), 0, 'a signed note is read-only');
  await page.getByRole('list', { name: 'Notes' }).getByRole('button').filter({ hasText: 'Signed' }).first().waitFor();
  await shot(page, 'note-signed');
});

test('an unrelated chart offers break-the-glass with a mandatory reason', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Patients' }).click();
  await page.getByRole('combobox').fill('Garcia');
  const unrelated = page.getByRole('option').filter({ hasText: 'no care relationship' }).first();
  await unrelated.waitFor();
  await unrelated.click();
  await page.getByRole('alert').filter({ hasText: 'no care relationship' }).waitFor();
  await page.getByRole('button', { name: 'Break the glass' }).click();
  const dialog = page.getByRole('dialog', { name: 'Break the glass' });
  await dialog.getByLabel('Reason for emergency access').fill('too short');
  assert.ok(await dialog.getByRole('button', { name: 'Open the chart' }).isDisabled());
  await shot(page, 'break-glass-dialog');
  await assertAccessible(page, 'break-glass dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
