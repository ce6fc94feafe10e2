import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { AppDeps } from '../../core/deps';
import { publishQuietly } from '../medications/clinical-helpers';
import { idFromReference } from '../../core/fhir/fhir-kit';
import { criticalCommunication } from './result-bundle';

export const ESCALATION_QUEUE = 'result-escalation';

interface EscalationJob {
  reportId: string;
  level: 1 | 2;
  delayMs: number;
}
interface AlertRow {
  report_id: string;
  patient_id: string;
  ordering_practitioner_id: string | null;
  acknowledged_at: Date | null;
  escalation_level: number;
  notified_practitioner_ids: string[];
  deadline_at: Date;
  escalated_at: Date | null;
  focus_type: 'DiagnosticReport' | 'Observation';
  escalate: boolean;
}

export interface ResultEscalation {
  /** Schedules level 1 (care team) at the acknowledgement deadline. Never throws: a failure is logged and the
   *  periodic resync picks the alert up again from PostgreSQL. */
  schedule(reportId: string, delayMs: number): Promise<void>;
  /** Drops pending escalation jobs of an acknowledged report. */
  cancel(reportId: string): Promise<void>;
  close(): Promise<void>;
}

const jobId = (reportId: string, level: number) => `${reportId}-L${level}`;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error(`result-escalation ${what} timed out`)), ms);
    t.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

/**
 * Critical results not acknowledged in time escalate in two steps, each a BullMQ delayed job (durable in Redis,
 * taken by whichever API instance is free): level 1 tells the patient's care team, level 2 a covering physician.
 * The workflow state is in critical_result_alerts, so an acknowledgement that races a job wins: the job re-reads
 * the row and does nothing.
 */
export function startResultEscalation(deps: AppDeps): ResultEscalation {
  // Queue names are shared by every API instance on this Redis; the prefix keeps separate databases (the test
  // database, the demo one) from taking each other's jobs.
  const db = new URL(deps.config.database.url).pathname.replace(/^\//, '') || 'wintehr';
  const prefix = `wintehr:${db}:bull`;
  // BullMQ needs connections that retry forever (maxRetriesPerRequest: null); errors are reported by the queue and
  // worker listeners below, so the raw connection errors are swallowed here rather than crash the process.
  const redis = () => new Redis(deps.config.redis.url, { maxRetriesPerRequest: null }).on('error', () => undefined);
  const connection = redis();
  const workerConnection = redis();
  const queue = new Queue<EscalationJob>(ESCALATION_QUEUE, { connection, prefix });
  queue.on('error', (err) => deps.logger.warn({ err: { message: err.message } }, 'result-escalation queue error'));

  const add = (data: EscalationJob, delayMs: number) =>
    queue.add(`level-${data.level}`, data, {
      delay: Math.max(0, Math.round(delayMs)),
      jobId: jobId(data.reportId, data.level),
      removeOnComplete: 1000,
      removeOnFail: 1000,
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
    });

  const worker = new Worker<EscalationJob>(
    ESCALATION_QUEUE,
    async (job: Job<EscalationJob>) => {
      const outcome = await escalate(deps, job.data.reportId, job.data.level);
      if (outcome.outcome === 'escalated' && outcome.level === 1)
        await add({ ...job.data, level: 2 }, job.data.delayMs);
      return outcome;
    },
    { connection: workerConnection, prefix, concurrency: 4 },
  );
  worker.on('error', (err) => deps.logger.warn({ err: { message: err.message } }, 'result-escalation worker error'));
  worker.on('failed', (job, err) =>
    deps.logger.error({ reportId: job?.data.reportId, err: { message: err.message } }, 'result escalation failed'),
  );

  // Resync at start and every minute: an alert whose job was never queued (Redis down at ingestion) or lost gets it
  // back. Job ids make this idempotent, and escalate() ignores steps already taken.
  let resyncing: Promise<void> | undefined;
  const runResync = () => {
    resyncing ??= withTimeout(resync(deps, add), 30_000, 'resync')
      .catch((err: Error) =>
        deps.logger.warn({ err: { message: err.message } }, 'critical-result escalation resync failed'),
      )
      .finally(() => {
        resyncing = undefined;
      });
  };
  runResync();
  const timer = setInterval(runResync, 60_000).unref();

  return {
    async schedule(reportId, delayMs) {
      // Bounded: BullMQ connections queue commands while Redis is down, and a result must not wait for Redis.
      try {
        await withTimeout(add({ reportId, level: 1, delayMs }, delayMs), 2_000, 'schedule');
      } catch (err) {
        deps.logger.error(
          { reportId, err: { message: (err as Error).message } },
          'critical-result escalation not scheduled yet; the resync will queue it',
        );
      }
    },
    async cancel(reportId) {
      // Best effort: a job that survives (Redis down) finds the alert acknowledged and does nothing.
      await withTimeout(Promise.all([1, 2].map((l) => queue.remove(jobId(reportId, l)))), 2_000, 'cancel').catch(
        () => undefined,
      );
    },
    async close() {
      clearInterval(timer);
      // Closing while BullMQ is still connecting makes its connection objects emit unhandled errors: let them
      // finish connecting first (bounded, in case Redis is down).
      await Promise.race([
        Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]),
        new Promise((r) => setTimeout(r, 2_000).unref()),
      ]).catch(() => undefined);
      await worker.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
      connection.disconnect();
      workerConnection.disconnect();
    },
  };
}

