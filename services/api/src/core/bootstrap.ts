import type { Logger } from 'pino';
import { createAuditWriter } from './audit/audit-writer';
import { loadMfaKey, loadSigningKey } from './auth/keys';
import { PatientAccess } from './auth/patient-access';
import { TokenService } from './auth/token-service';
import type { AppConfig } from './config';
import { createPgPool } from './db/postgres';
import type { AppDeps } from './deps';
import { startEventRelay } from './events/event-relay';
import { createEventPublisher } from './events/events';
import { createChartCache } from './cache/chart-cache';
import { FhirClient } from './fhir/fhir-client';
import { addBacklogGauges, createMetrics } from './metrics';
import { channelNotifier } from './notify/notifier';
import { smtpEmailNotifier } from './notify/smtp-email';
import { twilioSmsNotifier } from './notify/twilio-sms';
import { createRedis } from './redis';

export interface BuiltDeps extends AppDeps {
  /** Flushes the audit trail, then closes every connection. */
  close(): Promise<void>;
}

/** The one place the shared parts are constructed, for main.ts and the integration-test harness alike. */
export async function buildDeps(
  config: AppConfig,
  logger: Logger,
  opts: { pgPoolSize?: number } = {},
): Promise<BuiltDeps> {
  const metrics = createMetrics();
  const redis = createRedis(config.redis.url);
  const chartCache = createChartCache({
    redis,
    ttlSeconds: config.chartCache.ttlSeconds,
    logger,
    registry: metrics.registry,
  });
  const fhir = new FhirClient({ ...config.hapi, metrics, onWrite: (change) => chartCache.changed(change) });
  const pg = createPgPool(config.database.url, opts.pgPoolSize ?? config.database.poolSize);
  const key = await loadSigningKey(config);
  const tokens = new TokenService(key, config.publicBaseUrl, config.auth.accessTokenTtl);
  const audit = createAuditWriter(pg, logger);
  addBacklogGauges(metrics, {
    audit: () => audit.stats(),
    pendingEvents: async () =>
      Number(
        (await pg.query<{ n: string }>('SELECT count(*) AS n FROM event_outbox WHERE published_at IS NULL')).rows[0]!.n,
      ),
  });
  const access = new PatientAccess(pg, fhir);
  const mfaKey = loadMfaKey(config);
  const relay = startEventRelay({ pg, redis, logger });
  const events = createEventPublisher(pg, () => relay.kick());
  const email = smtpEmailNotifier(config.notify.smtp, logger);
  const notify = channelNotifier({ email, sms: twilioSmsNotifier(config.notify.sms, logger) });
  const closers: Array<() => Promise<void>> = [];
  return {
    config,
    logger,
    metrics,
    fhir,
    chartCache,
    pg,
    redis,
    audit,
    tokens,
    access,
    events,
    notify,
    mfaKey,
    onClose(fn) {
      closers.unshift(fn);
    },
    async close() {
      for (const fn of closers)
        await fn().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'a module failed to close'));
      await relay.stop();
      await audit
        .close()
        .catch((err: Error) => logger.error({ err: { message: err.message } }, 'audit flush on close failed'));
      email.close();
      redis.disconnect();
      await Promise.allSettled([fhir.close(), pg.end()]);
    },
  };
}
