/**
 * CDS Hooks over a real HTTP server (app.listen on an ephemeral port) with a real fetch client, the real HAPI,
 * PostgreSQL and Redis: discovery, order-sign with and without prefetch, 412, a FHIR server that never answers,
 * client JWT checks (aud = the endpoint invoked, feedback included; jku with an inline JWKS), CORS as a browser
 * client meets it, draft orders shaped like the cds-hooks sandbox's, feedback and the per-rule report.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import request from 'supertest';
import { RUN_ID, testEnv } from '../../test-support/test-env';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestUser } from '../../test-support/users';
import type { CdsCard } from './cds-types';
import { resolvePrefetchTemplate } from './prefetch-template';
import { DiscoverySchema, ResponseSchema, shapeProblems } from './spec-shape.test-util';
import {
  AMOXICILLIN_500,
  CLARITHROMYCIN_500,
  createTestChart,
  draftMedicationRequest,
  draftOrders,
  type TestChart,
} from './test-chart.test-util';

const ISS = `https://cds-client.${RUN_ID}.example`;
const PUBLIC = 'http://localhost:8000';
const ORDER_SIGN = 'wintehr-order-sign';

let harness: Awaited<ReturnType<typeof buildTestApp>>;
let server: http.Server;
let baseUrl: string;
let privateKey: CryptoKey;
let kid: string;
let chart: TestChart;
let userId: string;
const REMOTE_ISS = `https://remote-client.${RUN_ID}.example`;
let remoteKey: CryptoKey;
let jwksServer: http.Server;
let jwksUrl: string;
let jwksHits = 0;
let silent: net.Server;
let silentBase: string;

async function sign(
  o: { aud?: string; exp?: number; jti?: string; iss?: string; kid?: string | null; jku?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const header: Record<string, unknown> = {
    alg: 'ES256',
    typ: 'JWT',
    ...(o.kid === null ? {} : { kid: o.kid ?? kid }),
    ...(o.jku ? { jku: o.jku } : {}),
  };
  return new SignJWT({})
    .setProtectedHeader(header as { alg: string })
    .setIssuer(o.iss ?? ISS)
    .setAudience(o.aud ?? `${PUBLIC}/cds-services/${ORDER_SIGN}`)
    .setIssuedAt(now)
    .setExpirationTime(o.exp ?? now + 120)
    .setJti(o.jti ?? randomUUID())
    .sign(privateKey);
}

async function call(path: string, body: unknown, token?: string | null) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    // CDS Hooks 2.0: aud is the URL of the endpoint invoked, so feedback is signed for `.../{id}/feedback`.
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token ?? (await sign({ aud: `${PUBLIC}${path}` }))}` }),
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { cards: CdsCard[]; error?: { code: string; details?: unknown } } & Record<
      string,
      unknown
    >,
  };
}

function signRequest(extra: Record<string, unknown> = {}) {
  return {
    hook: 'order-sign',
    hookInstance: randomUUID(),
    context: {
      userId: 'Practitioner/example',
      patientId: chart.patientId,
      draftOrders: draftOrders(
        draftMedicationRequest('draft-clari', chart.patientId, CLARITHROMYCIN_500, 'clarithromycin 500 MG Oral Tablet'),
        draftMedicationRequest('draft-amox', chart.patientId, AMOXICILLIN_500, 'amoxicillin 500 MG Oral Tablet'),
      ),
    },
    ...extra,
  };
}

/** Fetches every prefetch key of a service from HAPI, as a CDS client would. */
async function fullPrefetch(serviceId: string): Promise<Record<string, unknown>> {
  const disc = (await (await fetch(`${baseUrl}/cds-services`)).json()) as {
    services: { id: string; prefetch: Record<string, string> }[];
  };
  const tpl = disc.services.find((s) => s.id === serviceId)!.prefetch;
  const out: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(tpl)) {
    const q = resolvePrefetchTemplate(t, { patientId: chart.patientId, userId: 'Practitioner/example' })!;
    out[k] = await (await fetch(`${testEnv().hapiBaseUrl}/${q}`)).json();
  }
  return out;
}

const topics = (cards: CdsCard[]) => cards.map((c) => c.source.topic?.code);

