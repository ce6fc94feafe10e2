import { api } from '../../core/api/client';
import { ApiError } from '../../core/api/api-error';

export interface PatientHit {
  id: string;
  name: { family?: string; given: string[] };
  birthDate?: string;
  gender?: string;
  mrn?: string;
  active: boolean;
  score: number;
  match: string[];
  access: { related: boolean; basis?: string; breakGlass?: string };
}
export interface PatientSearchResult { total: number; results: PatientHit[]; nextCursor?: string }

export interface PatientView {
  id: string; version?: string; active: boolean; mrn?: string;
  name: { family?: string; given: string[]; text: string };
  birthDate?: string; age?: number; gender?: string; phone?: string; email?: string;
}

export interface VitalSummary {
  id: string; code: string; display?: string; effective?: string; value?: number; unit?: string;
  components?: Array<{ code: string; value?: number; unit?: string }>;
}

export interface PatientSummary {
  patient: PatientView;
  problems: fhir4.Condition[];
  medications: fhir4.MedicationRequest[];
  allergies: fhir4.AllergyIntolerance[];
  vitals: VitalSummary[];
  appointments: fhir4.Appointment[];
  coverage: fhir4.Coverage[];
}

export interface TimelineEvent { date: string; resourceType: string; id: string; title: string; status?: string; code?: fhir4.Coding }

const p = (id: string) => `/api/patients/${encodeURIComponent(id)}`;

export const patientApi = {
  search: (q: string, signal?: AbortSignal) => api.get<PatientSearchResult>('/api/patients', { q, limit: 10 }, signal),
  get: (id: string) => api.get<PatientView>(p(id)),
  summary: (id: string) => api.get<PatientSummary>(`${p(id)}/summary`),
  problems: (id: string) => api.get<{ items: fhir4.Condition[] }>(`${p(id)}/problems`),
  allergies: (id: string) => api.get<{ items: fhir4.AllergyIntolerance[] }>(`${p(id)}/allergies`),
  vitals: (id: string) => api.get<{ items: fhir4.Observation[] }>(`${p(id)}/vitals`),
  immunizations: (id: string) => api.get<{ items: fhir4.Immunization[] }>(`${p(id)}/immunizations`),
  timeline: (id: string, before?: string) => api.get<{ events: TimelineEvent[]; nextBefore?: string }>(`${p(id)}/timeline`, { limit: 50, before }),
  breakGlass: (id: string, reason: string, minutes: number) =>
    api.post<{ id: string; patientId: string; expiresAt: string; reviewRequired: boolean }>(`${p(id)}/break-glass`, { reason, minutes }),
};

/** 403 PATIENT_ACCESS_DENIED with a break-glass link: the user may open the chart by stating a reason. */
export function breakGlassOffer(err: unknown): string | undefined {
  if (!(err instanceof ApiError) || err.code !== 'PATIENT_ACCESS_DENIED') return undefined;
  const d = err.details as { breakGlass?: unknown } | undefined;
  return typeof d?.breakGlass === 'string' ? d.breakGlass : undefined;
}

export function displayName(n: { family?: string; given: string[] }): string {
  return [n.family ? `${n.family},` : '', ...n.given].filter(Boolean).join(' ').replace(/,$/, '') || 'Unnamed patient';
}

