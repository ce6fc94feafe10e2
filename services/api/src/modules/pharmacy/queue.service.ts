import type { AppDeps } from '../../core/deps';
import { idFromReference } from '../../core/fhir/fhir-kit';
import type { FindingView } from '../drug-safety/drug-safety.service';
import { loadSafetyContexts } from './batch-safety-context';
import type { QueueStatus } from '@wintehr/contracts';
import { queueRepository, type QueueItemRow } from './queue.repository';
import { compareQueueRows, itemView, queueItemFromRequest, type QueueItemView } from './queue-view';
import { screenAgainst } from './screening';
import { publishQueueChanged } from './queue-events';

const SYNC_PAGE = 200;
/** Covers clock skew between the API and HAPI and transactions committed after their lastUpdated stamp. */
const SYNC_OVERLAP_MS = 120_000;
const syncedKey = (orgId: string) => `wintehr:pharmacy:synced:${orgId}`;

/**
 * Pulls prescriptions routed to the pharmacy from HAPI into the queue table (the safety net beside the
 * medications.prescribed event): active orders whose dispenseRequest.performer is the pharmacy, newest SYNC_PAGE
 * first. After one sync, the next asks only for what changed since (with an overlap), which keeps a busy queue's
 * every read from re-reading the pharmacy's whole order list; without Redis it reads the whole page. Only rows that
 * were really new are announced.
 */
export async function syncQueueFromHapi(deps: AppDeps, orgId: string): Promise<string[]> {
  const startedAt = Date.now();
  const last = Number((await deps.redis.get(syncedKey(orgId)).catch(() => null)) ?? NaN);
  const mrs = await deps.fhir.searchResources('MedicationRequest', {
    'intended-dispenser': `Organization/${orgId}`,
    status: 'active',
    intent: 'order',
    _sort: '-_lastUpdated',
    _count: SYNC_PAGE,
    ...(Number.isFinite(last) ? { _lastUpdated: `ge${new Date(last - SYNC_OVERLAP_MS).toISOString()}` } : {}),
  });
  const items = mrs.map((mr) => queueItemFromRequest(mr, orgId)).filter((x) => x !== undefined);
  const added = await queueRepository.insertNew(deps.pg, items);
  for (const id of added) {
    const item = items.find((i) => i.medicationRequestId === id)!;
    await publishQueueChanged(deps, {
      orgId,
      medicationRequestId: id,
      patientId: item.patientId,
      status: 'queued',
      change: 'added',
    });
  }
  await deps.redis.set(syncedKey(orgId), String(startedAt), 'EX', 3600).catch(() => undefined);
  return added;
}

export interface Resolved {
  mr?: fhir4.MedicationRequest;
  patient?: fhir4.Patient;
  prescriber?: fhir4.Practitioner;
}

/** The MedicationRequests of the given ids with their patients and prescribers, in one search per 50 ids. */
export async function resolveRequests(
  deps: Pick<AppDeps, 'fhir'>,
  ids: readonly string[],
): Promise<Map<string, Resolved>> {
  const out = new Map<string, Resolved>();
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    const bundle = await deps.fhir.search('MedicationRequest', {
      _id: chunk.join(','),
      _include: ['MedicationRequest:subject', 'MedicationRequest:requester'],
      _count: 150,
    });
    const patients = new Map<string, fhir4.Patient>();
    const pracs = new Map<string, fhir4.Practitioner>();
    const mrs: fhir4.MedicationRequest[] = [];
    for (const e of bundle.entry ?? []) {
      const r = e.resource as fhir4.FhirResource | undefined;
      if (r?.resourceType === 'Patient' && r.id) patients.set(r.id, r);
      else if (r?.resourceType === 'Practitioner' && r.id) pracs.set(r.id, r);
      else if (r?.resourceType === 'MedicationRequest') mrs.push(r);
    }
    for (const mr of mrs) {
      const p = patients.get(idFromReference(mr.subject?.reference, 'Patient') ?? '');
      const pr = pracs.get(idFromReference(mr.requester?.reference, 'Practitioner') ?? '');
      out.set(mr.id!, { mr, ...(p ? { patient: p } : {}), ...(pr ? { prescriber: pr } : {}) });
    }
  }
  return out;
}

const OPEN: ReadonlySet<QueueStatus> = new Set(['queued', 'claimed', 'verified', 'partially_dispensed']);

/**
 * The queue for a pharmacist: sync, then the rows in the asked statuses, STAT first then newest, each with the
 * patient, drug, prescriber and (optionally) fresh safety findings. Open items whose prescription is no longer
 * active in HAPI (discontinued, cancelled) are left out: there is nothing left to dispense.
 */
export async function listQueue(
  deps: AppDeps,
  o: { orgId: string; userId: string; statuses: QueueStatus[]; limit: number; findings: boolean; now?: Date },
): Promise<{ items: QueueItemView[]; total: number; syncedNew: number }> {
  const now = o.now ?? new Date();
  const added = await syncQueueFromHapi(deps, o.orgId);
  const rows = (await queueRepository.listByOrg(deps.pg, o.orgId, o.statuses)).sort(compareQueueRows);
  const page: QueueItemRow[] = [];
  const resolved = new Map<string, Resolved>();
  // Fetch in pages until `limit` usable rows are found (inactive prescriptions drop out of the open view).
  for (let i = 0; i < rows.length && page.length < o.limit; i += o.limit) {
    const slice = rows.slice(i, i + o.limit);
    const got = await resolveRequests(
      deps,
      slice.map((r) => r.medicationRequestId),
    );
    for (const r of slice) {
      const res = got.get(r.medicationRequestId);
      if (OPEN.has(r.status) && res?.mr?.status !== 'active') continue;
      if (page.length < o.limit) {
        page.push(r);
        if (res) resolved.set(r.medicationRequestId, res);
      }
    }
  }

  const findings = new Map<string, { findings?: FindingView[]; findingsError?: string }>();
  if (o.findings) {
    // The list's findings are a preview (verifying re-screens the one item fresh), so charts unchanged since the last
    // look come from the chart cache: a queue read no longer re-reads a hundred charts from HAPI.
    const contexts = await deps.chartCache.getMany('safety', [...new Set(page.map((r) => r.patientId))], (missing) =>
      loadSafetyContexts(deps, missing, now),
    );
    for (const r of page) {
      const ctx = contexts.get(r.patientId);
      const mr = resolved.get(r.medicationRequestId)?.mr;
      if (!mr) continue;
      if (ctx instanceof Error || !ctx)
        findings.set(r.medicationRequestId, {
          findingsError: 'The chart could not be loaded; open the item to screen it',
        });
      else findings.set(r.medicationRequestId, { findings: screenAgainst(mr, ctx) });
    }
  }
  const items = page.map((r) =>
    itemView(r, o.userId, now, { ...resolved.get(r.medicationRequestId), ...findings.get(r.medicationRequestId) }),
  );
  return { items, total: rows.length, syncedNew: added.length };
}
