/// <reference types="fhir" />
/**
 * The release walk, automated: each demo role signs in and opens every entry of the navigation the app renders for
 * it (read from the page, so a new page is covered without touching this file); clinicians also open one chart and
 * each of its tabs; the patient opens every portal page, and a parent does the same acting for each of their
 * children. On every page: no API answer ≥ 500, no API 4xx (a page must not ask for what the role may not have), no
 * uncaught error or console error, no raw error text on screen, a main heading, and axe clean. Every problem of every
 * page is collected and reported together, so one run shows all of them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiCall, userByName } from './support/api';
import { assertAccessible, launch, login, newPage, rendered, screenshots } from './support/browser';
import { hapiSearch, tokenOf } from './support/clinical';

const RUN = Date.now().toString(36);
const TAG = RUN.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const shot = screenshots(`role-sweep-${RUN}`);
/** How long a page may take to show its main heading, and to finish its requests and spinners. */
const HEADING_MS = 15_000;
const SETTLE_MS = 20_000;

/**
 * The README's demo accounts, one per role; a radiologist made for the run (the demo has none); and a parent made for
 * the run with a child under 12 and a teenager, next to the demo parent (whose sign-in is checked too).
 */
const PASSWORD = `Sweep-Pass-${TAG}-7!`;
const RADIOLOGIST = `e2e.sweep.rad.${RUN}`;
const PARENT = `e2e.sweep.parent.${RUN}`;
const ROLES: Array<{ role: string; username: string; password?: string; chart?: boolean; actingFor?: boolean }> = [
  { role: 'physician', username: 'dr.wilson', chart: true },
  { role: 'nurse', username: 'nurse.joy', chart: true },
  { role: 'pharmacist', username: 'pharm.lee', chart: true },
  { role: 'lab technician', username: 'lab.kim', chart: true },
  { role: 'radiologist', username: RADIOLOGIST, password: PASSWORD, chart: true },
  { role: 'admin', username: 'admin' },
  { role: 'patient', username: 'maria.garcia' },
  { role: 'parent', username: PARENT, password: PASSWORD, actingFor: true },
];

/**
 * What no person should ever read on a screen: codes and messages meant for programs, broken formatting, stack
 * traces. The API's error codes come from services/api/src/core/errors.ts.
 */
const RAW_ERROR_TEXT: RegExp[] = [
  /\bFORBIDDEN\b/,
  /\b(AUTHENTICATION_FAILED|INSUFFICIENT_PERMISSIONS|RESOURCE_NOT_FOUND|VALIDATION_ERROR|FHIR_VALIDATION_ERROR|HAPI_UNAVAILABLE|RATE_LIMIT_EXCEEDED|PAYLOAD_TOO_LARGE)\b/,
  /Request failed/i,
  /\bundefined\b/,
  /\bNaN\b/,
  /\[object Object\]/,
  /Invalid Date/,
  /\b(TypeError|ReferenceError|SyntaxError)\b/,
  /^\s*at \S+ \(?\S+:\d+:\d+\)?\s*$/m,
];

/** page → problem, across every role and page of the run. */
const problems: string[] = [];
let browser: Browser;
let admin: string;
let chartPatientId: string;
const visited: Record<string, string[]> = {};
const assigned: Array<{ userId: string; patientId: string }> = [];
/** Accounts made for the run, disabled at the end (accounts are never deleted: the audit trail refers to them). */
const accounts: string[] = [];

async function assign(userId: string, patientId: string): Promise<void> {
  await apiCall('POST', `/api/users/${userId}/assignments`, admin, { patientId, reason: `e2e role sweep ${RUN}` }).then(
    () => assigned.push({ userId, patientId }),
    // Already assigned (an earlier run on a shared stack): the chart opens all the same.
    (err: Error) => {
      if (!/→ 409/.test(err.message)) throw err;
    },
  );
}

