import { ApiError } from '../../core/api/api-error';
import { api } from '../../core/api/client';
import type {
  DrugSearchResult,
  ErxQueued,
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
  send: (medicationRequestId: string) =>
    api.post<ErxQueued>(`/api/erx/prescriptions/${encodeURIComponent(medicationRequestId)}/send`, {}),
};

/** The 409 SAFETY_OVERRIDE_REQUIRED answer: the findings and which of them must be overridden. */
export function overrideRequired(
  err: unknown,
): { findings: PrescribeWarning[]; blockingFindingIds: string[] } | undefined {
  if (!(err instanceof ApiError) || err.status !== 409 || err.code !== 'SAFETY_OVERRIDE_REQUIRED') return undefined;
  const d = err.details as Partial<SafetyOverrideRequired> | undefined;
  return { findings: d?.findings ?? [], blockingFindingIds: d?.blockingFindingIds ?? [] };
}

/** 401 STEP_UP_REQUIRED: EPCS signing needs a fresh second factor. */
export const stepUpRequired = (err: unknown) => err instanceof ApiError && err.code === 'STEP_UP_REQUIRED';
