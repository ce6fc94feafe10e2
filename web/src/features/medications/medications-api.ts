import { ApiError } from '../../core/api/api-error';
import { api } from '../../core/api/client';
import type { SafetyFinding } from '../../core/cds/card-logic';
import type { PrescribeBody } from './prescription';

export interface DrugHit { rxcui: string; name: string; tty: string; brand?: string; ingredients: { rxcui: string; name: string }[]; score: number }
export interface DirectoryPharmacy {
  ncpdpId: string; name: string; organizationId: string | null; epcs?: boolean; open24h?: boolean; phone?: string;
  address?: { line1?: string; city?: string; state?: string; postalCode?: string };
}
export interface PrescribeResult {
  medicationRequest: fhir4.MedicationRequest;
  warnings: SafetyFinding[];
  controlled?: { schedule: string };
  requiresEpcs: boolean;
  override?: { findingIds: string[] };
}
export interface SendResult { messageId: string; status: string; controlled: boolean; deaSchedule?: string; signed?: boolean }

const p = (id: string) => `/api/patients/${encodeURIComponent(id)}`;

export const medicationsApi = {
  searchDrugs: (q: string, signal?: AbortSignal) => api.get<{ results: DrugHit[] }>('/api/drugs', { q, limit: 20 }, signal).then((r) => r.results),
  pharmacies: (name: string, signal?: AbortSignal) => api.get<{ total: number; pharmacies: DirectoryPharmacy[] }>('/api/erx/pharmacies', { name, limit: 20 }, signal).then((r) => r.pharmacies),
  prescribe: (patientId: string, body: PrescribeBody) => api.post<PrescribeResult>(`${p(patientId)}/medications`, body),
  send: (medicationRequestId: string) => api.post<SendResult>(`/api/erx/prescriptions/${encodeURIComponent(medicationRequestId)}/send`, {}),
};

/** The 409 SAFETY_OVERRIDE_REQUIRED answer: the findings and which of them must be overridden. */
export function overrideRequired(err: unknown): { findings: SafetyFinding[]; blockingFindingIds: string[] } | undefined {
  if (!(err instanceof ApiError) || err.status !== 409 || err.code !== 'SAFETY_OVERRIDE_REQUIRED') return undefined;
  const d = err.details as { findings?: SafetyFinding[]; blockingFindingIds?: string[] } | undefined;
  return { findings: d?.findings ?? [], blockingFindingIds: d?.blockingFindingIds ?? [] };
}

/** 401 STEP_UP_REQUIRED: EPCS signing needs a fresh second factor. */
export const stepUpRequired = (err: unknown) => err instanceof ApiError && err.code === 'STEP_UP_REQUIRED';
