// First: tracing patches http, express, pg and ioredis as they load (off unless OTEL_* variables ask for it).
import './core/telemetry';
import type { Server } from 'node:http';
import { createApp } from './app';
import { startAuditExporter, type AuditExporter } from './core/audit/audit-exporter';
import { buildDeps } from './core/bootstrap';
import { ConfigError, loadConfig } from './core/config';
import { migrate } from './core/db/migrate';
import { createLogger } from './core/logger';
import { attachRealtime } from './core/realtime';
import { realtimeChannels } from './modules/manifest';
import { DEMO_USERS, ensureDemoUsers } from './modules/users/demo-users';

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
  const deps = await buildDeps(config, logger);
  await deps.redis
    .connect()
    .catch((err: Error) => logger.warn({ err: err.message }, 'redis not reachable at start; will retry'));

  // Schema first: nothing may serve a request against an old schema. A failure here is fatal and clear.
  try {
    const applied = await migrate(deps.pg);
    if (applied.length) logger.info({ applied }, 'database migrations applied');
  } catch (err) {
    logger.fatal(
      { err: { message: (err as Error).message } },
      'database migration failed; is PostgreSQL up and DATABASE_URL right?',
    );
    process.exit(3);
  }

  let exporter: AuditExporter | undefined;
  startAuditExporter({ pool: deps.pg, redisUrl: config.redis.url, fhir: deps.fhir, logger })
    .then((e) => {
      exporter = e;
    })
    .catch((err: Error) =>
      logger.error({ err: { message: err.message } }, 'audit export to FHIR not started; records stay in PostgreSQL'),
    );

  let demoTimer: NodeJS.Timeout | undefined;
  if (config.demoMode) {
    // HAPI may still be loading the demo data: retry until every demo account exists.
    const tryDemo = async () => {
      try {
        await ensureDemoUsers(deps.pg, deps.fhir, config.demoPassword, logger);
        const missing = await deps.pg.query<{ n: string }>('SELECT count(*) AS n FROM users WHERE is_demo');
        if (Number(missing.rows[0]?.n) < DEMO_USERS.length) demoTimer = setTimeout(tryDemo, 30_000);
      } catch (err) {
        logger.warn({ err: { message: (err as Error).message } }, 'demo users not created yet; retrying');
        demoTimer = setTimeout(tryDemo, 30_000);
      }
      demoTimer?.unref();
    };
    void tryDemo();
  }

  const app = createApp(deps);
  const server: Server = app.listen(config.port, config.host, () => {
    logger.info({ port: config.port, hapi: config.hapi.baseUrl }, 'wintehr-api listening');
  });
  server.keepAliveTimeout = 65_000;
  const realtime = attachRealtime(server, deps, realtimeChannels());
  server.on('error', (err) => {
    logger.fatal({ err }, 'cannot listen');
    process.exit(1);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    if (demoTimer) clearTimeout(demoTimer);
    const force = setTimeout(() => process.exit(1), config.shutdownGraceMs);
    force.unref();
    void realtime.close();
    server.close(async () => {
      await exporter?.stop().catch(() => undefined);
      await deps.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
