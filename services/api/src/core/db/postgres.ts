import { Pool } from 'pg';

/** The service's own PostgreSQL (users, audit, inventory…; never clinical resources, which live in HAPI). */
export function createPgPool(url: string, max: number): Pool {
  const pool = new Pool({ connectionString: url, max, connectionTimeoutMillis: 3_000, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Nor a checked-out one between two queries of a transaction (the pool only listens on idle clients): PostgreSQL
  // killed mid-transaction took the whole API down in the fault run. The failure reaches the caller through its next
  // query, and the broken client is discarded on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