async function patient(given: string, birthDate: string, email?: string): Promise<string> {
  const body = {
    name: { family: `Sweep${TAG}`, given: [given] },
    birthDate,
    gender: 'female',
    ...(email ? { email } : {}),
  };
  // Registration answered 409 MRN_EXISTS for a generated MRN once in this suite (isolated database against the shared
  // HAPI; reported): set-up tries again rather than lose the whole sweep to it.
  for (let attempt = 1; ; attempt++) {
    try {
      return (await apiCall<{ id: string }>('POST', '/api/patients', admin, body)).id;
    } catch (err) {
      if (attempt >= 3 || !/MRN_EXISTS/.test((err as Error).message)) throw err;
    }
  }
}

const bornYearsAgo = (years: number) => {
  const d = new Date(Date.now() - 120 * 86_400_000);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
};

before(async () => {
  admin = await adminToken();
  const [maria] = await hapiSearch<fhir4.Patient>('Patient?identifier=MRN-000001');
  assert.ok(maria?.id, 'demo patient MRN-000001 not found: load the demo data');
  chartPatientId = maria.id;
  const radiologist = await apiCall<{ id: string }>('POST', '/api/users', admin, {
    username: RADIOLOGIST,
    displayName: `Dr. Sweep ${TAG}`,
    role: 'radiologist',
    password: PASSWORD,
  });
  accounts.push(radiologist.id);
  // One chart every clinician may open: an explicit assignment, as a charge nurse would make (a demo account's own
  // care relationships depend on the generated data).
  for (const username of ['dr.wilson', 'nurse.joy', 'pharm.lee', 'lab.kim', RADIOLOGIST])
    await assign((await userByName(admin, username)).id, chartPatientId);

  // A parent of the run, granted by dr.wilson (who is assigned the children) for a child and a teenager.
  const parentChart = await patient('Elena', '1984-03-02', `sweep.parent.${RUN}@example.org`);
  const parent = await apiCall<{ id: string }>('POST', '/api/users', admin, {
    username: PARENT,
    displayName: `Elena Sweep${TAG}`,
    role: 'patient',
    password: PASSWORD,
    fhirPatientId: parentChart,
  });
  accounts.push(parent.id);
  const doctor = await tokenOf('dr.wilson');
  const wilson = (await userByName(admin, 'dr.wilson')).id;
  for (const [given, age] of [
    ['Mateo', 8],
    ['Lucia', 15],
  ] as const) {
    const child = await patient(given, bornYearsAgo(age));
    await assign(wilson, child);
    await apiCall('POST', `/api/patients/${child}/proxies`, doctor, { proxyUsername: PARENT, relationship: 'parent' });
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  const token = await adminToken().catch(() => undefined);
  if (!token) return;
  for (const a of assigned)
    await apiCall('DELETE', `/api/users/${a.userId}/assignments/${a.patientId}`, token).catch(() => undefined);
  for (const id of accounts)
    await apiCall('PATCH', `/api/users/${id}`, token, { disabled: true }).catch(() => undefined);
});

/** Watches one page: network, errors and console are charged to whatever `where()` names at that moment. */
function watch(page: Page, where: () => string | undefined) {
  const inFlight = new Set<unknown>();
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) inFlight.add(r);
  });
  page.on('requestfinished', (r) => inFlight.delete(r));
  page.on('requestfailed', (r) => inFlight.delete(r));
  page.on('response', (res) => {
    const label = where();
    const u = new URL(res.url());
    if (!label || !u.pathname.startsWith('/api/')) return;
    const status = res.status();
    const request = `${res.request().method()} ${u.pathname}${u.search}`;
    if (status >= 500) problems.push(`${label}: ${request} → ${status}`);
    else if (status >= 400)
      void res.text().then(
        (body) => problems.push(`${label}: ${request} → ${status} ${body.slice(0, 200)}`),
        () => problems.push(`${label}: ${request} → ${status}`),
      );
  });
  page.on('pageerror', (err) => {
    const label = where();
    if (label) problems.push(`${label}: uncaught ${err.name}: ${err.message}`);
  });
  page.on('console', (msg) => {
    const label = where();
    // A failed resource is already reported, with its request and body, by the response check above.
    if (!label || msg.type() !== 'error' || msg.text().startsWith('Failed to load resource:')) return;
    problems.push(`${label}: console error: ${msg.text().slice(0, 300)}`);
  });
  return { busy: () => inFlight.size > 0 };
}

