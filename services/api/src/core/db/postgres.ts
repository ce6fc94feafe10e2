import { Pool } from 'pg';

/** The service's own PostgreSQL (users, audit, inventory…; never clinical resources, which live in HAPI). */
export function createPgPool(url: string, max: number): Pool {
  const pool = new Pool({ connectionString: url, max, connectionTimeoutMillis: 3_000, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
