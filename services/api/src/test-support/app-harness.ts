import pino from 'pino';
import { createApp } from '../app';
import { buildDeps } from '../core/bootstrap';
import { loadConfig } from '../core/config';
import { testEnv } from './test-env';
import type { AppModule } from '../modules/manifest';

/** The real app wired to the real services, as main.ts does, for supertest-driven integration tests. */
export async function buildTestApp(
  overrides: {
    hapiBaseUrl?: string;
    redisUrl?: string;
    env?: Record<string, string>;
    modules?: readonly AppModule[];
  } = {},
) {
  const env = testEnv();
  const config = loadConfig({
    NODE_ENV: 'test',
    HAPI_BASE_URL: overrides.hapiBaseUrl ?? env.hapiBaseUrl,
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: overrides.redisUrl ?? env.redisUrl,
    HAPI_TIMEOUT_MS: '3000',
    HAPI_RETRIES: '0',
    // Every test logs in from 127.0.0.1; the per-IP limit is tested with its own forwarded address.
    LOGIN_RATE_PER_IP: '100000',
    LOGIN_RATE_PER_USER: '1000',
    // This run's Orthanc (npm test exports it): another checkout's may hold the default port, with another password.
    ...(process.env.ORTHANC_URL ? { ORTHANC_URL: process.env.ORTHANC_URL } : {}),
    ...(process.env.ORTHANC_PASSWORD_FILE ? { ORTHANC_PASSWORD_FILE: process.env.ORTHANC_PASSWORD_FILE } : {}),
    ...overrides.env,
  });
  const deps = await buildDeps(config, pino({ level: 'silent' }), { pgPoolSize: 4 });
  await deps.redis.connect().catch(() => undefined);
  const app = createApp(deps, overrides.modules);
  return { app, deps, close: () => deps.close() };
}