function assertSpecShape(cards: CdsCard[]): void {
  expect(shapeProblems(ResponseSchema, { cards })).toEqual([]);
  const json = JSON.stringify(cards);
  expect(json).not.toContain('null');
  for (const c of cards) {
    expect(c.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.summary.length).toBeLessThan(140);
    expect(['info', 'warning', 'critical']).toContain(c.indicator);
    expect(c.source.label).toBeTruthy();
    if (c.suggestions?.length) expect(c.selectionBehavior).toBe('at-most-one');
    else expect(c.selectionBehavior).toBeUndefined();
  }
}

beforeAll(async () => {
  const kp = await generateKeyPair('ES256', { extractable: true });
  privateKey = kp.privateKey;
  const jwk: JWK = await exportJWK(kp.publicKey);
  kid = await calculateJwkThumbprint(jwk);
  // A second client publishes its keys at a URL (fetched with createRemoteJWKSet and cached).
  const remote = await generateKeyPair('RS256', { extractable: true });
  remoteKey = remote.privateKey;
  const remoteJwk = { ...(await exportJWK(remote.publicKey)), kid: 'remote-1', alg: 'RS256', use: 'sig' };
  jwksServer = http.createServer((req, res) => {
    jwksHits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [remoteJwk] }));
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as net.AddressInfo).port}/jwks.json`;
  // A FHIR server that accepts connections and never answers (on the allowlist, like HAPI).
  silent = net.createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentBase = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/fhir`;
  harness = await buildTestApp({
    env: {
      PUBLIC_BASE_URL: PUBLIC,
      CDS_FHIR_SERVERS: `${testEnv().hapiBaseUrl},${silentBase}`,
      CDS_TRUSTED_CLIENTS: JSON.stringify([
        { iss: ISS, jwks: { keys: [{ ...jwk, kid, alg: 'ES256', use: 'sig' }] } },
        { iss: REMOTE_ISS, jwksUrl },
      ]),
    },
  });
  server = http.createServer(harness.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  chart = await createTestChart(harness.deps.fhir, `${RUN_ID}-cds`);
  userId = (await createTestUser(harness.deps, { role: 'physician' })).user.id;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await new Promise((r) => jwksServer.close(r));
  silent.close();
  await harness.close();
});

