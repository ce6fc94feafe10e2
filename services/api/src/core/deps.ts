import type { ChartCache } from './cache/chart-cache';
import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AuditLogger } from './audit/audit-types';
import type { PatientAccess } from './auth/patient-access';
import type { TokenService } from './auth/token-service';
import type { AppConfig } from './config';
import type { EventPublisher } from './events/events';
import type { FhirClient } from './fhir/fhir-client';
import type { Metrics } from './metrics';
import type { Notifier } from './notify/notifier';

/** What every module may use; built once by buildDeps (main.ts or a test) and passed down explicitly. */
export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  metrics: Metrics;
  fhir: FhirClient;
  /** Per-patient views kept in Redis until the chart changes (invalidated by every FhirClient write). */
  chartCache: ChartCache;
  pg: Pool;
  redis: Redis;
  /** The hash-chained audit trail; record() never blocks the request. */
  audit: AuditLogger;
  tokens: TokenService;
  access: PatientAccess;
  /** Domain events through the PostgreSQL outbox to Redis. */
  events: EventPublisher;
  /** Email and text messages to people (portal codes, invitations, appointment reminders). */
  notify: Notifier;
  /** Encrypts TOTP secrets at rest. */
  mfaKey: Buffer;
  /** Module-owned workers and connections register their shutdown here; run first, newest first, on close. */
  onClose(fn: () => Promise<void>): void;
}