/** Re-queues open alerts (idempotent through job ids), e.g. after Redis lost them or was down at ingestion. */
async function resync(deps: AppDeps, add: (d: EscalationJob, delay: number) => Promise<unknown>): Promise<void> {
  const deadlineMs = deps.config.clinical.resultAckDeadlineMinutes * 60_000;
  const { rows } = await deps.pg.query<AlertRow>(
    'SELECT * FROM critical_result_alerts WHERE acknowledged_at IS NULL AND escalate AND escalation_level < 2 ORDER BY created_at LIMIT 1000',
  );
  for (const r of rows) {
    const level = (r.escalation_level + 1) as 1 | 2;
    const due = level === 1 ? r.deadline_at.getTime() : (r.escalated_at?.getTime() ?? Date.now()) + deadlineMs;
    await add({ reportId: r.report_id, level, delayMs: deadlineMs }, due - Date.now());
  }
}

/**
 * One escalation step. Level 1: the patient's active CareTeam practitioners (other than those already told); with no
 * care team it goes straight to level 2. Level 2: the configured covering physician, else physicians assigned to the
 * patient. Each step sends a Communication, records the level and publishes results.escalated.
 */
export async function escalate(
  deps: AppDeps,
  reportId: string,
  level: 1 | 2,
): Promise<{ outcome: 'acknowledged' | 'escalated' | 'missing' | 'already-escalated'; level?: 1 | 2 }> {
  const { rows } = await deps.pg.query<AlertRow>('SELECT * FROM critical_result_alerts WHERE report_id = $1', [
    reportId,
  ]);
  const alert = rows[0];
  if (!alert) return { outcome: 'missing' };
  if (alert.acknowledged_at) return { outcome: 'acknowledged' };
  if (!alert.escalate) return { outcome: 'already-escalated' };
  if (alert.escalation_level >= level) return { outcome: 'already-escalated' };
  const already = new Set([
    ...(alert.ordering_practitioner_id ? [alert.ordering_practitioner_id] : []),
    ...alert.notified_practitioner_ids,
  ]);

  let reached: 1 | 2 = level;
  let recipients: string[] = [];
  if (level === 1) recipients = (await careTeamPractitioners(deps, alert.patient_id)).filter((p) => !already.has(p));
  if (!recipients.length) {
    reached = 2;
    recipients = (await coveringPhysicians(deps, alert.patient_id)).filter((p) => !already.has(p));
  }
  const now = new Date();
  if (recipients.length) {
    await deps.fhir.create(
      criticalCommunication({
        patientRef: { reference: `Patient/${alert.patient_id}` },
        reportRef: `${alert.focus_type}/${reportId}`,
        recipients: recipients.map((p) => `Practitioner/${p}`),
        level: reached,
        now,
        text: `Escalation (level ${reached}): a critical result has not been acknowledged by the ordering provider. Please review and acknowledge.`,
      }),
    );
  } else {
    deps.logger.error({ reportId, level: reached }, 'critical result escalation found nobody to notify');
  }
  // Conditional on the level so two workers (or a resync) cannot record the same step twice.
  const upd = await deps.pg.query(
    `UPDATE critical_result_alerts SET escalation_level = $2, escalated_at = $3, notified_practitioner_ids = notified_practitioner_ids || $4::text[]
     WHERE report_id = $1 AND acknowledged_at IS NULL AND escalation_level < $2`,
    [reportId, reached, now, recipients],
  );
  if (!upd.rowCount) return { outcome: 'acknowledged' };
  await publishQuietly(deps, {
    type: 'results.escalated',
    patientId: alert.patient_id,
    resourceType: alert.focus_type,
    resourceId: reportId,
    data: {
      level: reached,
      recipients: recipients.map((p) => `Practitioner/${p}`),
      unresolved: recipients.length === 0,
    },
  });
  return { outcome: 'escalated', level: reached };
}

async function careTeamPractitioners(deps: AppDeps, patientId: string): Promise<string[]> {
  const teams = await deps.fhir.searchResources('CareTeam', { patient: patientId, status: 'active', _count: 50 });
  const ids = teams.flatMap((t) =>
    (t.participant ?? []).map((p) => idFromReference(p.member?.reference, 'Practitioner')),
  );
  return [...new Set(ids.filter((x): x is string => !!x))];
}

async function coveringPhysicians(deps: AppDeps, patientId: string): Promise<string[]> {
  if (deps.config.clinical.coveringPractitionerId) return [deps.config.clinical.coveringPractitionerId];
  const { rows } = await deps.pg.query<{ id: string }>(
    `SELECT DISTINCT u.fhir_practitioner_id AS id FROM patient_assignments pa JOIN users u ON u.id = pa.user_id
     WHERE pa.patient_id = $1 AND u.role = 'physician' AND u.fhir_practitioner_id IS NOT NULL AND (pa.expires_at IS NULL OR pa.expires_at > now())
     LIMIT 5`,
    [patientId],
  );
  return rows.map((r) => r.id);
}
