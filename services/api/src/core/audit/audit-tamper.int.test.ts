import { Pool } from 'pg';
import pino from 'pino';
import { migrate } from '../db/migrate';
import { RUN_ID, testEnv } from '../../test-support/test-env';
import { verifyAuditTrail } from './audit-repository';
import { createAuditWriter } from './audit-writer';

/**
 * What a malicious DBA could do: switch the append-only triggers off as table owner, edit or delete rows,
 * switch them back on. Runs in a scratch schema so the shared audit table is never touched.
 */
describe('audit trail tamper detection', () => {
  const schema = `audit_tamper_${RUN_ID}`.toLowerCase();
  const env = testEnv();
  let admin: Pool;
  let pool: Pool;

  const asDba = async (sql: string, params: unknown[] = []) => {
    const c = await pool.connect();
    try {
      await c.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await c.query(sql, params);
      await c.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    } finally {
      c.release();
    }
  };

  beforeAll(async () => {
    admin = new Pool({ connectionString: env.databaseUrl, max: 1 });
    await admin.query(`CREATE SCHEMA "${schema}"`);
    pool = new Pool({ connectionString: env.databaseUrl, max: 4, options: `-c search_path="${schema}"` });
    await migrate(pool);
    const w = createAuditWriter(pool, pino({ level: 'silent' }));
    for (let i = 1; i <= 20; i++) {
      w.record({
        action: 'patient.read',
        outcome: 'success',
        userId: `u${i % 3}`,
        username: `user${i}`,
        patientId: `p${i}`,
        details: { i },
      });
    }
    await w.close();
  });

  afterAll(async () => {
    await pool?.end();
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin?.end();
  });

  it('starts with an intact chain of 20 rows', async () => {
    const r = await verifyAuditTrail(pool, { pageSize: 6 });
    expect(r).toMatchObject({ ok: true, checked: 20, headId: '20' });
  });

  it('refuses UPDATE, DELETE and TRUNCATE through the triggers', async () => {
    await expect(pool.query("UPDATE audit_log SET username = 'x' WHERE id = 1")).rejects.toThrow(/append-only/);
    await expect(pool.query('DELETE FROM audit_log WHERE id = 1')).rejects.toThrow(/append-only/);
    await expect(pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('reports the row a DBA edited behind the triggers', async () => {
    await asDba("UPDATE audit_log SET username = 'mallory' WHERE id = 7");
    const r = await verifyAuditTrail(pool, { pageSize: 6 });
    expect(r).toMatchObject({ ok: false, firstBrokenId: '7', checked: 6, reason: expect.stringMatching(/modified/) });
    await asDba("UPDATE audit_log SET username = 'user7' WHERE id = 7");
    expect((await verifyAuditTrail(pool)).ok).toBe(true);
  });

  it('reports an edit of the jsonb details and of the time', async () => {
    await asDba(`UPDATE audit_log SET details = '{"i": 99}' WHERE id = 3`);
    expect(await verifyAuditTrail(pool)).toMatchObject({ ok: false, firstBrokenId: '3' });
    await asDba(`UPDATE audit_log SET details = '{"i": 3}' WHERE id = 3`);
    await asDba(`UPDATE audit_log SET occurred_at = occurred_at + interval '1 millisecond' WHERE id = 4`);
    expect(await verifyAuditTrail(pool)).toMatchObject({ ok: false, firstBrokenId: '4' });
    await asDba(`UPDATE audit_log SET occurred_at = occurred_at - interval '1 millisecond' WHERE id = 4`);
    expect((await verifyAuditTrail(pool)).ok).toBe(true);
  });

  it('reports a deleted row', async () => {
    await asDba('DELETE FROM audit_log WHERE id = 12');
    const r = await verifyAuditTrail(pool, { pageSize: 5 });
    expect(r).toMatchObject({
      ok: false,
      firstBrokenId: '13',
      checked: 11,
      headId: '11',
      reason: expect.stringMatching(/12\.\.12 are missing/),
    });
  });

  it('reports a deleted tail once the rows had been exported', async () => {
    await pool.query("UPDATE audit_export_cursor SET last_id = 20 WHERE name = 'hapi'");
    const c = await pool.connect();
    try {
      // Repair the middle so only the tail is at issue: drop everything from 12 on.
      await c.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await c.query('DELETE FROM audit_log WHERE id >= 12');
      await c.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    } finally {
      c.release();
    }
    const r = await verifyAuditTrail(pool);
    expect(r).toMatchObject({
      ok: false,
      checked: 11,
      headId: '11',
      firstBrokenId: '12',
      reason: expect.stringMatching(/tail was deleted/),
    });
  });
});
