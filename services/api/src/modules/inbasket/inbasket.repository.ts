import { humanNameText } from '../../core/fhir/fhir-kit';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { poolsOf } from './action-policy';
import { INBASKET_TASK_CODES, POOL_SYSTEM, TASK_TYPE_SYSTEM } from './kinds';

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
