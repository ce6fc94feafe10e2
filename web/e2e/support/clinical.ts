/// <reference types="fhir" />
import { Secret, TOTP } from 'otpauth';
import { adminToken, apiCall } from './api';
import { BASE_URL, DEMO_PASSWORD } from './browser';
import { mailedCode } from './mail';

interface OtpChallenge {
  otpToken: string;
  sentTo: string;
}

/** A patient account's second step: the code the mail simulator received. */
async function patientCodeLogin(c: OtpChallenge, since: Date): Promise<string> {
  const res = await fetch(`${BASE_URL}/api/auth/login/otp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ otpToken: c.otpToken, code: await mailedCode(c.sentTo, since) }),
  });
  const body = (await res.json()) as { status?: string; accessToken?: string };
  if (!res.ok || !body.accessToken) throw new Error(`sign-in code → ${res.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

/** HAPI itself (localhost only), to check what the app really stored. */
export const HAPI_URL = process.env.E2E_HAPI_URL ?? 'http://127.0.0.1:8080/fhir';

export async function hapiSearch<T extends fhir4.FhirResource>(query: string): Promise<T[]> {
  // Tomcat (HAPI) refuses a raw '|' in a URL: encode it as a FHIR token separator.
  const res = await fetch(`${HAPI_URL}/${query.replace(/\|/g, '%7C')}`, {
    headers: { accept: 'application/fhir+json' },
  });
  if (!res.ok) throw new Error(`HAPI ${query} → ${res.status}`);
  const b = (await res.json()) as fhir4.Bundle;
  return (b.entry ?? []).map((e) => e.resource as T);
}

/** Writes a resource straight into HAPI (as a bulk load or a lab interface would), for set-up only. */
export async function hapiCreate<T extends fhir4.FhirResource>(resource: T): Promise<T & { id: string }> {
  const res = await fetch(`${HAPI_URL}/${resource.resourceType}`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
    body: JSON.stringify(resource),
  });
  if (!res.ok) throw new Error(`HAPI create ${resource.resourceType} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T & { id: string };
}

export async function hapiRead<T extends fhir4.FhirResource>(ref: string): Promise<T> {
  const res = await fetch(`${HAPI_URL}/${ref}`, { headers: { accept: 'application/fhir+json' } });
  if (!res.ok) throw new Error(`HAPI ${ref} → ${res.status}`);
  return res.json() as Promise<T>;
}

/** Logs a user in through the API (no MFA) for set-up calls; waits out a 429 (shared stack) as the server asks. */
export async function tokenOf(username: string, password = DEMO_PASSWORD): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const since = new Date(Date.now() - 1000);
    const res = await fetch(`${BASE_URL}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = (await res.json()) as {
      status?: string;
      accessToken?: string;
      error?: { details?: { retryAfterSeconds?: number } };
    };
    // Other suites on the same stack share the per-IP login budget: wait as long as the server says, several times.
    if (res.status === 429 && attempt < 8) {
      await new Promise((done) =>
        setTimeout(done, Math.min(body.error?.details?.retryAfterSeconds ?? 15, 300) * 1000 + 500),
      );
      continue;
    }
    if (res.ok && body.status === 'otp_required') return patientCodeLogin(body as unknown as OtpChallenge, since);
    if (!res.ok || body.status !== 'authenticated' || !body.accessToken)
      throw new Error(`${username} login → ${res.status} ${JSON.stringify(body)}`);
    return body.accessToken;
  }
}

export const totpOf = (secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
/** A code for the 30 s step `offset` steps from now (the server accepts ±1 step, each step once). */
export const totpCode = (secret: string, offset = 0) =>
  totpOf(secret).generate({ timestamp: Date.now() + offset * 30_000 });

export interface PrescribingFixture {
  run: string;
  username: string;
  password: string;
  userId: string;
  displayName: string;
  patientId: string;
  family: string;
  given: string;
  /** TOTP secret when the physician was enrolled in MFA. */
  totpSecret?: string;
  criticalReportId: string;
  /** An admin token from set-up, reused for checks: logins are rate-limited per IP on the shared stack. */
  adminToken: string;
  /** Accounts made for the run (the physician first), disabled at the end. */
  accounts: string[];
}

/** Letters only: patient names reject digits. */
const lettersOf = (s: string) => s.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/**
 * A physician of its own (DEA number on file), a new patient assigned to them who takes warfarin, and two potassium
 * results filed by the demo lab technician: a normal one three days ago and a critical one now (so there is a
 * trend and a result to acknowledge). Independent of the demo accounts' state and of other e2e files.
 */
export async function prescribingFixture(
  run: string,
  opts: { mfa: boolean; epcs?: boolean },
): Promise<PrescribingFixture> {
  const admin = await adminToken();
  const tag = lettersOf(run);
  const username = `e2e.rx.${run}`;
  const password = `Rx-Test-Pass-${tag}-9!`;
  const displayName = `Dr. Rx ${tag}`;
  // A demo Practitioner with an NPI and a practice location, so a NewRx to the network can be built for them.
  const [practitioner] = opts.epcs
    ? await hapiSearch<fhir4.Practitioner>('Practitioner?identifier=urn:wintehr:demo|practitioner-okafor')
    : [];
  if (opts.epcs && !practitioner)
    throw new Error('demo Practitioner practitioner-okafor not found: load the demo data');
  const retired: string[] = [];
  const user = await apiCall<{ id: string }>('POST', '/api/users', admin, {
    username,
    displayName,
    role: 'physician',
    password,
    deaNumber: 'AB1234563',
    ...(practitioner ? { fhirPractitionerId: practitioner.id } : {}),
  });
  if (opts.epcs) {
    // EPCS needs two different administrators' approval: the demo admin and one made for this run.
    const admin2 = { username: `e2e.rxadmin.${run}`, password: `Rx-Admin-Pass-${tag}-7!` };
    const a2 = await apiCall<{ id: string }>('POST', '/api/users', admin, {
      ...admin2,
      displayName: `EPCS approver ${tag}`,
      role: 'admin',
    });
    await apiCall('POST', `/api/users/${user.id}/epcs-approvals`, admin);
    await apiCall('POST', `/api/users/${user.id}/epcs-approvals`, await tokenOf(admin2.username, admin2.password));
    // The approver stays enabled until the end: approvals of disabled administrators no longer count.
    retired.push(a2.id);
  }
  const family = `Rxtest${tag[0]!.toUpperCase()}${tag.slice(1)}`;
  const given = 'Ada';
  const patient = await apiCall<{ id: string }>('POST', '/api/patients', admin, {
    name: { family, given: [given] },
    birthDate: '1948-05-12',
    gender: 'female',
    mrn: `E2E-RX-${run}`,
    // SCRIPT NewRx requires the patient's address.
    address: { line: ['12 Elm Street'], city: 'Springfield', state: 'IL', postalCode: '62704' },
    phone: '217-555-0199',
  });
  await apiCall('POST', `/api/users/${user.id}/assignments`, admin, {
    patientId: patient.id,
    reason: 'e2e prescribing workflow',
  });

  const doctor = await tokenOf(username, password);
  await apiCall('POST', `/api/patients/${patient.id}/medications`, doctor, {
    medication: { code: '855332' },
    dosage: { dose: { value: 1, unit: '{tablet}' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
    dispense: { quantity: { value: 30, unit: '{tablet}' }, numberOfRepeatsAllowed: 2, expectedSupplyDays: 30 },
  });
  const orders = await Promise.all(
    [0, 1].map(() =>
      apiCall<{ order: { id: string } }>('POST', `/api/patients/${patient.id}/orders`, doctor, {
        type: 'lab',
        code: '2823-3',
      }),
    ),
  );
  const lab = await tokenOf('lab.kim');
  await apiCall('POST', '/api/results', lab, {
    serviceRequestId: orders[0]!.order.id,
    report: { status: 'final', effectiveDateTime: ago(3) },
    observations: [{ code: '2823-3', value: 4.2, unit: 'mmol/L', effectiveDateTime: ago(3) }],
  });
  const critical = await apiCall<{ reportId: string; critical: boolean }>('POST', '/api/results', lab, {
    serviceRequestId: orders[1]!.order.id,
    report: { status: 'final', effectiveDateTime: ago(0.01) },
    observations: [{ code: '2823-3', value: 6.9, unit: 'mmol/L', effectiveDateTime: ago(0.01) }],
  });
  if (!critical.critical) throw new Error('potassium 6.9 mmol/L was not filed as critical');

  let totpSecret: string | undefined;
  if (opts.mfa) {
    const e = await apiCall<{ secret: string }>('POST', '/api/auth/mfa/enroll', doctor);
    totpSecret = e.secret;
    // The previous step: the browser login then uses the current one (each step is accepted once).
    await apiCall('POST', '/api/auth/mfa/activate', doctor, { code: totpCode(totpSecret, -1) });
  }
  return {
    run,
    username,
    password,
    userId: user.id,
    displayName,
    patientId: patient.id,
    family,
    given,
    totpSecret,
    criticalReportId: critical.reportId,
    adminToken: admin,
    accounts: [user.id, ...retired],
  };
}

/** Disables the accounts made for the run (accounts are never deleted: the audit trail refers to them). */
export async function retireFixture(f: PrescribingFixture | undefined): Promise<void> {
  if (!f) return;
  // The set-up token lasts 15 minutes; a longer run logs in again.
  let token = f.adminToken;
  for (const id of f.accounts) {
    const patch = () => apiCall('PATCH', `/api/users/${id}`, token, { disabled: true });
    try {
      await patch();
    } catch {
      try {
        token = await adminToken();
        await patch();
      } catch {
        /* best effort */
      }
    }
  }
}

export { BASE_URL };
