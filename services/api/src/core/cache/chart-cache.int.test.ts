import pino from 'pino';
import request from 'supertest';
import { buildTestApp } from '../../test-support/app-harness';
import { TcpProxy } from '../../test-support/tcp-proxy';
import { testEnv } from '../../test-support/test-env';
import { createTestPatient, createTestPractitioner, createTestUser, type TestUser } from '../../test-support/users';
import { issueSmartAccessToken } from '../auth/smart-token';
import { createRedis } from '../redis';
import { createChartCache } from './chart-cache';

jest.setTimeout(90_000);

type App = Awaited<ReturnType<typeof buildTestApp>>;

/**
 * The chart cache against real Redis and HAPI: a repeated summary is served from Redis, and every way of writing to
 * the chart — the business API, the FHIR gate with a SMART token, a delete whose patient is unknown — is seen by the
 * next read. Nothing here waits for the TTL.
 */
describe('chart cache (real Redis and HAPI)', () => {
  let t: App;
  let doc: TestUser;
  let patientId: string;

  const lookups = async (outcome: string) => {
    const m = await t.deps.metrics.registry.getSingleMetric('wintehr_chart_cache_lookups_total')!.get();
    return m.values.find((v) => v.labels.kind === 'summary' && v.labels.outcome === outcome)?.value ?? 0;
  };
  const summary = async () =>
    (await request(t.app).get(`/api/patients/${patientId}/summary`).set(doc.auth).expect(200)).body as {
      allergies: fhir4.AllergyIntolerance[];
      vitals: Array<{ value?: number }>;
    };
  const substances = (s: { allergies: fhir4.AllergyIntolerance[] }) =>
    s.allergies.map((a) => a.code?.coding?.[0]?.code).sort();

  beforeAll(async () => {
    t = await buildTestApp();
    patientId = await createTestPatient(t.deps, 'Cachechart');
    doc = await createTestUser(t.deps, { role: 'physician', practitionerId: await createTestPractitioner(t.deps) });
    await t.deps.pg.query("INSERT INTO patient_assignments (user_id, patient_id, reason) VALUES ($1, $2, 'test')", [
      doc.user.id,
      patientId,
    ]);
  });
  afterAll(async () => t.close());

  it('serves a repeated summary from the cache, and a write through the business API is in the next one', async () => {
    await summary();
    const hits = await lookups('hit');
    const again = await summary();
    expect(await lookups('hit')).toBe(hits + 1);
    expect(substances(again)).toEqual([]);
    await request(t.app)
      .post(`/api/patients/${patientId}/allergies`)
      .set(doc.auth)
      .send({ substance: { system: 'rxnorm', code: '7980', display: 'Penicillin G' }, criticality: 'high' })
      .expect(201);
    expect(substances(await summary())).toEqual(['7980']);
  });

  it('a write through the FHIR gate (a SMART patient app) is in the next summary', async () => {
    const self = await createTestUser(t.deps, { role: 'patient', patientId });
    const { token } = await issueSmartAccessToken(
      t.deps.tokens,
      t.deps.config.publicBaseUrl,
      {
        kind: 'user',
        clientId: 'cache-test',
        userId: self.user.id,
        username: self.user.username,
        role: 'patient',
        fhirUser: `Patient/${patientId}`,
        patientId,
        scopes: ['launch/patient', 'patient/*.cruds'],
      },
      600,
    );
    await summary();
    await summary(); // cached now
    const res = await request(t.app)
      .post('/fhir/AllergyIntolerance')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/fhir+json')
      .send({
        resourceType: 'AllergyIntolerance',
        patient: { reference: `Patient/${patientId}` },
        code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '2670', display: 'Codeine' }] },
      });
    expect(res.status).toBe(201);
    expect(substances(await summary())).toEqual(['2670', '7980']);
  });

  it('a delete whose patient cannot be told moves every chart on', async () => {
    const hr = await t.deps.fhir.create<fhir4.Observation>({
      resourceType: 'Observation',
      status: 'final',
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: new Date().toISOString(),
      valueQuantity: { value: 77, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    expect((await summary()).vitals.map((v) => v.value)).toContain(77);
    await summary();
    await t.deps.fhir.delete('Observation', hr.id!);
    expect((await summary()).vitals.map((v) => v.value)).not.toContain(77);
  });
});

describe('chart cache when an invalidation is lost', () => {
  it('bypasses while Redis is away, and after a lost invalidation serves nothing cached before it', async () => {
    const target = new URL(testEnv().redisUrl);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    const port = await proxy.start();
    const redis = createRedis(`redis://127.0.0.1:${port}${target.pathname}`);
    await redis.connect();
    const cache = createChartCache({ redis, ttlSeconds: 60, logger: pino({ level: 'silent' }) });
    const pid = `lost-${Date.now()}`;
    let computed = 0;
    const compute = async () => ({ n: ++computed });
    try {
      expect(await cache.get('t', pid, compute)).toEqual({ n: 1 });
      expect(await cache.get('t', pid, compute)).toEqual({ n: 1 }); // a hit
      await proxy.stop(); // Redis unreachable
      await cache.changed({ kind: 'patients', ids: [pid] }); // this invalidation is lost
      expect(await cache.get('t', pid, compute)).toEqual({ n: 2 }); // bypassed, computed fresh
      await proxy.start(port);
      await waitFor(async () => (await redis.ping().catch(() => '')) === 'PONG');
      // Redis is back with the old entry still stored under the old version: it must not be served.
      expect(await cache.get('t', pid, compute)).toEqual({ n: 3 });
      expect(await cache.get('t', pid, compute)).toEqual({ n: 3 }); // and caching resumes
    } finally {
      redis.disconnect();
      await proxy.stop().catch(() => undefined);
    }
  });
});

async function waitFor(ok: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error('Redis did not come back through the proxy');
    await new Promise((r) => setTimeout(r, 100));
  }
}
