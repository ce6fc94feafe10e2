import { createPgPool } from './postgres';
import { withTransaction } from './transaction';
import { RUN_ID, testEnv } from '../../test-support/test-env';

const pool = createPgPool(testEnv().databaseUrl, 2);
const table = `tx_probe_${RUN_ID}`;

beforeAll(() => pool.query(`CREATE TABLE ${table} (v int)`));
afterAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

describe('withTransaction', () => {
  it('commits what the callback wrote and returns its result', async () => {
    const r = await withTransaction(pool, async (c) => {
      await c.query(`INSERT INTO ${table} VALUES (1)`);
      return 'done';
    });
    expect(r).toBe('done');
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE v = 1`)).rows[0].n).toBe(1);
  });

  it('rolls back everything when the callback throws, and re-throws', async () => {
    await expect(
      withTransaction(pool, async (c) => {
        await c.query(`INSERT INTO ${table} VALUES (2)`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE v = 2`)).rows[0].n).toBe(0);
  });
});
