import pino from 'pino';
import { createApp } from '../app';
import { loadConfig } from '../core/config';
import { createPgPool } from '../core/db/postgres';
import type { AppDeps } from '../core/deps';
import { FhirClient } from '../core/fhir/fhir-client';
import { createMetrics } from '../core/metrics';
import { createRedis } from '../core/redis';
import { testEnv } from './test-env';

/** The real app wired to the real services, as main.ts does, for supertest-driven integration tests. */
export function buildTestApp(overrides: { hapiBaseUrl?: string; redisUrl?: string } = {}) {
  const env = testEnv();
  const config = loadConfig({
    NODE_ENV: 'test',
    HAPI_BASE_URL: overrides.hapiBaseUrl ?? env.hapiBaseUrl,
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: overrides.redisUrl ?? env.redisUrl,
    HAPI_TIMEOUT_MS: '3000',
    HAPI_RETRIES: '0',
  });
  const metrics = createMetrics();
  const deps: AppDeps = {
    config,
    logger: pino({ level: 'silent' }),
    metrics,
    fhir: new FhirClient({ ...config.hapi, metrics }),
    pg: createPgPool(config.database.url, 4),
    redis: createRedis(config.redis.url),
  };
  const app = createApp(deps);
  const close = async () => {
    deps.redis.disconnect();
    await Promise.allSettled([deps.fhir.close(), deps.pg.end()]);
  };
  return { app, deps, close };
}
