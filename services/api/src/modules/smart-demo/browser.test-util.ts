/**
 * Test helpers for driving the SMART demo app in a real headless Chromium (Debian's package, through
 * playwright-core: no browser download). Shared by the smart-demo integration tests only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import type { Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * The Chromium executable: CHROMIUM_PATH, a Debian/Ubuntu install, or (as root, once) an apt install serialised
 * with the other users of apt on the machine. Undefined only when none exists and it cannot be installed.
 */
export function findChromium(): { path?: string; why?: string } {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) return existsSync(explicit) ? { path: explicit } : { why: `CHROMIUM_PATH=${explicit} does not exist` };
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found) return { path: found };
  if (process.getuid?.() !== 0 || process.env.WINTEHR_NO_APT === '1')
    return { why: 'chromium is not installed (apt-get install chromium) and this user cannot install it' };
  try {
    execFileSync('flock', ['/tmp/apt.lock', 'apt-get', 'install', '-y', '-q', 'chromium'], {
      stdio: 'ignore',
      timeout: 600_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (err) {
    return {
      why: `chromium is not installed and apt-get install chromium failed: ${(err as Error).message.slice(0, 200)}`,
    };
  }
  const installed = CANDIDATES.find((p) => existsSync(p));
  return installed ? { path: installed } : { why: 'apt-get install chromium did not provide /usr/bin/chromium' };
}

/** A free loopback port (closed again before use; the tiny race is acceptable in tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Serves the express app on 127.0.0.1:port (the browser needs a real origin that matches PUBLIC_BASE_URL). */
export function listen(app: Express, port: number): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export function closeServer(server: http.Server | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!server) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Numbered full-page screenshots under .data/e2e-artifacts/<suite>/ (E2E_ARTIFACTS overrides the root). */
export function screenshots(suite: string) {
  const root = process.env.E2E_ARTIFACTS ?? path.resolve(__dirname, '../../../../../.data/e2e-artifacts');
  const dir = path.join(root, suite);
  // One run's screenshots only: a stale step from an earlier run would mislead whoever reads them.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, step: string) => {
    n++;
    const file = path.join(dir, `${String(n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    return file;
  };
}

/** Console errors, page errors and CSP violations seen by a page, for assertions and failure messages. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  // Chromium asks every page for /favicon.ico; the authorization pages (not the app) declare none: not a problem.
  const favicon = (url: string) => url.endsWith('/favicon.ico');
  page.on('console', (m) => {
    if (m.type() === 'error' && !favicon(m.location().url))
      problems.push(`console: ${m.text().slice(0, 300)} at ${m.location().url.split('?')[0]}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message.slice(0, 300)}`));
  page.on('requestfailed', (r) =>
    problems.push(`failed: ${r.method()} ${r.url().split('?')[0]} ${r.failure()?.errorText ?? ''}`),
  );
  page.on('response', (r) => {
    if (r.status() >= 400 && !favicon(r.url()))
      problems.push(`http ${r.status()}: ${r.request().method()} ${r.url().split('?')[0]}`);
  });
  return problems;
}

/** Waits until the demo app's status line settles on 'ready' or 'error' and returns it. */
export async function settledStatus(page: Page, timeout = 30_000): Promise<string> {
  // A locator, not waitForFunction: string predicates are evaluated with eval, which the app's CSP refuses.
  await page.locator('[data-testid="status"]', { hasText: /^(ready|error)$/ }).waitFor({ timeout });
  return (await page.textContent('[data-testid="status"]')) ?? '';
}

const CALLBACK_FIELDS = [
  'patient-name',
  'patient-id',
  'patient-birthdate',
  'encounter-id',
  'observation-count',
  'observation-subjects',
  'granted-scope',
  'id-token',
  'fhir-user',
  'refresh-token',
  'need-patient-banner',
  'error',
] as const;

/** The text of every data-testid cell the callback page renders. */
export async function callbackValues(page: Page): Promise<Record<(typeof CALLBACK_FIELDS)[number], string>> {
  const out = {} as Record<(typeof CALLBACK_FIELDS)[number], string>;
  for (const id of CALLBACK_FIELDS) out[id] = ((await page.textContent(`[data-testid="${id}"]`)) ?? '').trim();
  return out;
}
