import type { Pool, PoolClient } from 'pg';

/** Runs fn inside BEGIN/COMMIT on one pooled client; any throw rolls back and is re-thrown. */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Runs fn while this transaction holds a PostgreSQL advisory lock on key: every API instance serialises on it, and it
 * is released with the transaction, also on failure. For check-then-write sequences whose write goes elsewhere (HAPI).
 */
export function withAdvisoryLock<T>(pool: Pool, key: string, fn: () => Promise<T>): Promise<T> {
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
    return fn();
  });
}
