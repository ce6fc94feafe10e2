import type { AppDeps } from '../../core/deps';
import { idFromReference } from '../../core/fhir/fhir-kit';
import { alertsFrom, criticalFlagOf, criticalValueSearches, type FoundAlert } from './critical-detect';

/** Results older than this when first found are listed (overdue) but not escalated: nobody is paged for last year. */
const ESCALATE_WITHIN_MS = 7 * 24 * 3600_000;
/** HAPI stamps lastUpdated when the transaction starts; a result committed slightly later must not fall behind the cursor. */
const CURSOR_SLACK_MS = 2 * 60_000;
const MAX_PER_SWEEP = 20_000;
const ELEMENTS =
  'status,code,subject,valueQuantity,interpretation,basedOn,performer,issued,effectiveDateTime,extension';

export interface SweepOutcome {
  mode: 'full' | 'incremental';
  examined: number;
  inserted: number;
}

/**
 * Finds critical results that reached HAPI by any road — the results API, a lab interface or SMART app writing
 * through the FHIR gate, a bulk load straight into HAPI — and records an alert row for each one nobody has
 * acknowledged, so the worklist and the escalation see them all. The first sweep searches every critical value of
 * the analytes we know (and anything flagged critical since); later sweeps read only what changed since the cursor.
 */
export async function sweepCriticalResults(deps: AppDeps, opts: { full?: boolean } = {}): Promise<SweepOutcome> {
  const started = new Date();
  const { rows } = await deps.pg.query<{ swept_to: Date }>('SELECT swept_to FROM critical_result_sweep WHERE id = 1');
  const cursor = opts.full ? undefined : rows[0]?.swept_to;
  const observations = cursor ? await changedSince(deps, cursor) : await allCritical(deps);
  const critical = observations.filter((o) => criticalFlagOf(o));
  const inserted = critical.length ? await record(deps, critical) : 0;
  const next = new Date(started.getTime() - CURSOR_SLACK_MS);
  await deps.pg.query(
    `INSERT INTO critical_result_sweep (id, swept_to, full_at) VALUES (1, $1, $2)
     ON CONFLICT (id) DO UPDATE SET swept_to = GREATEST(critical_result_sweep.swept_to, EXCLUDED.swept_to),
       full_at = COALESCE(EXCLUDED.full_at, critical_result_sweep.full_at)`,
    [next, cursor ? null : started],
  );
  return { mode: cursor ? 'incremental' : 'full', examined: observations.length, inserted };
}

function changedSince(deps: AppDeps, cursor: Date): Promise<fhir4.Observation[]> {
  return deps.fhir.searchAll(
    'Observation',
    { _lastUpdated: `ge${cursor.toISOString()}`, _count: 500, _elements: ELEMENTS },
    MAX_PER_SWEEP,
  );
}

async function allCritical(deps: AppDeps): Promise<fhir4.Observation[]> {
  const found = new Map<string, fhir4.Observation>();
  for (const q of criticalValueSearches()) {
    const page = await deps.fhir.searchAll('Observation', { ...q, _count: 500, _elements: ELEMENTS }, MAX_PER_SWEEP);
    for (const o of page) if (o.id) found.set(o.id, o);
  }
  return [...found.values()];
}

/** Looks up the reports and orders of the critical Observations, then inserts the alerts that are new. */
async function record(deps: AppDeps, critical: fhir4.Observation[]): Promise<number> {
  const reports: fhir4.DiagnosticReport[] = [];
  for (const ids of chunks(
    critical.map((o) => `Observation/${o.id}`),
    50,
  ))
    reports.push(...(await deps.fhir.searchAll('DiagnosticReport', { result: ids.join(','), _count: 200 })));
  const orderIds = new Set(
    [...reports.flatMap((r) => r.basedOn ?? []), ...critical.flatMap((o) => o.basedOn ?? [])]
      .map((b) => idFromReference(b.reference, 'ServiceRequest'))
      .filter((x): x is string => !!x),
  );
  const orderers = new Map<string, string>();
  for (const [id, sr] of await deps.fhir.readMany('ServiceRequest', orderIds, { elements: 'requester' })) {
    const who = idFromReference(sr.requester?.reference, 'Practitioner');
    if (who) orderers.set(id, who);
  }
  const alerts = alertsFrom(critical, reports, orderers);
  let inserted = 0;
  for (const a of alerts) inserted += await insertAlert(deps, a);
  return inserted;
}

async function insertAlert(deps: AppDeps, a: FoundAlert): Promise<number> {
  const filed = new Date(a.filedAt);
  const filedAt = Number.isNaN(filed.getTime()) ? new Date() : filed;
  const deadline = new Date(filedAt.getTime() + deps.config.clinical.resultAckDeadlineMinutes * 60_000);
  const escalate = Date.now() - filedAt.getTime() < ESCALATE_WITHIN_MS;
  // An alert the results API already filed (or one acknowledged since) stays as it is.
  const res = await deps.pg.query(
    `INSERT INTO critical_result_alerts (report_id, patient_id, service_request_id, ordering_practitioner_id, observation_ids,
       critical_codes, created_at, deadline_at, focus_type, source, escalate)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'sweep', $10) ON CONFLICT (report_id) DO NOTHING`,
    [
      a.focusId,
      a.patientId,
      a.serviceRequestId ?? null,
      a.responsiblePractitionerId ?? null,
      a.observationIds,
      a.codes,
      filedAt,
      deadline,
      a.focusType,
      escalate,
    ],
  );
  return res.rowCount ?? 0;
}

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
