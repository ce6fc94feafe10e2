import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { AppError } from '../errors';
import type { FhirClient } from '../fhir/fhir-client';
import { auditEventId, toAuditEvent } from './audit-event';
import { AUDIT_SELECT, type AuditRow, rowToRecord } from './audit-row';
import type { AuditRecord } from './audit-types';

export interface AuditExporterOptions {
  pool: Pool;
  redisUrl: string;
  fhir: FhirClient;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  queueName?: string;
  /** How often the repeatable export job runs (ms). */
  everyMs?: number;
  /** Records per FHIR transaction. */
  batchSize?: number;
  /** A job keeps exporting batches while they come back full, up to this many (catching up after an outage). */
  maxBatchesPerJob?: number;
  /** Which audit_export_cursor row this exporter advances. */
  cursorName?: string;
  /** false: no queue and no worker, only runOnce() (tests, one-off scripts). */
  worker?: boolean;
  /** Remove the repeatable job on stop() (tests with their own queue name; never in production). */
  removeScheduleOnStop?: boolean;
}

export interface AuditExporter {
  stop(): Promise<void>;
  /** Exports one batch now; resolves to the number of records HAPI accepted (0 when nothing was pending). */
  runOnce(): Promise<number>;
}

export const AUDIT_EXPORT_QUEUE = 'audit-export';
const SCHEDULER_ID = 'audit-export-hapi';
const FAILURE_LOG_EVERY_MS = 60_000;

/** An answer from HAPI that rejects the content (not an outage): retrying the same bundle cannot help. */
function isRejection(err: unknown): boolean {
  return err instanceof AppError && err.status >= 400 && err.status < 500;
}

/**
 * Copies the audit trail into HAPI as FHIR AuditEvents, in id order, behind a cursor in PostgreSQL.
 *
 * Each AuditEvent is PUT with a client-assigned id derived from the row (auditEventId), so sending a record
 * twice updates the same resource (HAPI stores no new version for identical content): exactly once in HAPI
 * even when a batch was accepted but the cursor update was lost. The cursor row is locked for the whole batch
 * (several API instances may run the worker) and advances only after HAPI answered the transaction with 2xx.
 * While HAPI is down the job fails, BullMQ retries it with backoff and the repeatable job keeps trying;
 * records wait in PostgreSQL.
 */
