/**
 * Integration tests run against the real HAPI, PostgreSQL and Redis. `npm test` (scripts/test.sh) starts
 * them and exports their URLs; run alone, this fails at once with instructions instead of timing out.
 */
import net from 'node:net';

function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port) || (u.protocol.startsWith('http') ? 80 : 0);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export default async function globalSetup(): Promise<void> {
  const { testEnv } = await import('./test-env');
  const env = testEnv();
  const missing: string[] = [];
  for (const [name, url] of Object.entries({
    HAPI_BASE_URL: env.hapiBaseUrl,
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
  })) {
    if (!(await reachable(url))) missing.push(`${name}=${url}`);
  }
  if (missing.length) {
    throw new Error(
      `Integration tests need the real services; not reachable: ${missing.join(', ')}.\n` +
        'Run `npm test` from the repository root (it starts PostgreSQL, Redis and HAPI), or export their URLs.',
    );
  }
  // The test database gets the same migrations as production, once per run.
  const { Pool } = await import('pg');
  const { migrate } = await import('../core/db/migrate');
  const pool = new Pool({ connectionString: env.databaseUrl, max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
}
