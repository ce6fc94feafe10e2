import { Pool } from 'pg';
import request from 'supertest';
import { migrate } from '../../core/db/migrate';
import { buildTestApp } from '../../test-support/app-harness';
import { RUN_ID, testEnv } from '../../test-support/test-env';
import { createTestUser, type TestUser } from '../../test-support/users';

type Harness = Awaited<ReturnType<typeof buildTestApp>>;

/**
 * The admin audit API on a scratch schema: this suite edits a row behind the triggers, which must never touch
 * the audit table the other suites share.
 */
describe('audit API: query with filters and paging, chain verification', () => {
  const schema = `audit_api_${RUN_ID}`.toLowerCase();
  const env = testEnv();
  let owner: Pool;
  let h: Harness;
  let admin: TestUser;
  let nurse: TestUser;

  beforeAll(async () => {
    owner = new Pool({ connectionString: env.databaseUrl, max: 1 });
    await owner.query(`CREATE SCHEMA "${schema}"`);
    const scoped = new Pool({ connectionString: env.databaseUrl, max: 1, options: `-c search_path="${schema}"` });
    await migrate(scoped);
    await scoped.end();
    const url = new URL(env.databaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    h = await buildTestApp({ env: { DATABASE_URL: url.toString() } });
    admin = await createTestUser(h.deps, { role: 'admin' });
    nurse = await createTestUser(h.deps, { role: 'nurse' });
    for (let i = 0; i < 12; i++) {
      h.deps.audit.record({
        action: i % 2 ? 'patient.read' : 'medication.prescribe',
        outcome: i % 5 ? 'success' : 'denied',
        userId: nurse.user.id,
        username: nurse.user.username,
        role: 'nurse',
        patientId: `pat-${i % 3}`,
      });
    }
    await h.deps.audit.flush();
  });

  afterAll(async () => {
    await h?.close();
    await owner?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await owner?.end();
  });

  it('filters by patient, user, action and outcome, newest first, with keyset paging', async () => {
    const q = (query: Record<string, string>) =>
      request(h.app).get('/api/audit').query(query).set(admin.auth).expect(200);
    const byPatient = await q({ patient: 'pat-1', user: nurse.user.username });
    expect(byPatient.body.records).toHaveLength(4);
    expect(byPatient.body.records.every((r: { patientId: string }) => r.patientId === 'pat-1')).toBe(true);
    const ids = byPatient.body.records.map((r: { id: string }) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const denied = await q({ user: nurse.user.id, outcome: 'denied' });
    expect(denied.body.records).toHaveLength(3);

    const page1 = await q({ user: nurse.user.id, action: 'patient.read', limit: '4' });
    expect(page1.body.records).toHaveLength(4);
    const page2 = await q({ user: nurse.user.id, action: 'patient.read', limit: '4', cursor: page1.body.nextCursor });
    expect(page2.body.records).toHaveLength(2);
    expect(page2.body.nextCursor).toBeUndefined();

    const from = new Date(Date.now() + 3600_000).toISOString();
    expect((await q({ user: nurse.user.id, from })).body.records).toHaveLength(0);
  });

  it('rejects bad filters with field details and refuses non-admins', async () => {
    const bad = await request(h.app)
      .get('/api/audit?from=yesterday&limit=0&cursor=abc&bogus=1')
      .set(admin.auth)
      .expect(400);
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['query.from', 'query.limit', 'query.cursor']));
    await request(h.app).get('/api/audit').set(nurse.auth).expect(403);
    await request(h.app).get('/api/audit/verify').set(nurse.auth).expect(403);
  });

  it('audits its own use', async () => {
    await request(h.app).get('/api/audit?patient=pat-2').set(admin.auth).expect(200);
    await h.deps.audit.flush();
    const { rows } = await h.deps.pg.query(
      "SELECT patient_id, details FROM audit_log WHERE action = 'audit.query' AND user_id = $1 ORDER BY id DESC LIMIT 1",
      [admin.user.id],
    );
    expect(rows[0]).toMatchObject({ patient_id: 'pat-2' });
  });

  it('verifies the chain, and names the row a DBA edited directly in PostgreSQL', async () => {
    const ok = await request(h.app).get('/api/audit/verify').set(admin.auth).expect(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.checked).toBeGreaterThanOrEqual(12);

    const { rows } = await h.deps.pg.query<{ id: string }>(
      "SELECT id FROM audit_log WHERE action = 'medication.prescribe' ORDER BY id LIMIT 1 OFFSET 2",
    );
    const c = await owner.connect();
    try {
      await c.query(`SET search_path = "${schema}"`);
      await c.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await c.query("UPDATE audit_log SET outcome = 'failure' WHERE id = $1", [rows[0]!.id]);
      await c.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    } finally {
      c.release();
    }
    const broken = await request(h.app).get('/api/audit/verify').set(admin.auth).expect(200);
    expect(broken.body).toMatchObject({ ok: false, firstBrokenId: rows[0]!.id });
  });
});
