import type { Pool } from 'pg';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AppConfig } from './config';
import type { FhirClient } from './fhir/fhir-client';
import type { Metrics } from './metrics';

/** What every module may use; built once in main.ts (or by a test) and passed down explicitly. */
export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  metrics: Metrics;
  fhir: FhirClient;
  pg: Pool;
  redis: Redis;
}
