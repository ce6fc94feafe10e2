import { ApiError } from '../../core/api/api-error';
import { api } from '../../core/api/client';
import type {
  DiscontinueResult,
  DrugSearchResult,
  ErxQueued,
  MedicationReconciliation,
  ModifyRequest,
  OrderChangeResult,
  ReconciliationRequest,
  ReconciliationSaved,
  RenewRequest,
  PharmacyDirectoryResult,
  PrescribeRequest,
  PrescribeResult,
  PrescribeWarning,
  SafetyOverrideRequired,
} from '@wintehr/contracts';

export type {
  DirectoryPharmacy,
  DrugSearchHit as DrugHit,
  PrescribeResult,
  ErxQueued as SendResult,
} from '@wintehr/contracts';

const p = (id: string) => `/api/patients/${encodeURIComponent(id)}`;

export const medicationsApi = {
  searchDrugs: (q: string, signal?: AbortSignal) =>
    api.get<DrugSearchResult>('/api/drugs', { q, limit: 20 }, signal).then((r) => r.results),
  pharmacies: (name: string, signal?: AbortSignal) =>
    api.get<PharmacyDirectoryResult>('/api/erx/pharmacies', { name, limit: 20 }, signal).then((r) => r.pharmacies),
  prescribe: (patientId: string, body: PrescribeRequest) =>
    api.post<PrescribeResult>(`${p(patientId)}/medications`, body),
  discontinue: (id: string, body: { reason: string; reasonCode?: fhir4.Coding; ifMatch?: string }) =>
    api.post<DiscontinueResult>(`/api/medications/${encodeURIComponent(id)}/discontinue`, body),
  renew: (id: string, body: RenewRequest) =>
    api.post<OrderChangeResult>(`/api/medications/${encodeURIComponent(id)}/renew`, body),
  modify: (id: string, body: ModifyRequest) =>
    api.post<OrderChangeResult>(`/api/medications/${encodeURIComponent(id)}/modify`, body),
  reconciliation: (patientId: string, signal?: AbortSignal) =>
    api.get<MedicationReconciliation>(`${p(patientId)}/medication-reconciliation`, undefined, signal),
  saveReconciliation: (patientId: string, body: ReconciliationRequest) =>
    api.post<ReconciliationSaved>(`${p(patientId)}/medication-reconciliation`, body),
  send: (medicationRequestId: string) =>
    api.post<ErxQueued>(`/api/erx/prescriptions/${encodeURIComponent(medicationRequestId)}/send`, {}),
};

/**
 * The SAFETY_OVERRIDE_REQUIRED answer (409 from prescribe, 422 from renew, modify and reconciliation): the findings
 * and which of them must be overridden; `lineKey` names the reconciliation line whose added order was stopped.
 */
export function overrideRequired(
  err: unknown,
): { findings: PrescribeWarning[]; blockingFindingIds: string[]; lineKey?: string } | undefined {
  if (!(err instanceof ApiError) || (err.status !== 409 && err.status !== 422)) return undefined;
  if (err.code !== 'SAFETY_OVERRIDE_REQUIRED') return undefined;
  const d = err.details as (Partial<SafetyOverrideRequired> & { lineKey?: string }) | undefined;
  return {
    findings: d?.findings ?? [],
    blockingFindingIds: d?.blockingFindingIds ?? [],
    ...(d?.lineKey ? { lineKey: d.lineKey } : {}),
  };
}

/** 409 VERSION_CONFLICT: someone changed the order since it was shown. */
export const versionConflict = (err: unknown) => err instanceof ApiError && err.code === 'VERSION_CONFLICT';

/** 401 STEP_UP_REQUIRED: EPCS signing needs a fresh second factor. */
export const stepUpRequired = (err: unknown) => err instanceof ApiError && err.code === 'STEP_UP_REQUIRED';
