import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import pino from 'pino';
import { migrate } from '../db/migrate';
import { FhirClient } from '../fhir/fhir-client';
import { RUN_ID, testEnv } from '../../test-support/test-env';
import { TcpProxy } from '../../test-support/tcp-proxy';
import { auditEventId } from './audit-event';
import { startAuditExporter, type AuditExporter } from './audit-exporter';
import { createAuditWriter } from './audit-writer';
import type { AuditInput, AuditRecord } from './audit-types';
import { AUDIT_SELECT, rowToRecord, type AuditRow } from './audit-row';

jest.setTimeout(180_000);

/**
 * Export to the real HAPI through a TcpProxy the test cuts and restores. A scratch schema gives the test its
 * own audit table and cursor; the FHIR ids carry the row hash, so its rows never collide with other chains'.
 */
describe('audit export to HAPI', () => {
  const env = testEnv();
  const schema = `audit_export_${RUN_ID}`.toLowerCase();
  const tag = `${RUN_ID}-exp`;
  const silent = pino({ level: 'silent' });
  const hapi = new URL(env.hapiBaseUrl);
  const proxy = new TcpProxy(hapi.hostname, Number(hapi.port || 80));
  let proxyPort: number;
  let admin: Pool;
  let pool: Pool;
  let direct: FhirClient;
  let viaProxy: FhirClient;
  let exporter: AuditExporter;
  let patientId: string;

  const cursor = async () =>
    (await pool.query<{ last_id: string }>("SELECT last_id FROM audit_export_cursor WHERE name = 'hapi'")).rows[0]!
      .last_id;
  const maxId = async () => (await pool.query<{ m: string }>('SELECT max(id)::text m FROM audit_log')).rows[0]!.m;
  const allRecords = async (): Promise<AuditRecord[]> =>
    (await pool.query<AuditRow>(`SELECT ${AUDIT_SELECT} FROM audit_log ORDER BY audit_log.id`)).rows.map(rowToRecord);
  const countByAgent = async () => {
    const res = await direct.request('GET', 'AuditEvent', {
      query: { 'agent-name': tag, _summary: 'count' },
      headers: { 'cache-control': 'no-cache' },
      interaction: 'search AuditEvent',
    });
    return (res.body as fhir4.Bundle).total;
  };

  async function write(entries: AuditInput[]): Promise<void> {
    const w = createAuditWriter(pool, silent);
    for (const e of entries) w.record(e);
    await w.close();
  }

  beforeAll(async () => {
    admin = new Pool({ connectionString: env.databaseUrl, max: 1 });
    await admin.query(`CREATE SCHEMA "${schema}"`);
    pool = new Pool({ connectionString: env.databaseUrl, max: 4, options: `-c search_path="${schema}"` });
    await migrate(pool);
    direct = new FhirClient({ baseUrl: env.hapiBaseUrl, timeoutMs: 30_000, retries: 1, connections: 4 });
    proxyPort = await proxy.start();
    viaProxy = new FhirClient({
      baseUrl: `http://127.0.0.1:${proxyPort}${hapi.pathname}`,
      timeoutMs: 30_000,
      retries: 0,
      connections: 4,
    });
    exporter = await startAuditExporter({
      pool,
      redisUrl: env.redisUrl,
      fhir: viaProxy,
      logger: silent,
      worker: false,
    });
    const patient = await direct.create<fhir4.Patient>({
      resourceType: 'Patient',
      identifier: [{ system: 'urn:wintehr:test-run', value: RUN_ID }],
      name: [{ family: 'Audit', given: ['Export'] }],
    });
    patientId = patient.id!;

    const entries: AuditInput[] = Array.from({ length: 30 }, (_, i) => ({
      action: ['patient.read', 'fhir.search', 'observation.create', 'auth.login'][i % 4]!,
      outcome: i % 9 === 0 ? 'denied' : 'success',
      userId: `${tag}-uid`,
      username: tag,
      role: 'physician',
      ...(i % 4 === 3 ? {} : { patientId, resourceType: 'Patient', resourceId: patientId }),
      clientIp: '127.0.0.1',
      requestId: `req-${i}`,
      purposeOfUse: 'TREAT',
      details: { i },
    }));
    // Targets HAPI does not hold (a read that ended 404): referential integrity would refuse a reference.
    entries[10] = {
      ...entries[10]!,
      action: 'patient.read',
      outcome: 'failure',
      patientId: `missing-${RUN_ID}`,
      resourceType: 'Patient',
      resourceId: `missing-${RUN_ID}`,
    };
    entries[20] = {
      ...entries[20]!,
      action: 'observation.read',
      outcome: 'failure',
      resourceType: 'Observation',
      resourceId: `missing-obs-${RUN_ID}`,
    };
    await write(entries);
  });

  afterAll(async () => {
    await exporter?.stop();
    await proxy.stop();
    await Promise.allSettled([viaProxy?.close(), direct?.close()]);
    await pool?.end();
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin?.end();
  });

  it('fails while HAPI is unreachable and leaves the cursor where it was', async () => {
    await proxy.stop();
    await expect(exporter.runOnce()).rejects.toThrow(/unreachable|HAPI/);
    expect(await cursor()).toBe('0');
    expect(await countByAgent()).toBe(0);
  });

  it('exports everything once HAPI is back, advancing the cursor', async () => {
    await proxy.start(proxyPort);
    expect(await exporter.runOnce()).toBe(30);
    expect(await cursor()).toBe(await maxId());
    expect(await exporter.runOnce()).toBe(0);
    expect(await countByAgent()).toBe(30);
  });

  it('exports through the BullMQ worker, which retries while HAPI is down', async () => {
    const queueName = `audit-export-${RUN_ID}`;
    await proxy.stop();
    await write(
      Array.from({ length: 10 }, (_, i) => ({
        action: 'patient.read',
        outcome: 'success' as const,
        userId: `${tag}-uid`,
        username: tag,
        patientId,
        resourceType: 'Patient',
        resourceId: patientId,
        details: { late: i },
      })),
    );
    const before = await cursor();
    const worker = await startAuditExporter({
      pool,
      redisUrl: env.redisUrl,
      fhir: viaProxy,
      logger: silent,
      queueName,
      everyMs: 250,
      removeScheduleOnStop: true,
    });
    const redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(queueName, { connection: redis });
    try {
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await cursor()).toBe(before);
      expect((await queue.getFailedCount()) + (await queue.getDelayedCount())).toBeGreaterThan(0);

      await proxy.start(proxyPort);
      const target = await maxId();
      const deadline = Date.now() + 60_000;
      while ((await cursor()) !== target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await cursor()).toBe(target);
    } finally {
      await worker.stop();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await redis.quit();
    }
    expect(await countByAgent()).toBe(40);
  });

  it('holds every record exactly once, as a BALP AuditEvent, even when exported again', async () => {
    const records = await allRecords();
    expect(records).toHaveLength(40);
    const versions = new Map<string, string>();
    for (const r of records) {
      const ev = await direct.read('AuditEvent', auditEventId(r));
      const auditEntity = ev.entity!.find((e) => e.what?.identifier?.system === 'urn:wintehr:audit');
      expect(auditEntity?.what?.identifier?.value).toBe(r.id);
      expect(auditEntity?.detail).toContainEqual({ type: 'hash', valueString: r.hash });
      expect(new Date(ev.recorded).toISOString()).toBe(r.occurredAt);
      versions.set(r.id, ev.meta!.versionId!);
    }

    // The missing targets are there too, pointed at by identifier.
    const missing = records.find((r) => r.patientId === `missing-${RUN_ID}`)!;
    const missingEv = await direct.read('AuditEvent', auditEventId(missing));
    expect(missingEv.entity![0]!.what).toMatchObject({ identifier: { value: `missing-${RUN_ID}` }, type: 'Patient' });
    expect(missingEv.outcome).toBe('8');

    // Patient-centred search works for records with a real patient (BALP: AuditEvent?patient=).
    const byPatient = await direct.request('GET', 'AuditEvent', {
      query: { patient: `Patient/${patientId}`, _summary: 'count' },
      headers: { 'cache-control': 'no-cache' },
      interaction: 'search AuditEvent',
    });
    expect((byPatient.body as fhir4.Bundle).total).toBe(records.filter((r) => r.patientId === patientId).length);

    // Export everything again from the start: PUTs of identical content, so still exactly one of each.
    await pool.query("UPDATE audit_export_cursor SET last_id = 0 WHERE name = 'hapi'");
    let n = 0;
    for (;;) {
      const k = await exporter.runOnce();
      if (!k) break;
      n += k;
    }
    expect(n).toBe(40);
    expect(await countByAgent()).toBe(40);
    for (const r of records.slice(0, 5)) {
      const ev = await direct.read('AuditEvent', auditEventId(r));
      expect(ev.meta!.versionId).toBe(versions.get(r.id));
    }
  });
});