describe('discovery and transport', () => {
  it('lists the three services with prefetch templates', async () => {
    const res = await fetch(`${baseUrl}/cds-services`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as { services: { hook: string; id: string; prefetch: Record<string, string> }[] };
    expect(shapeProblems(DiscoverySchema, body)).toEqual([]);
    expect(body.services.map((s) => [s.hook, s.id])).toEqual([
      ['patient-view', 'wintehr-patient-view'],
      ['order-select', 'wintehr-order-select'],
      ['order-sign', ORDER_SIGN],
    ]);
    expect(body.services[2]!.prefetch.patient).toBe('Patient/{{context.patientId}}');
  });

  it('answers a CORS preflight from any origin without a JWT, for the service and its feedback endpoint', async () => {
    for (const path of [`/cds-services/${ORDER_SIGN}`, `/cds-services/${ORDER_SIGN}/feedback`]) {
      const res = await fetch(`${baseUrl}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://sandbox.cds-hooks.org',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-requested-with',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'x-requested-with']),
      );
    }
  });

  it('answers a Private Network Access preflight (a public page such as the hosted sandbox calling this host)', async () => {
    const headers = { origin: 'https://sandbox.cds-hooks.org', 'access-control-request-method': 'GET' };
    const pna = await fetch(`${baseUrl}/cds-services`, {
      method: 'OPTIONS',
      headers: { ...headers, 'access-control-request-private-network': 'true' },
    });
    expect([pna.status, pna.headers.get('access-control-allow-private-network')]).toEqual([204, 'true']);
    const plain = await fetch(`${baseUrl}/cds-services`, { method: 'OPTIONS', headers });
    expect(plain.headers.get('access-control-allow-private-network')).toBeNull();
  });

  it('a browser on another origin can read discovery, cards and errors (CORS headers on every answer)', async () => {
    const origin = { origin: 'https://sandbox.cds-hooks.org' };
    const disc = await fetch(`${baseUrl}/cds-services`, { headers: origin });
    expect([disc.status, disc.headers.get('access-control-allow-origin')]).toEqual([200, '*']);
    const ok = await fetch(`${baseUrl}/cds-services/${ORDER_SIGN}`, {
      method: 'POST',
      headers: { ...origin, 'content-type': 'application/json', authorization: `Bearer ${await sign()}` },
      body: JSON.stringify(signRequest({ fhirServer: testEnv().hapiBaseUrl })),
    });
    expect([ok.status, ok.headers.get('access-control-allow-origin')]).toEqual([200, '*']);
    const refused = await fetch(`${baseUrl}/cds-services/${ORDER_SIGN}`, {
      method: 'POST',
      headers: { ...origin, 'content-type': 'application/json' },
      body: '{}',
    });
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([401, '*']);
  });
});

describe('order-sign', () => {
  it('with full prefetch: the contraindicated interaction and the allergy, with remove/replace suggestions', async () => {
    const { status, body } = await call(
      `/cds-services/${ORDER_SIGN}`,
      signRequest({ prefetch: await fullPrefetch(ORDER_SIGN) }),
    );
    expect(status).toBe(200);
    assertSpecShape(body.cards);
    const ddi = body.cards.find((c) => c.source.topic?.code === 'ddi:onc-11-statin-strong-cyp3a4')!;
    expect(ddi.indicator).toBe('critical');
    expect(ddi.suggestions!.flatMap((s) => s.actions ?? [])).toContainEqual({
      type: 'delete',
      description: expect.any(String),
      resourceId: 'MedicationRequest/draft-clari',
    });
    expect(ddi.overrideReasons!.length).toBeGreaterThan(0);
    const allergy = body.cards.find((c) => c.source.topic?.code?.startsWith('drug-allergy:'))!;
    expect(allergy).toMatchObject({ indicator: 'critical' });
    expect(allergy.suggestions![0]!.actions![0]).toMatchObject({
      type: 'delete',
      resourceId: 'MedicationRequest/draft-amox',
    });
  });

  it('without prefetch: fetches from fhirServer and finds the same rules', async () => {
    const { status, body } = await call(
      `/cds-services/${ORDER_SIGN}`,
      signRequest({ fhirServer: testEnv().hapiBaseUrl }),
    );
    expect(status).toBe(200);
    expect(topics(body.cards)).toEqual(
      expect.arrayContaining(['ddi:onc-11-statin-strong-cyp3a4', expect.stringMatching(/^drug-allergy:/)]),
    );
  });

  it('returns 412 when a prefetch key is missing and no fhirServer is given', async () => {
    const { status, body } = await call(`/cds-services/${ORDER_SIGN}`, signRequest());
    expect(status).toBe(412);
    expect(body.error).toMatchObject({ code: 'PREFETCH_REQUIRED' });
  });

  it('a FHIR server that never answers yields an explanatory card, not a 500', async () => {
    const started = Date.now();
    const { status, body } = await call(`/cds-services/${ORDER_SIGN}`, signRequest({ fhirServer: silentBase }));
    expect(status).toBe(200);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(body.cards).toHaveLength(1);
    expect(body.cards[0]).toMatchObject({ indicator: 'warning', source: { topic: { code: 'data-unavailable' } } });
    expect(body.cards[0]!.summary).toMatch(/could not run/);
  });

  it('does not fetch from a fhirServer off its allowlist (no SSRF through a trusted client): 412 saying why', async () => {
    for (const fhirServer of [
      'http://169.254.169.254/latest/meta-data',
      `${testEnv().hapiBaseUrl}-evil`,
      'http://127.0.0.1:5432/fhir',
    ]) {
      const { status, body } = await call(`/cds-services/${ORDER_SIGN}`, signRequest({ fhirServer }));
      expect(status).toBe(412);
      expect(body.error).toMatchObject({ code: 'PREFETCH_REQUIRED', details: { reason: 'fhir-server-not-allowed' } });
    }
  });

  it('answers cards: [] when nothing applies', async () => {
    const req = signRequest({ fhirServer: testEnv().hapiBaseUrl });
    (req.context as { draftOrders: fhir4.Bundle }).draftOrders = draftOrders();
    const { status, body } = await call(`/cds-services/${ORDER_SIGN}`, req);
    expect([status, body]).toEqual([200, { cards: [] }]);
  });

  it('rejects malformed requests with 400 and unknown services with 404', async () => {
    const bad = await call(`/cds-services/${ORDER_SIGN}`, { ...signRequest(), hookInstance: 'not-a-uuid' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error!.details)).toContain('hookInstance');
    const wrongHook = await call(`/cds-services/${ORDER_SIGN}`, { ...signRequest(), hook: 'patient-view' });
    expect(wrongHook.status).toBe(400);
    const unknown = await call('/cds-services/no-such-service', signRequest());
    expect(unknown.status).toBe(404);
  });
});

describe('requests as the cds-hooks sandbox sends them', () => {
  /** The sandbox's draft: category as one CodeableConcept, no dosage; here clarithromycin, which meets the chart's simvastatin. */
  const sandboxDraft = (id: string, code: string, name: string) => ({
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    authoredOn: new Date().toISOString().slice(0, 10),
    category: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: 'outpatient' }],
    },
    subject: { reference: `Patient/${chart.patientId}` },
    medicationCodeableConcept: {
      text: name,
      coding: [{ display: name, system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code }],
    },
  });

  it('order-sign with category as an object (prefetched): the interaction card, not a 400', async () => {
    const body = {
      hookInstance: randomUUID(),
      hook: 'order-sign',
      fhirServer: testEnv().hapiBaseUrl,
      context: {
        patientId: chart.patientId,
        userId: 'Practitioner/COREPRACTITIONER1',
        draftOrders: {
          resourceType: 'Bundle',
          entry: [{ resource: sandboxDraft('request-123', CLARITHROMYCIN_500, 'clarithromycin 500 MG Oral Tablet') }],
        },
      },
      prefetch: await fullPrefetch(ORDER_SIGN),
    };
    const { status, body: res } = await call(
      `/cds-services/${ORDER_SIGN}`,
      body,
      await sign({ jku: 'https://sandbox.cds-hooks.org/.well-known/jwks.json' }),
    );
    expect(status).toBe(200);
    assertSpecShape(res.cards);
    const ddi = res.cards.find((c) => c.source.topic?.code === 'ddi:onc-11-statin-strong-cyp3a4')!;
    expect(ddi.suggestions!.flatMap((s) => s.actions ?? [])).toContainEqual(
      expect.objectContaining({ type: 'delete', resourceId: 'MedicationRequest/request-123' }),
    );
  });

  it('a draft whose drug cannot be identified gets a "Not checked" warning, beside the findings for the others', async () => {
    const unreadable = {
      ...sandboxDraft('request-456', '0', 'x'),
      medicationCodeableConcept: { text: 'my own mixture', coding: [{ code: 42 }] },
    };
    const req = signRequest({ fhirServer: testEnv().hapiBaseUrl });
    (req.context as { draftOrders: fhir4.Bundle }).draftOrders.entry!.push({
      resource: unreadable as unknown as fhir4.MedicationRequest,
    });
    const { status, body } = await call(`/cds-services/${ORDER_SIGN}`, req);
    expect(status).toBe(200);
    assertSpecShape(body.cards);
    expect(topics(body.cards)).toEqual(
      expect.arrayContaining(['ddi:onc-11-statin-strong-cyp3a4', 'unable-to-screen:draft-order']),
    );
    const notChecked = body.cards.find((c) => c.source.topic?.code === 'unable-to-screen:draft-order')!;
    expect(notChecked).toMatchObject({
      indicator: 'warning',
      summary: expect.stringMatching(/^Not checked: my own mixture/),
    });
  });

  it('a prefetch value of the wrong type is fetched again from fhirServer, or says the check could not run', async () => {
    const prefetch = { ...(await fullPrefetch(ORDER_SIGN)), patient: { resourceType: 'Bundle' } };
    const refetched = await call(
      `/cds-services/${ORDER_SIGN}`,
      signRequest({ prefetch, fhirServer: testEnv().hapiBaseUrl }),
    );
    expect(refetched.status).toBe(200);
    expect(topics(refetched.body.cards)).toContain('ddi:onc-11-statin-strong-cyp3a4');
    const alone = await call(`/cds-services/${ORDER_SIGN}`, signRequest({ prefetch }));
    expect(alone.status).toBe(200);
    expect(topics(alone.body.cards)).toContain('data-unavailable');
    expect(topics(alone.body.cards)).not.toContain('ddi:onc-11-statin-strong-cyp3a4');
  });
});

describe('patient-view and order-select', () => {
  it('patient-view: unacknowledged critical result, allergy conflict in the active list, overdue preventive care', async () => {
    const fhir = harness.deps.fhir;
    const other = await createTestChart(fhir, `${RUN_ID}-pv`);
    const subject = { reference: `Patient/${other.patientId}` };
    const now = new Date().toISOString();
    const lab = (code: string, ack: boolean): fhir4.Observation => ({
      resourceType: 'Observation',
      status: 'final',
      subject,
      effectiveDateTime: now,
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] },
      ],
      code: { coding: [{ system: 'http://loinc.org', code }], text: code === '2823-3' ? 'Potassium' : 'Sodium' },
      valueQuantity: { value: code === '2823-3' ? 6.9 : 118, unit: 'mmol/L' },
      interpretation: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
              code: code === '2823-3' ? 'HH' : 'LL',
            },
          ],
        },
      ],
      ...(ack
        ? { extension: [{ url: 'http://wintehr.dev/fhir/StructureDefinition/acknowledged', valueDateTime: now }] }
        : {}),
    });
    await Promise.all([
      fhir.create(lab('2823-3', false)),
      fhir.create(lab('2951-2', true)),
      fhir.create<fhir4.MedicationRequest>({
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        subject,
        medicationCodeableConcept: {
          coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: AMOXICILLIN_500 }],
        },
      }),
      fhir.create<fhir4.Immunization>({
        resourceType: 'Immunization',
        status: 'completed',
        patient: subject,
        occurrenceDateTime: now,
        vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '150' }] },
      }),
    ]);
    const path = '/cds-services/wintehr-patient-view';
    const { status, body } = await call(path, {
      hook: 'patient-view',
      hookInstance: randomUUID(),
      fhirServer: testEnv().hapiBaseUrl,
      context: { userId: 'Practitioner/example', patientId: other.patientId },
    });
    expect(status).toBe(200);
    assertSpecShape(body.cards);
    const critical = body.cards.filter((c) => c.source.topic?.code === 'critical-result');
    expect(critical).toHaveLength(1);
    expect(critical[0]!.summary).toBe('Unacknowledged critical result: Potassium');
    expect(topics(body.cards)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^drug-allergy:penicillins/),
        'preventive:colorectal-screening',
        'preventive:breast-cancer-screening',
      ]),
    );
    expect(topics(body.cards)).not.toContain('preventive:influenza-vaccine');
  });

  it('order-select screens only the selected drafts', async () => {
    const path = '/cds-services/wintehr-order-select';
    const req = signRequest({ fhirServer: testEnv().hapiBaseUrl });
    const { status, body } = await call(path, {
      ...req,
      hook: 'order-select',
      context: { ...req.context, selections: ['MedicationRequest/draft-amox'] },
    });
    expect(status).toBe(200);
    expect(topics(body.cards).some((t) => t?.startsWith('drug-allergy:'))).toBe(true);
    expect(topics(body.cards)).not.toContain('ddi:onc-11-statin-strong-cyp3a4');
  });
});

describe('client authentication', () => {
  it('requires a JWT, rejects untrusted issuers, wrong audiences and replays', async () => {
    const path = `/cds-services/${ORDER_SIGN}`;
    expect((await call(path, signRequest(), null)).status).toBe(401);
    expect((await call(path, signRequest(), await sign({ iss: 'https://evil.example' }))).body.error).toMatchObject({
      code: 'AUTHENTICATION_FAILED',
    });
    expect(
      (await call(path, signRequest(), await sign({ aud: 'https://elsewhere.example/cds-services/x' }))).status,
    ).toBe(401);
    const once = await sign();
    expect((await call(path, signRequest({ fhirServer: testEnv().hapiBaseUrl }), once)).status).toBe(200);
    const replay = await call(path, signRequest({ fhirServer: testEnv().hapiBaseUrl }), once);
    expect([replay.status, (replay.body.error!.details as { reason: string }).reason]).toEqual([401, 'replay']);
  });

  it('aud must be the endpoint invoked: the service URL for a call, the feedback URL for feedback', async () => {
    const path = `/cds-services/${ORDER_SIGN}`;
    const wrong = await call(
      path,
      signRequest({ fhirServer: testEnv().hapiBaseUrl }),
      await sign({ aud: `${PUBLIC}${path}/feedback` }),
    );
    expect([wrong.status, (wrong.body.error!.details as { reason: string }).reason]).toEqual([401, 'claim']);
    const base = await call(
      path,
      signRequest({ fhirServer: testEnv().hapiBaseUrl }),
      await sign({ aud: `${PUBLIC}/cds-services` }),
    );
    expect(base.status).toBe(401);
    const feedback = {
      feedback: [{ card: randomUUID(), outcome: 'accepted', outcomeTimestamp: new Date().toISOString() }],
    };
    const serviceAud = await call(`${path}/feedback`, feedback, await sign({ aud: `${PUBLIC}${path}` }));
    expect([serviceAud.status, (serviceAud.body.error!.details as { reason: string }).reason]).toEqual([401, 'claim']);
    // Signed for the feedback URL, the request passes authentication (and is then refused for its unknown card).
    expect((await call(`${path}/feedback`, feedback)).status).toBe(400);
  });

  it('a client configured with an inline JWKS may send a jku (as the sandbox does): verified offline with the configured keys', async () => {
    const path = `/cds-services/${ORDER_SIGN}`;
    const jku = 'https://sandbox.cds-hooks.org/.well-known/jwks.json';
    expect((await call(path, signRequest({ fhirServer: testEnv().hapiBaseUrl }), await sign({ jku }))).status).toBe(
      200,
    );
    const unknownKid = await call(path, signRequest(), await sign({ jku, kid: 'not-configured' }));
    expect([unknownKid.status, (unknownKid.body.error!.details as { reason: string }).reason]).toEqual([401, 'kid']);
  });

  it('a client whose keys are at a JWKS URL (jku allowed only when it is that URL)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const remoteToken = (jku?: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: 'remote-1', ...(jku ? { jku } : {}) })
        .setIssuer(REMOTE_ISS)
        .setAudience(`${PUBLIC}/cds-services/${ORDER_SIGN}`)
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .setJti(randomUUID())
        .sign(remoteKey);
    const path = `/cds-services/${ORDER_SIGN}`;
    expect((await call(path, signRequest({ fhirServer: testEnv().hapiBaseUrl }), await remoteToken())).status).toBe(
      200,
    );
    expect(
      (await call(path, signRequest({ fhirServer: testEnv().hapiBaseUrl }), await remoteToken(jwksUrl))).status,
    ).toBe(200);
    const bad = await call(path, signRequest(), await remoteToken('https://attacker.example/jwks.json'));
    expect([bad.status, (bad.body.error!.details as { reason: string }).reason]).toEqual([401, 'jku']);
    expect(jwksHits).toBe(1); // cached after the first fetch
  });

  it('the web app gets a short-lived client token that the services accept', async () => {
    const { auth } = await createTestUser(harness.deps, { role: 'physician' });
    const t = await request(harness.app)
      .post('/api/cds/client-token')
      .set(auth)
      .send({ serviceId: ORDER_SIGN })
      .expect(200);
    expect(t.body.expires_in).toBeLessThanOrEqual(300);
    const res = await call(
      `/cds-services/${ORDER_SIGN}`,
      signRequest({ fhirServer: testEnv().hapiBaseUrl }),
      t.body.access_token,
    );
    expect(res.status).toBe(200);
    // A user access token is not a CDS client token.
    expect((await call(`/cds-services/${ORDER_SIGN}`, signRequest(), auth.Authorization.slice(7))).status).toBe(401);
  });
});

describe('feedback and report', () => {
  it('stores accepted / overridden feedback per rule and reports it', async () => {
    const { body } = await call(`/cds-services/${ORDER_SIGN}`, signRequest({ fhirServer: testEnv().hapiBaseUrl }));
    const ddi = body.cards.find((c) => c.source.topic?.code === 'ddi:onc-11-statin-strong-cyp3a4')!;
    const allergy = body.cards.find((c) => c.source.topic?.code?.startsWith('drug-allergy:'))!;
    const fb = await call(`/cds-services/${ORDER_SIGN}/feedback`, {
      feedback: [
        {
          card: ddi.uuid,
          outcome: 'overridden',
          overrideReason: { reason: ddi.overrideReasons![0], userComment: 'short course' },
          outcomeTimestamp: new Date().toISOString(),
        },
        {
          card: allergy.uuid,
          outcome: 'accepted',
          acceptedSuggestions: [{ id: allergy.suggestions![0]!.uuid }],
          outcomeTimestamp: new Date().toISOString(),
        },
      ],
    });
    expect(fb).toEqual({ status: 200, body: { received: 2, stored: 2 } });

    const unknown = await call(`/cds-services/${ORDER_SIGN}/feedback`, {
      feedback: [{ card: randomUUID(), outcome: 'accepted', outcomeTimestamp: new Date().toISOString() }],
    });
    expect(unknown.status).toBe(400);

    // Another trusted client (here the web app) cannot give feedback on cards it was not given.
    const { auth } = await createTestUser(harness.deps, { role: 'physician' });
    const web = await request(harness.app)
      .post('/api/cds/client-token')
      .set(auth)
      .send({ serviceId: ORDER_SIGN })
      .expect(200);
    const foreign = await call(
      `/cds-services/${ORDER_SIGN}/feedback`,
      { feedback: [{ card: ddi.uuid, outcome: 'accepted', outcomeTimestamp: new Date().toISOString() }] },
      web.body.access_token,
    );
    expect(foreign.status).toBe(400);

    const admin = await createTestUser(harness.deps, { role: 'admin' });
    const report = await request(harness.app).get('/api/cds/report').set(admin.auth).expect(200);
    const rule = (
      report.body.rules as {
        ruleId: string;
        fired: number;
        overridden: number;
        accepted: number;
        topOverrideReasons: { code: string }[];
      }[]
    ).find((r) => r.ruleId === 'ddi:onc-11-statin-strong-cyp3a4')!;
    expect(rule.fired).toBeGreaterThanOrEqual(1);
    expect(rule.overridden).toBeGreaterThanOrEqual(1);
    expect(rule.topOverrideReasons.map((r) => r.code)).toContain(ddi.overrideReasons![0]!.code);
    const physician = await createTestUser(harness.deps, { role: 'physician' });
    await request(harness.app).get('/api/cds/report').set(physician.auth).expect(403);
    await harness.deps.audit.flush();
    const audit = await harness.deps.pg.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'cds.hook' AND patient_id = $1`,
      [chart.patientId],
    );
    expect(audit.rows[0]!.n).toBeGreaterThan(0);
    // Feedback is audited per patient with rule ids and reason codes; the free-text comment stays out of the audit.
    const fbAudit = await harness.deps.pg.query<{
      details: { items: { card: string; rule: string; outcome: string; reason?: string }[] };
    }>(`SELECT details FROM audit_log WHERE action = 'cds.feedback' AND patient_id = $1 AND client_id = $2`, [
      chart.patientId,
      ISS,
    ]);
    const items = fbAudit.rows.flatMap((r) => r.details.items);
    expect(items).toEqual(
      expect.arrayContaining([
        {
          card: ddi.uuid,
          rule: 'ddi:onc-11-statin-strong-cyp3a4',
          outcome: 'overridden',
          reason: ddi.overrideReasons![0]!.code,
        },
        expect.objectContaining({ card: allergy.uuid, outcome: 'accepted' }),
      ]),
    );
    expect(JSON.stringify(fbAudit.rows)).not.toContain('short course');
    const stored = await harness.deps.pg.query<{ outcome: string; user_comment: string | null }>(
      'SELECT outcome, user_comment FROM cds_feedback WHERE card_uuid = $1',
      [ddi.uuid],
    );
    expect(stored.rows).toEqual([{ outcome: 'overridden', user_comment: 'short course' }]);
    void userId;
  });
});
