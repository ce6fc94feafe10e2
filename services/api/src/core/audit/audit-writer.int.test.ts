import { Pool } from 'pg';
import pino from 'pino';
import { migrate } from '../db/migrate';
import { RUN_ID, testEnv } from '../../test-support/test-env';
import { TcpProxy } from '../../test-support/tcp-proxy';
import { queryAudit, verifyAuditTrail } from './audit-repository';
import { createAuditWriter } from './audit-writer';

const silent = pino({ level: 'silent' });
const env = testEnv();

describe('audit writer (PostgreSQL)', () => {
  let pool: Pool;

  beforeAll(async () => {
    pool = new Pool({ connectionString: env.databaseUrl, max: 8 });
    await migrate(pool);
  });
  afterAll(async () => {
    await pool.end();
  });

  it('persists 500 concurrent records from two writers as one gap-free, verifiable chain', async () => {
    const tag = `${RUN_ID}-w`;
    // Two writers = two API instances appending to the one chain (the advisory lock serialises them).
    const writers = [
      createAuditWriter(pool, silent, { flushIntervalMs: 5, batchSize: 64 }),
      createAuditWriter(pool, silent, { flushIntervalMs: 3 }),
    ];
    let seq = 0;
    await Promise.all(
      Array.from({ length: 500 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i % 20)); // spread over a few flush intervals
        const n = seq++;
        writers[n % 2]!.record({
          action: n % 3 ? 'patient.read' : 'fhir.search',
          outcome: n % 7 ? 'success' : 'denied',
          userId: `${tag}-user`,
          username: `${tag}-${n}`,
          role: 'physician',
          resourceType: 'Patient',
          resourceId: `${tag}-p${n % 10}`,
          patientId: `${tag}-p${n % 10}`,
          clientIp: '127.0.0.1',
          requestId: String(n),
          purposeOfUse: 'TREAT',
          details: {
            n,
            params: ['name', 'birthdate'],
            nested: { zeta: 1, a: [1.5, 'x', null, { k: true }] },
            long_key_first: 0,
          },
        });
      }),
    );
    await Promise.all(writers.map((w) => w.flush()));
    expect(writers.map((w) => w.stats())).toEqual([
      expect.objectContaining({ buffered: 0, persisted: 250, dropped: 0 }),
      expect.objectContaining({ buffered: 0, persisted: 250, dropped: 0 }),
    ]);
    await Promise.all(writers.map((w) => w.close()));

    const { rows } = await pool.query<{ id: string; request_id: string }>(
      'SELECT id, request_id FROM audit_log WHERE user_id = $1 ORDER BY id',
      [`${tag}-user`],
    );
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(500);
    // Per writer, ids follow the order of the record() calls.
    for (const parity of [0, 1]) {
      const order = rows.map((r) => Number(r.request_id)).filter((n) => n % 2 === parity);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }

    // The whole table (shared with other tests): ids strictly increasing with no gaps, chain intact.
    const span = await pool.query<{ n: string; lo: string; hi: string }>(
      'SELECT count(*) n, min(id) lo, max(id) hi FROM audit_log',
    );
    const s = span.rows[0]!;
    expect(BigInt(s.hi) - BigInt(s.lo) + 1n).toBe(BigInt(s.n));
    const result = await verifyAuditTrail(pool, { pageSize: 97 });
    expect(result).toMatchObject({ ok: true, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(result.checked).toBeGreaterThanOrEqual(500);
  });

  it('pages newest first with a keyset cursor and filters', async () => {
    const tag = `${RUN_ID}-q`;
    const w = createAuditWriter(pool, silent);
    for (let i = 0; i < 10; i++) {
      w.record({
        action: i < 5 ? 'patient.read' : 'patient.update',
        outcome: i === 9 ? 'denied' : 'success',
        userId: `${tag}-u`,
        username: `${tag}-name`,
        patientId: `${tag}-p`,
      });
    }
    await w.close();

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await queryAudit(pool, { patient: `${tag}-p`, limit: 3, cursor });
      seen.push(...page.records.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(10);
    expect(seen.map(BigInt)).toEqual([...seen.map(BigInt)].sort((a, b) => (a > b ? -1 : 1)));

    expect((await queryAudit(pool, { user: `${tag}-name`, action: 'patient.update', limit: 50 })).records).toHaveLength(
      5,
    );
    expect((await queryAudit(pool, { user: `${tag}-u`, outcome: 'denied', limit: 50 })).records).toHaveLength(1);
    const all = (await queryAudit(pool, { patient: `${tag}-p`, limit: 50 })).records;
    expect(all[0]).toMatchObject({
      action: 'patient.update',
      outcome: 'denied',
      occurredAt: expect.stringMatching(/\.\d{3}Z$/),
    });
    const from = all[all.length - 1]!.occurredAt;
    expect((await queryAudit(pool, { patient: `${tag}-p`, from, limit: 50 })).records).toHaveLength(10);
    expect((await queryAudit(pool, { patient: `${tag}-p`, to: from, limit: 50 })).records).toHaveLength(0);
    await expect(queryAudit(pool, { limit: 5, cursor: 'abc' })).rejects.toThrow(/cursor/);
  });

  it('keeps records while PostgreSQL is unreachable and writes them when it is back', async () => {
    const tag = `${RUN_ID}-down`;
    const u = new URL(env.databaseUrl);
    const proxy = new TcpProxy(u.hostname, Number(u.port || 5432));
    const port = await proxy.start();
    const viaProxy = new Pool({
      host: '127.0.0.1',
      port,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: u.pathname.slice(1),
      max: 2,
      connectionTimeoutMillis: 1_000,
    });
    viaProxy.on('error', () => undefined);
    const w = createAuditWriter(viaProxy, silent, { retryMinMs: 20, retryMaxMs: 200 });
    try {
      w.record({ action: 'patient.read', outcome: 'success', userId: `${tag}-u` });
      await w.flush();

      await proxy.stop();
      for (let i = 0; i < 20; i++) w.record({ action: 'patient.read', outcome: 'success', userId: `${tag}-u` });
      let flushed = false;
      const flushing = w.flush().then(() => (flushed = true));
      await new Promise((r) => setTimeout(r, 800));
      expect(flushed).toBe(false);
      expect(w.stats()).toMatchObject({ buffered: 20, dropped: 0 });
      expect(w.stats().consecutiveFailures).toBeGreaterThan(0);

      await proxy.start(port);
      await flushing;
      expect(w.stats()).toMatchObject({ buffered: 0, persisted: 21, consecutiveFailures: 0 });
      const { rows } = await pool.query('SELECT count(*)::int n FROM audit_log WHERE user_id = $1', [`${tag}-u`]);
      expect(rows[0].n).toBe(21);
      expect((await verifyAuditTrail(pool)).ok).toBe(true);
    } finally {
      await w.close();
      await proxy.stop();
      await viaProxy.end();
    }
  });

  it('bounds the buffer and counts what it had to drop', async () => {
    const dead = new Pool({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 200 });
    dead.on('error', () => undefined);
    const errors: unknown[] = [];
    const logger = {
      info: () => undefined,
      warn: () => undefined,
      error: (o: unknown) => void errors.push(o),
    } as unknown as pino.Logger;
    const w = createAuditWriter(dead, logger, { maxBuffer: 5, retryMinMs: 1_000, closeTimeoutMs: 100 });
    for (let i = 0; i < 8; i++) w.record({ action: 'patient.read', outcome: 'success', patientId: 'secret-patient' });
    expect(w.stats()).toMatchObject({ buffered: 5, dropped: 3 });
    await w.close();
    expect(errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(errors)).not.toContain('secret-patient');
    await dead.end();
  });
});
