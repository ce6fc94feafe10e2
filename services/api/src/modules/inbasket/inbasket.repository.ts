import { humanNameText } from '../../core/fhir/fhir-kit';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { poolsOf } from './action-policy';
import { INBASKET_TASK_CODES, POOL_SYSTEM, TASK_TYPE_SYSTEM } from './kinds';
import { type CriticalAlertRow } from './item-mapping';

/** Reads behind the in-basket: open Tasks addressed to the user or the user's pools, and critical alerts. */

export interface OpenTasks {
  tasks: fhir4.Task[];
  /** The Tasks' focus resources and patients, keyed `Type/id`. */
  related: Map<string, fhir4.Resource>;
}

const taskCodes = (codes: readonly string[]) => codes.map((c) => `${TASK_TYPE_SYSTEM}|${c}`).join(',');

export async function openTasks(
  deps: Pick<AppDeps, 'fhir'>,
  principal: Principal,
  codes: readonly string[] = INBASKET_TASK_CODES,
): Promise<OpenTasks> {
  const common = {
    status: 'requested',
    code: taskCodes(codes),
    _include: ['Task:focus', 'Task:patient'],
    _sort: '-_lastUpdated',
    _count: '200',
  };
  const searches: Promise<fhir4.Bundle>[] = [];
  if (principal.practitionerId)
    searches.push(deps.fhir.search('Task', { ...common, owner: `Practitioner/${principal.practitionerId}` }));
  const pools = poolsOf(principal.role);
  if (pools.length)
    searches.push(
      deps.fhir.search('Task', { ...common, performer: pools.map((p) => `${POOL_SYSTEM}|${p}`).join(',') }),
    );
  const bundles = await Promise.all(searches);
  const tasks = new Map<string, fhir4.Task>();
  const related = new Map<string, fhir4.Resource>();
  for (const e of bundles.flatMap((b) => b.entry ?? [])) {
    const r = e.resource;
    if (!r?.id) continue;
    if (e.search?.mode !== 'include' && r.resourceType === 'Task') tasks.set(r.id, r);
    else related.set(`${r.resourceType}/${r.id}`, r);
  }
  return { tasks: [...tasks.values()], related };
}

/** Display names of the patients not already among the included resources. */
export async function patientNames(
  deps: Pick<AppDeps, 'fhir'>,
  ids: Iterable<string>,
  known: ReadonlyMap<string, fhir4.Resource> = new Map(),
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const p = known.get(`Patient/${id}`) as fhir4.Patient | undefined;
    const n = p && humanNameText(p.name, { prefix: false });
    if (n) names.set(id, n);
    else if (!p) missing.push(id);
  }
  for (const [id, p] of await deps.fhir.readMany('Patient', missing, { elements: 'name' })) {
    const n = humanNameText(p.name, { prefix: false });
    if (n) names.set(id, n);
  }
  return names;
}

/**
 * Unacknowledged critical results for this clinician: the same rule as the results module's worklist
 * (GET /api/results/unacknowledged-critical): ordered by, notified about, or assigned to the patient.
 */
export async function openCriticalAlerts(
  deps: Pick<AppDeps, 'pg' | 'fhir'>,
  principal: Principal,
): Promise<CriticalAlertRow[]> {
  const { rows } = await deps.pg.query<{
    report_id: string;
    patient_id: string;
    critical_codes: string[];
    created_at: Date;
    deadline_at: Date;
  }>(
    `SELECT report_id, patient_id, critical_codes, created_at, deadline_at
       FROM critical_result_alerts a WHERE acknowledged_at IS NULL AND (a.ordering_practitioner_id = $1
         OR $1 = ANY(a.notified_practitioner_ids)
         OR a.patient_id IN (SELECT patient_id FROM patient_assignments WHERE user_id = $2 AND (expires_at IS NULL OR expires_at > now())))
       ORDER BY created_at LIMIT 200`,
    [principal.practitionerId ?? '', principal.userId],
  );
  if (!rows.length) return [];
  const reports = await deps.fhir
    .searchResources('DiagnosticReport', {
      _id: rows.map((r) => r.report_id).join(','),
      _elements: 'code',
      _count: String(rows.length),
    })
    .catch(() => [] as fhir4.DiagnosticReport[]);
  const names = new Map(reports.map((r) => [r.id, r.code?.text ?? r.code?.coding?.[0]?.display]));
  return rows.map((r) => ({
    reportId: r.report_id,
    patientId: r.patient_id,
    codes: r.critical_codes,
    filedAt: r.created_at.toISOString(),
    deadlineAt: r.deadline_at.toISOString(),
    testName: names.get(r.report_id) ?? undefined,
  }));
}
