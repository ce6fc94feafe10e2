import { TcpProxy } from '../../test-support/tcp-proxy';
import { testEnv } from '../../test-support/test-env';
import { createPgPool } from './postgres';

/**
 * PostgreSQL dying while a request holds a client (between two statements of a transaction): the loss must come back
 * as that request's error, not as an unhandled 'error' event that ends the process (found by the fault run).
 */
describe('the PostgreSQL pool when the server goes away', () => {
  const url = new URL(testEnv().databaseUrl);
  const proxy = new TcpProxy(url.hostname, Number(url.port || 5432));

  afterAll(() => proxy.stop());

  it('a checked-out client losing its connection fails its next query and the pool recovers', async () => {
    const port = await proxy.start();
    const viaProxy = new URL(url);
    viaProxy.port = String(port);
    const pool = createPgPool(viaProxy.toString(), 2);
    const uncaught: Error[] = [];
    const onUncaught = (e: Error) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const client = await pool.connect();
      await client.query('BEGIN');
      await proxy.stop();
      // Give the socket close time to reach the client while no query runs on it.
      await new Promise((r) => setTimeout(r, 200));
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release();
      await proxy.start(port);
      const r = await pool.query<{ ok: number }>('SELECT 1 AS ok');
      expect(r.rows[0]!.ok).toBe(1);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await pool.end();
    }
  });
});