/** Waits until the page has no API request in flight and no spinner, for a moment in a row (bounded). */
async function settle(page: Page, busy: () => boolean): Promise<boolean> {
  const start = Date.now();
  let quietSince = 0;
  while (Date.now() - start < SETTLE_MS) {
    const spinning = await page.locator('[role="progressbar"]:visible').count();
    if (busy() || spinning) quietSince = 0;
    else if (!quietSince) quietSince = Date.now();
    else if (Date.now() - quietSince >= 600) return true;
    await page.waitForTimeout(150);
  }
  return false;
}

/** The checks every page gets once it is open. */
async function checkPage(page: Page, label: string, busy: () => boolean): Promise<void> {
  const heading = page.getByRole('main').getByRole('heading', { level: 1 }).first();
  const t0 = Date.now();
  const hasHeading = await heading.waitFor({ timeout: HEADING_MS }).then(
    () => true,
    () => false,
  );
  if (!hasHeading) problems.push(`${label}: no main heading (h1) within ${HEADING_MS / 1000}s`);
  const path = new URL(page.url()).pathname;
  if (path === '/login') problems.push(`${label}: ended on the sign-in page`);
  if (await page.getByRole('heading', { name: 'This page is not available for your role' }).count())
    problems.push(`${label}: offered to the role, but the page refuses it (${path})`);
  if (!(await settle(page, busy)))
    problems.push(`${label}: still loading (API request or spinner) after ${SETTLE_MS / 1000}s`);
  const text = await page.locator('body').innerText();
  for (const re of RAW_ERROR_TEXT) {
    const m = re.exec(text);
    if (m) {
      const at = Math.max(0, m.index - 60);
      problems.push(
        `${label}: raw error text on screen "${m[0].trim()}" in "…${text.slice(at, m.index + 60).replace(/\s+/g, ' ')}…"`,
      );
    }
  }
  await assertAccessible(page, label).catch((err: Error) => problems.push(`${label}: ${err.message}`));
  await shot(page, label.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  console.log(`[sweep] ${label} (${Date.now() - t0} ms)`);
}

/** The entries of the navigation as rendered for the signed-in user. */
async function navEntries(page: Page): Promise<Array<{ name: string; href: string }>> {
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await nav.getByRole('link').first().waitFor();
  return nav
    .getByRole('link')
    .evaluateAll((links) =>
      links.map((a) => ({ name: (a.textContent ?? '').trim(), href: a.getAttribute('href') ?? '' })),
    );
}

async function sweepNav(page: Page, who: string, setWhere: (l: string | undefined) => void, busy: () => boolean) {
  const entries = await navEntries(page);
  assert.ok(entries.length > 0, `${who}: the navigation offers no page`);
  /** A linked page by its path and the names of its parameters → the first link to it. */
  const linked = new Map<string, string>();
  for (const e of entries) {
    const label = `${who} → ${e.name} (${e.href})`;
    setWhere(label);
    (visited[who] ??= []).push(e.name);
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: e.name, exact: true })
      .click();
    // A link may redirect (a patient's Home is My record); it must not end on the sign-in page or a refusal.
    await page.waitForURL((u) => u.pathname === e.href, { timeout: 5_000 }).catch(() => undefined);
    await checkPage(page, label, busy);
    const inner = await page
      .getByRole('main')
      .locator('a[href^="/portal/"]')
      .evaluateAll((links) => links.map((l) => l.getAttribute('href') ?? ''));
    // One visit per page and mode: a reschedule link per appointment opens the same page in the same mode.
    for (const href of inner) {
      const u = new URL(href, 'http://app');
      const key = `${u.pathname}?${[...u.searchParams.keys()].sort().join('&')}`;
      if (!linked.has(key) && (u.search || !entries.some((x) => x.href === href))) linked.set(key, href);
    }
  }
  // Portal pages reached from a page rather than the menu (booking a visit): each one once, opened by its address.
  for (const href of linked.values()) {
    const label = `${who} → ${href} (linked from a page)`;
    setWhere(label);
    (visited[who] ??= []).push(href);
    await page.goto(href);
    await checkPage(page, label, busy);
  }
  return entries;
}

