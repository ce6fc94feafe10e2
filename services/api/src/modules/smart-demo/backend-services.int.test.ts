/**
 * SMART Backend Services end to end, as an outside system does it (the same code scripts/smart-backend-client.ts
 * runs): an RS384 key, registration through the admin API, a signed client assertion exchanged for a
 * `system/Patient.rs system/Observation.rs` token, then reads through the FHIR gate at /fhir. Plain fetch to
 * the real app on a loopback port; real HAPI, PostgreSQL and Redis.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID } from '../../test-support/test-env';
import { createTestPatient, createTestUser, type TestUser } from '../../test-support/users';
import {
  ASSERTION_TYPE,
  discoverTokenEndpoint,
  fhirGet,
  generateBackendKey,
  HttpFailure,
  registerBackendClient,
  requestSystemToken,
  signClientAssertion,
  type BackendKey,
} from './backend-client';
import { closeServer, freePort, listen } from './browser.test-util';

type App = Awaited<ReturnType<typeof buildTestApp>>;
let t: App;
let server: http.Server;
let base: string;
let fhirBase: string;
let admin: TestUser;
let key: BackendKey;
let tokenUrl: string;
let patientId: string;
let observationIds: string[];
const clientId = `backend-demo-${RUN_ID}`;
const SCOPE = 'system/Patient.rs system/Observation.rs';

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  fhirBase = `${base}/fhir`;
  t = await buildTestApp({ env: { PUBLIC_BASE_URL: base } });
  server = await listen(t.app, port);
  admin = await createTestUser(t.deps, { role: 'admin' });
  patientId = await createTestPatient(t.deps, 'Backendread');
  observationIds = [];
  for (let i = 0; i < 2; i++) {
    const o = await t.deps.fhir.create<fhir4.Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
      subject: { reference: `Patient/${patientId}` },
      valueQuantity: { value: 70 + i, unit: '/min' },
      identifier: [{ system: 'urn:wintehr:test', value: `${RUN_ID}-${randomUUID().slice(0, 8)}` }],
    });
    observationIds.push(o.id!);
  }
  key = await generateBackendKey();
  await registerBackendClient(base, admin.token, {
    clientId,
    name: 'Backend demo (test)',
    scopes: ['system/Patient.rs', 'system/Observation.rs'],
    key,
  });
}, 60_000);

afterAll(async () => {
  await closeServer(server);
  await t?.close();
});

describe('SMART Backend Services client (private_key_jwt RS384 → system/ token → reads through /fhir)', () => {
  let accessToken: string;

  it('discovers the token endpoint and gets a system token with exactly the requested scopes', async () => {
    tokenUrl = await discoverTokenEndpoint(fhirBase);
    expect(tokenUrl).toBe(`${base}/oauth/token`);
    const token = await requestSystemToken(tokenUrl, key, clientId, SCOPE);
    expect(token.token_type).toBe('Bearer');
    expect(token.scope.split(' ').sort()).toEqual(['system/Observation.rs', 'system/Patient.rs']);
    expect(token.expires_in).toBeGreaterThan(0);
    expect(token).not.toHaveProperty('refresh_token');
    accessToken = token.access_token;
  });

  it('reads Patient?_count=5 through the gate: a searchset of at most 5 Patients with façade URLs only', async () => {
    const res = await fhirGet<fhir4.Bundle>(fhirBase, accessToken, 'Patient?_count=5');
    expect(res.status).toBe(200);
    expect(res.body.resourceType).toBe('Bundle');
    expect(res.body.type).toBe('searchset');
    const entries = res.body.entry ?? [];
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.length).toBeLessThanOrEqual(5);
    for (const e of entries) {
      expect(e.resource?.resourceType).toBe('Patient');
      expect(e.fullUrl?.startsWith(`${fhirBase}/Patient/`)).toBe(true);
    }
    for (const l of res.body.link ?? []) expect(l.url.startsWith(fhirBase)).toBe(true);
    // Paging works with the same token (the link is bound to it).
    const next = res.body.link?.find((l) => l.relation === 'next');
    if (next) {
      const page2 = await fhirGet<fhir4.Bundle>(fhirBase, accessToken, next.url.slice(fhirBase.length));
      expect(page2.status).toBe(200);
      expect((page2.body.entry ?? []).every((e) => e.resource?.resourceType === 'Patient')).toBe(true);
    }
  });

  it('reads a given Patient and its Observations', async () => {
    const p = await fhirGet<fhir4.Patient>(fhirBase, accessToken, `Patient/${patientId}`);
    expect(p.status).toBe(200);
    expect(p.body.id).toBe(patientId);
    const obs = await fhirGet<fhir4.Bundle>(fhirBase, accessToken, `Observation?patient=${patientId}`);
    expect(obs.status).toBe(200);
    expect((obs.body.entry ?? []).map((e) => e.resource?.id).sort()).toEqual([...observationIds].sort());
  });

  it('the token allows nothing beyond its scopes: other types and writes are refused with an OperationOutcome', async () => {
    const condition = await fhirGet<fhir4.OperationOutcome>(fhirBase, accessToken, `Condition?patient=${patientId}`);
    expect(condition.status).toBe(403);
    expect(condition.body.resourceType).toBe('OperationOutcome');
    const write = await fetch(`${fhirBase}/Patient`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Shouldnotexist' }] }),
    });
    expect(write.status).toBe(403);
    expect((await fhirGet(fhirBase, 'not-a-token', 'Patient?_count=1')).status).toBe(401);
  });

  it('a replayed assertion (same jti), a foreign key and a scope the client was not registered for are refused', async () => {
    const assertion = await signClientAssertion(key, clientId, tokenUrl);
    const send = (scope: string) =>
      fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope,
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: assertion,
        }),
      });
    expect((await send(SCOPE)).status).toBe(200);
    const replay = await send(SCOPE);
    // RFC 6749 §5.2: a failed client authentication is 401 invalid_client.
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error?: string }).error).toBe('invalid_client');
    await expect(requestSystemToken(tokenUrl, key, clientId, 'system/Condition.rs')).rejects.toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    // An assertion signed with a key that is not in the registered JWKS.
    const stranger = requestSystemToken(tokenUrl, await generateBackendKey(), clientId, SCOPE);
    await expect(stranger).rejects.toBeInstanceOf(HttpFailure);
    await expect(stranger).rejects.toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });
});
