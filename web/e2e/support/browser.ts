import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { mailedCode } from './mail';

/** Where the app under test is served (the API serves web/dist). */
export const BASE_URL = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8000';
export const DEMO_PASSWORD = process.env.WINTEHR_DEMO_PASSWORD ?? 'Wintehr-Demo-2026!';
const ROOT = path.resolve(import.meta.dirname, '../../..');
export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? path.join(ROOT, '.data/e2e-artifacts');

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** A numbered screenshot per step, kept as a test artifact. */
export function screenshots(suite: string) {
  const dir = path.join(ARTIFACTS, suite);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, step: string) => {
    n++;
    const file = path.join(dir, `${String(n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page. evaluate() is not subject to the
 * page's Content-Security-Policy, so axe is injected without weakening the app's CSP.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target })),
  }));
}

/** Serious and critical violations fail the test; minor and moderate ones are reported. */
export async function assertAccessible(page: Page, screen: string): Promise<void> {
  const violations = await axeViolations(page);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const others = violations.filter((v) => !blocking.includes(v));
  if (others.length) console.log(`[axe] ${screen}: ${others.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
  if (blocking.length) {
    throw new Error(
      `axe: ${blocking.length} serious/critical violation(s) on ${screen}:\n` +
        blocking
          .map(
            (v) =>
              `  ${v.id} (${v.impact}): ${v.help} at ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(' '))
                .join(' | ')}`,
          )
          .join('\n'),
    );
  }
}

/**
 * Waits for `target` after a page load; reloads (at most twice) when the app did not render. On the shared stack
 * another run of scripts/e2e.sh may rebuild web/dist while the page loads, and index.html then names assets that
 * were just replaced.
 */
export async function rendered(page: Page, target: Locator): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await target.waitFor({ timeout: 10_000 });
      return;
    } catch (err) {
      if (attempt >= 2) throw err;
      await page.reload();
    }
  }
}

/**
 * Signs in through the form. The local stack is shared, so the per-IP login limit may be spent by other
 * clients: on a 429 the helper waits as long as the screen says (bounded) and tries again. A patient account's
 * sign-in code is read from the mail simulator's inbox (E2E_MAIL_URL) and typed in.
 */
export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const since = new Date(Date.now() - 1000);
    await page.goto('/login');
    await rendered(page, page.getByLabel('Username'));
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const limited = page.getByRole('alert').filter({ hasText: 'Too many login attempts' });
    const settled = await Promise.race([
      page.waitForURL((u) => u.pathname !== '/login', { timeout: 15_000 }).then(() => 'left'),
      page
        .getByRole('heading', { name: 'Two-step verification' })
        .waitFor({ timeout: 15_000 })
        .then(() => 'mfa'),
      page
        .getByRole('heading', { name: 'Enter your sign-in code' })
        .waitFor({ timeout: 15_000 })
        .then(() => 'otp'),
      page
        .getByRole('alert')
        .first()
        .waitFor({ timeout: 15_000 })
        .then(() => 'alert'),
    ]).catch(() => 'timeout');
    if (settled === 'otp') return enterMailedCode(page, since);
    if (settled !== 'alert' || !(await limited.isVisible()) || attempt >= 4) return;
    const wait = Number(/Try again in (\d+) seconds/.exec(await limited.innerText())?.[1] ?? 15);
    await page.waitForTimeout(Math.min(wait, 120) * 1000 + 500);
  }
}

/** The code step of a patient sign-in: the code from the mail simulator, typed as the patient would. */
export async function enterMailedCode(page: Page, since: Date): Promise<void> {
  const sentTo = (
    await page
      .getByText(/We sent a 6-digit code/)
      .locator('strong')
      .innerText()
  ).trim();
  await page.getByRole('textbox', { name: 'Sign-in code' }).fill(await mailedCode(sentTo, since));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL((u) => u.pathname !== '/login', { timeout: 15_000 });
}