async function sweepChart(page: Page, who: string, setWhere: (l: string | undefined) => void, busy: () => boolean) {
  setWhere(`${who} → chart`);
  await page.goto(`/patients/${chartPatientId}`);
  const tablist = page.getByRole('tablist', { name: 'Chart sections' });
  await rendered(page, tablist);
  // textContent: the tabs are drawn in capitals, their names are not.
  const tabs = await tablist.getByRole('tab').evaluateAll((els) => els.map((el) => (el.textContent ?? '').trim()));
  assert.ok(tabs.length > 0, `${who}: the chart offers no tab`);
  for (const name of tabs) {
    const label = `${who} → chart tab ${name}`;
    setWhere(label);
    (visited[who] ??= []).push(`chart: ${name}`);
    await tablist.getByRole('tab', { name, exact: true }).click();
    await checkPage(page, label, busy);
  }
}

for (const r of ROLES) {
  test(`${r.role} (${r.username}): every page the navigation offers${r.actingFor ? ', for each person acted for' : ''}`, async () => {
    const started = Date.now();
    const page = await newPage(browser);
    let where: string | undefined;
    const setWhere = (l: string | undefined) => (where = l);
    const { busy } = watch(page, () => where);
    try {
      await login(page, r.username, r.password);
      if (new URL(page.url()).pathname === '/login') {
        const alert = await page.getByRole('alert').allInnerTexts();
        problems.push(`${r.role} → sign-in (${r.username}): stays on the sign-in page: "${alert.join(' ').trim()}"`);
        return;
      }
      setWhere(`${r.role} → home after sign-in`);
      await page
        .getByRole('heading', { name: /^Welcome, / })
        .waitFor({ timeout: HEADING_MS })
        .catch(() => {
          problems.push(`${r.role} → home after sign-in: no "Welcome" heading (sign-in failed or MFA asked?)`);
        });
      await sweepNav(page, r.role, setWhere, busy);
      if (r.chart) await sweepChart(page, r.role, setWhere, busy);
      if (r.actingFor) {
        const switcher = page.getByRole('combobox', { name: 'Acting for' });
        setWhere(`${r.role} → Acting for`);
        await switcher.click();
        const people = (await page.getByRole('option').allInnerTexts()).map((t) => t.trim()).filter((t) => t !== 'Me');
        await page.keyboard.press('Escape');
        assert.ok(people.length > 0, `${r.username} acts for nobody: the proxy grants of the set-up are missing`);
        for (const person of people) {
          await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').first().click();
          await switcher.click();
          await page.getByRole('option', { name: person, exact: true }).click();
          await sweepNav(page, `${r.role} acting for ${person}`, setWhere, busy);
        }
      }
    } catch (err) {
      await shot(page, `${r.role}-failed`).catch(() => undefined);
      throw err;
    } finally {
      setWhere(undefined);
      await page.context().close();
      console.log(`[sweep] ${r.role}: ${Date.now() - started} ms`);
    }
  });
}

/** The demo parent of the README signs in with the emailed code (her chart carries the address the code goes to). */
test('the demo parent (parent.rivera) can sign in', async () => {
  const page = await newPage(browser);
  try {
    await login(page, 'parent.rivera');
    const alert = (await page.getByRole('alert').allInnerTexts()).join(' ').trim();
    assert.notEqual(new URL(page.url()).pathname, '/login', `parent.rivera stays on the sign-in page: "${alert}"`);
  } finally {
    await page.context().close();
  }
});

test('no page showed a problem', () => {
  const coverage = Object.entries(visited)
    .map(([who, pages]) => `  ${who}: ${pages.length} pages (${pages.join(', ')})`)
    .join('\n');
  console.log(`[sweep] coverage:\n${coverage}`);
  // A request retried by the page is one problem: each distinct line once, with how often it happened.
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p, (counts.get(p) ?? 0) + 1);
  const report = [...counts].map(([p, n]) => (n > 1 ? `${p} (×${n})` : p));
  console.log(`[sweep] ${report.length} problem(s):\n${report.join('\n')}`);
  assert.ok(Object.keys(visited).length >= ROLES.length, `not every role was swept:\n${coverage}`);
  assert.deepEqual(report, [], `${report.length} problem(s) across the app:\n${report.join('\n')}\n`);
});
