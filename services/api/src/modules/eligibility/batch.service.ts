import { randomUUID } from 'node:crypto';
import type { EligibilityBatchCounts, EligibilityBatchRun } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { localDayRange } from '../schedule/day';
import { appointmentPatientId } from '../schedule/schedule-view';
import { batchOutcome, emptyCounts, forEachLimited, outcomeOf, type BatchOutcome } from './batch-outcome';
import { checkEligibility } from './eligibility.service';

/**
 * The nightly eligibility batch: every patient with a booked appointment on the service date (tomorrow, by default)
 * is checked once. A patient's failure is counted and the batch goes on; the (date, patient) row claimed before the
 * check makes a re-run skip patients already answered, while transport failures are retried by the next run.
 */
/** A day's cap: far above a clinic's appointments, low enough that a runaway query cannot hold the batch for hours. */
const MAX_APPOINTMENTS = 5_000;

export const BATCH_ACTOR = { userId: undefined, username: 'system:eligibility-batch', role: 'system' } as const;

interface RunRow {
  id: string;
  service_date: string;
  trigger: 'schedule' | 'manual';
  status: 'running' | 'done' | 'failed';
  started_at: Date;
  finished_at: Date | null;
  counts: Partial<EligibilityBatchCounts>;
  error: string | null;
}

export function toRun(r: RunRow): EligibilityBatchRun {
  return {
    id: r.id,
    serviceDate: r.service_date,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    ...(r.finished_at ? { finishedAt: r.finished_at.toISOString() } : {}),
    counts: { ...emptyCounts(), ...r.counts },
    ...(r.error ? { error: r.error } : {}),
  };
}

const RUN_COLUMNS =
  "id, to_char(service_date, 'YYYY-MM-DD') AS service_date, trigger, status, started_at, finished_at, counts, error";

export async function lastRuns(deps: Pick<AppDeps, 'pg'>, limit = 20): Promise<EligibilityBatchRun[]> {
  const { rows } = await deps.pg.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM eligibility_batch_runs ORDER BY started_at DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toRun);
}

/** Claims (date, patient) for this run; false when an earlier run already answered for that patient and date. */
async function claim(deps: Pick<AppDeps, 'pg'>, date: string, patientId: string, runId: string): Promise<boolean> {
  const { rowCount } = await deps.pg.query(
    `INSERT INTO eligibility_batch_checks (service_date, patient_id, run_id, outcome) VALUES ($1, $2, $3, 'pending')
     ON CONFLICT (service_date, patient_id) DO UPDATE SET run_id = EXCLUDED.run_id, outcome = 'pending', checked_at = now()
       WHERE eligibility_batch_checks.outcome = 'failed'`,
    [date, patientId, runId],
  );
  return rowCount === 1;
}

export async function runEligibilityBatch(
  deps: AppDeps,
  o: { serviceDate: string; timeZone: string; trigger: 'schedule' | 'manual'; concurrency: number },
): Promise<EligibilityBatchRun> {
  const runId = randomUUID();
  await deps.pg.query(
    `INSERT INTO eligibility_batch_runs (id, service_date, trigger, status) VALUES ($1, $2, $3, 'running')`,
    [runId, o.serviceDate, o.trigger],
  );
  const counts = emptyCounts();
  const finish = async (status: 'done' | 'failed', error?: string) => {
    const { rows } = await deps.pg.query<RunRow>(
      `UPDATE eligibility_batch_runs SET status = $2, finished_at = now(), counts = $3, error = $4 WHERE id = $1
       RETURNING ${RUN_COLUMNS}`,
      [runId, status, JSON.stringify(counts), error ?? null],
    );
    return toRun(rows[0]!);
  };
  try {
    // Every page: a busy clinic day has more appointments than one search page holds.
    const { start, end } = localDayRange(o.serviceDate, o.timeZone);
    const appointments = await deps.fhir.searchAll(
      'Appointment',
      {
        date: [`ge${start.toISOString()}`, `lt${end.toISOString()}`],
        status: 'booked',
        _elements: 'participant,status,start',
        _count: 200,
      },
      MAX_APPOINTMENTS,
    );
    counts.appointments = appointments.length;
    const patients = [...new Set(appointments.map(appointmentPatientId).filter((p): p is string => !!p))];
    counts.patients = patients.length;
    await forEachLimited(patients, o.concurrency, async (patientId) => {
      if (!(await claim(deps, o.serviceDate, patientId, runId))) {
        counts.skipped++;
        return;
      }
      let outcome: BatchOutcome = 'failed';
      let responseId: string | undefined;
      let code: string | undefined;
      try {
        const r = await checkEligibility(deps, { patientId, body: { serviceDate: o.serviceDate } }).then(
          (ok) => ({ ok }),
          (error: unknown) => ({ error }),
        );
        const result = outcomeOf(r);
        outcome = batchOutcome(result);
        if (result.state === 'checked') responseId = result.result.responseId;
        if (result.state === 'not-checked') code = result.code;
        if ('error' in r) responseId = (r.error as { audit?: { responseId?: string } }).audit?.responseId;
      } catch (err) {
        // Anything unexpected for one patient is that patient's failure, never the batch's.
        code = 'UNEXPECTED';
        deps.logger.warn({ err: { message: (err as Error).message }, runId }, 'eligibility batch: one check failed');
      }
      counts[outcome]++;
      await deps.pg.query(
        `UPDATE eligibility_batch_checks SET outcome = $3, response_id = $4, checked_at = now()
          WHERE service_date = $1 AND patient_id = $2`,
        [o.serviceDate, patientId, outcome, responseId ?? null],
      );
      deps.audit.record({
        ...BATCH_ACTOR,
        action: 'eligibility.check',
        outcome: outcome === 'failed' ? 'failure' : 'success',
        patientId,
        resourceType: 'CoverageEligibilityResponse',
        resourceId: responseId,
        purposeOfUse: 'HOPERAT',
        details: {
          batchRunId: runId,
          serviceDate: o.serviceDate,
          eligibility: outcome,
          ...(code ? { error: code } : {}),
        },
      });
    });
    const run = await finish('done');
    deps.logger.info({ runId, serviceDate: o.serviceDate, counts }, 'eligibility batch finished');
    return run;
  } catch (err) {
    deps.logger.error({ err: { message: (err as Error).message }, runId }, 'eligibility batch failed');
    return finish('failed', (err as Error).message.slice(0, 300));
  }
}
