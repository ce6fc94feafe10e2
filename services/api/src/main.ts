import type { Server } from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './core/config';
import { createPgPool } from './core/db/postgres';
import type { AppDeps } from './core/deps';
import { FhirClient } from './core/fhir/fhir-client';
import { createLogger } from './core/logger';
import { createMetrics } from './core/metrics';
import { createRedis } from './core/redis';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const metrics = createMetrics();
  const deps: AppDeps = {
    config,
    logger,
    metrics,
    fhir: new FhirClient({ ...config.hapi, metrics }),
    pg: createPgPool(config.database.url, config.database.poolSize),
    redis: createRedis(config.redis.url),
  };
  await deps.redis.connect().catch((err) => logger.warn({ err: err.message }, 'redis not reachable at start; will retry'));

  const app = createApp(deps);
  const server: Server = app.listen(config.port, config.host, () => {
    logger.info({ port: config.port, hapi: config.hapi.baseUrl }, 'wintehr-api listening');
  });
  server.keepAliveTimeout = 65_000;
  server.on('error', (err) => {
    logger.fatal({ err }, 'cannot listen');
    process.exit(1);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), config.shutdownGraceMs);
    force.unref();
    server.close(async () => {
      await Promise.allSettled([deps.fhir.close(), deps.pg.end(), deps.redis.quit()]);
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