export async function startAuditExporter(o: AuditExporterOptions): Promise<AuditExporter> {
  const queueName = o.queueName ?? AUDIT_EXPORT_QUEUE;
  const everyMs = o.everyMs ?? 2_000;
  const batchSize = o.batchSize ?? 200;
  const maxBatchesPerJob = o.maxBatchesPerJob ?? 25;
  const cursorName = o.cursorName ?? 'hapi';
  const log = o.logger;

  let failingSince: number | undefined;
  let lastFailureLog = 0;
  let failedRuns = 0;

  async function putOneByOne(records: AuditRecord[]): Promise<void> {
    for (const r of records) {
      // Typically a patient or resource HAPI does not hold (a read that ended 404, since deleted): referential
      // integrity refuses the reference, so point at the resource, then also the patient, by identifier.
      const attempts = [false, 'resource', true] as const;
      for (let i = 0; ; i++) {
        try {
          await o.fhir.update(toAuditEvent(r, { logicalReferences: attempts[i] }));
          break;
        } catch (err) {
          if (!isRejection(err) || i === attempts.length - 1) throw err;
        }
      }
    }
  }

  async function sendToHapi(records: AuditRecord[]): Promise<void> {
    const bundle: fhir4.Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: records.map((r) => {
        const id = auditEventId(r);
        return {
          fullUrl: `${o.fhir.baseUrl}/AuditEvent/${id}`,
          resource: toAuditEvent(r),
          request: { method: 'PUT', url: `AuditEvent/${id}` },
        };
      }),
    };
    try {
      const res = await o.fhir.transaction(bundle);
      const bad = (res.entry ?? []).filter((e) => !/^2\d\d/.test(e.response?.status ?? ''));
      if ((res.entry?.length ?? 0) !== records.length || bad.length) {
        throw new Error(
          `HAPI answered the audit transaction with ${bad.length} failed of ${res.entry?.length ?? 0} entries`,
        );
      }
    } catch (err) {
      if (!isRejection(err)) throw err;
      // One record HAPI refuses must not hold back the rest: send them one by one (PUT is idempotent).
      log.warn(
        { status: (err as AppError).status, records: records.length },
        'HAPI rejected an audit export batch; exporting its records one by one',
      );
      await putOneByOne(records);
    }
  }

  async function runOnce(): Promise<number> {
    const client = await o.pool.connect();
    let broken: Error | undefined;
    const onError = (err: Error) => void (broken = err); // a connection dying between queries must not crash us
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      await client.query("SET LOCAL lock_timeout = '60s'");
      await client.query(
        'INSERT INTO audit_export_cursor (name, last_id) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING',
        [cursorName],
      );
      const cur = await client.query<{ last_id: string }>(
        'SELECT last_id FROM audit_export_cursor WHERE name = $1 FOR UPDATE',
        [cursorName],
      );
      const lastId = cur.rows[0]!.last_id;
      const { rows } = await client.query<AuditRow>(
        `SELECT ${AUDIT_SELECT} FROM audit_log WHERE id > $1 ORDER BY audit_log.id LIMIT $2`,
        [lastId, batchSize],
      );
      if (!rows.length) {
        await client.query('COMMIT');
        return 0;
      }
      await sendToHapi(rows.map(rowToRecord));
      await client.query('UPDATE audit_export_cursor SET last_id = $2, updated_at = now() WHERE name = $1', [
        cursorName,
        rows[rows.length - 1]!.id,
      ]);
      await client.query('COMMIT');
      return rows.length;
    } catch (err) {
      broken = err as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async function drain(): Promise<number> {
    let total = 0;
    try {
      for (let i = 0; i < maxBatchesPerJob; i++) {
        const n = await runOnce();
        total += n;
        if (n < batchSize) break;
      }
    } catch (err) {
      failedRuns++;
      const t = Date.now();
      failingSince ??= t;
      if (t - lastFailureLog >= FAILURE_LOG_EVERY_MS) {
        lastFailureLog = t;
        const e = err as { status?: number; code?: string; message?: string };
        // HAPI's 4xx diagnostics may quote resource ids: log the status and code only.
        const message = isRejection(err) ? undefined : e.message;
        log.error(
          { err: { status: e.status, code: e.code, message }, failedRuns, exportedThisRun: total },
          'audit export to HAPI failing; records wait in PostgreSQL',
        );
      }
      throw err;
    }
    if (failingSince !== undefined) {
      log.info({ failedRuns, downForMs: Date.now() - failingSince }, 'audit export to HAPI recovered');
      failingSince = undefined;
      failedRuns = 0;
      lastFailureLog = 0;
    }
    return total;
  }

  if (o.worker === false) {
    return { runOnce, stop: async () => undefined };
  }

  // BullMQ needs maxRetriesPerRequest: null (blocking commands); not the app's fail-fast client.
  const connection = new Redis(o.redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: false });
  connection.on('error', () => undefined);
  const queue = new Queue(queueName, { connection });
  queue.on('error', () => undefined);
  const worker = new Worker(queueName, async () => drain(), { connection, concurrency: 1, autorun: true });
  worker.on('error', (err) => log.warn({ err: { message: err.message } }, 'audit export worker error'));
  await queue.upsertJobScheduler(
    SCHEDULER_ID,
    { every: everyMs },
    {
      name: 'export',
      opts: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: { count: 50 },
        removeOnFail: { count: 200 },
      },
    },
  );

  return {
    runOnce,
    async stop() {
      if (o.removeScheduleOnStop) await queue.removeJobScheduler(SCHEDULER_ID).catch(() => undefined);
      await worker.close();
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
