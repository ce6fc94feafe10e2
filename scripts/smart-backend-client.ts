/**
 * A SMART Backend Services client against a running WintEHR API, step by step:
 *   1. loads its RS384 key pair from --key (or generates one and saves it there, mode 0600);
 *   2. logs in to the business API as an admin and registers (or updates) a backend client with the public JWKS;
 *   3. discovers the token endpoint from /fhir/.well-known/smart-configuration;
 *   4. signs a client assertion (private_key_jwt) and obtains a `system/Patient.rs system/Observation.rs` token;
 *   5. reads `Patient?_count=5` (and the first patient's Observations) through the FHIR gate at /fhir.
 *
 *   node --import tsx scripts/smart-backend-client.ts [--base http://localhost:8000] [--client-id wintehr-backend-demo]
 *        [--admin-user admin] [--admin-password …] [--key .data/smart-backend/key.json]
 *
 * The admin password defaults to WINTEHR_DEMO_PASSWORD or the demo default. The private key never leaves the
 * key file; only the public JWK is sent. Exit code 0 when every step succeeded, 1 otherwise.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  adminLogin,
  type BackendKey,
  discoverTokenEndpoint,
  fhirGet,
  generateBackendKey,
  HttpFailure,
  publicJwks,
  registerBackendClient,
  requestSystemToken,
} from '../services/api/src/modules/smart-demo/backend-client';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    base: { type: 'string', default: process.env.WINTEHR_API_URL ?? 'http://localhost:8000' },
    'client-id': { type: 'string', default: 'wintehr-backend-demo' },
    'admin-user': { type: 'string', default: 'admin' },
    'admin-password': { type: 'string', default: process.env.WINTEHR_DEMO_PASSWORD ?? 'Wintehr-Demo-2026!' },
    key: { type: 'string', default: path.join(ROOT, '.data/smart-backend/key.json') },
  },
});
const base = values.base.replace(/\/+$/, '');
const fhirBase = `${base}/fhir`;
const clientId = values['client-id'];
const SCOPES = ['system/Patient.rs', 'system/Observation.rs'];

const step = (n: number, text: string) => console.log(`\n[${n}] ${text}`);

async function loadOrCreateKey(file: string): Promise<BackendKey> {
  if (existsSync(file)) {
    const key = JSON.parse(readFileSync(file, 'utf8')) as BackendKey;
    console.log(`    loaded key ${key.kid} from ${file}`);
    return key;
  }
  const key = await generateBackendKey();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(key, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  console.log(`    generated RS384 key ${key.kid}, saved to ${file}`);
  return key;
}

/** Registers the client; when it already exists, points its JWKS and scopes at this key (idempotent reruns). */
async function ensureClient(adminToken: string, key: BackendKey): Promise<void> {
  try {
    await registerBackendClient(base, adminToken, {
      clientId,
      name: 'WintEHR backend services demo',
      scopes: SCOPES,
      key,
    });
    console.log(`    registered backend client ${clientId} (private_key_jwt, inline JWKS with kid ${key.kid})`);
  } catch (err) {
    if (!(err instanceof HttpFailure) || err.status !== 409) throw err;
    const res = await fetch(`${base}/api/smart/clients/${encodeURIComponent(clientId)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ jwks: publicJwks(key), allowedScopes: SCOPES, disabled: false }),
    });
    if (!res.ok) throw new HttpFailure(res.status, await res.text(), 'client update');
    console.log(`    backend client ${clientId} already registered: JWKS and scopes updated to this key`);
  }
}

async function main(): Promise<void> {
  console.log(`SMART Backend Services client → ${base}`);
  step(1, 'key pair');
  const key = await loadOrCreateKey(path.resolve(values.key));

  step(2, `admin login (${values['admin-user']}) and client registration`);
  const adminToken = await adminLogin(base, values['admin-user'], values['admin-password']);
  await ensureClient(adminToken, key);

  step(3, 'discovery');
  const tokenUrl = await discoverTokenEndpoint(fhirBase);
  console.log(`    token_endpoint ${tokenUrl}`);

  step(4, `client_credentials with a signed RS384 assertion, scope "${SCOPES.join(' ')}"`);
  const token = await requestSystemToken(tokenUrl, key, clientId, SCOPES.join(' '));
  console.log(`    ${token.token_type} token, expires_in ${token.expires_in}s, scope "${token.scope}"`);

  step(5, 'GET /fhir/Patient?_count=5');
  const patients = await fhirGet<fhir4.Bundle>(fhirBase, token.access_token, 'Patient?_count=5');
  if (patients.status !== 200) throw new HttpFailure(patients.status, patients.body, 'Patient search');
  const entries = (patients.body.entry ?? []).map((e) => e.resource as fhir4.Patient);
  console.log(
    `    HTTP 200, ${entries.length} patient(s) on this page${patients.body.link?.some((l) => l.relation === 'next') ? ' (more pages available)' : ''}`,
  );
  // Ids and counts only: this output may end up in logs, so no names or other PHI.
  for (const p of entries) console.log(`    - Patient/${p.id} (born ${p.birthDate?.slice(0, 4) ?? '?'})`);
  const first = entries[0];
  if (first?.id) {
    const obs = await fhirGet<fhir4.Bundle>(
      fhirBase,
      token.access_token,
      `Observation?patient=${encodeURIComponent(first.id)}&_count=10`,
    );
    if (obs.status !== 200) throw new HttpFailure(obs.status, obs.body, 'Observation search');
    console.log(
      `    GET /fhir/Observation?patient=${first.id}&_count=10 → HTTP 200, ${obs.body.entry?.length ?? 0} observation(s) on the first page`,
    );
  }
  console.log('\nok: every step succeeded');
}

main().catch((err: unknown) => {
  console.error(`\nfailed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
