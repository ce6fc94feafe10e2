import type {
  BreakGlassOpened,
  ChartList,
  PatientSearchResult,
  PatientSummary,
  PatientTimeline,
  PatientView,
} from '@wintehr/contracts';
import { api } from '../../core/api/client';
import { ApiError } from '../../core/api/api-error';

export type {
  PatientHit,
  PatientSearchResult,
  PatientSummary,
  PatientView,
  TimelineEvent,
  VitalSummary,
} from '@wintehr/contracts';

const p = (id: string) => `/api/patients/${encodeURIComponent(id)}`;

export const patientApi = {
  search: (q: string, signal?: AbortSignal) => api.get<PatientSearchResult>('/api/patients', { q, limit: 10 }, signal),
  get: (id: string) => api.get<PatientView>(p(id)),
  summary: (id: string) => api.get<PatientSummary>(`${p(id)}/summary`),
  problems: (id: string) => api.get<ChartList<'Condition'>>(`${p(id)}/problems`),
  allergies: (id: string) => api.get<ChartList<'AllergyIntolerance'>>(`${p(id)}/allergies`),
  vitals: (id: string) => api.get<ChartList<'Observation'>>(`${p(id)}/vitals`),
  immunizations: (id: string) => api.get<ChartList<'Immunization'>>(`${p(id)}/immunizations`),
  timeline: (id: string, before?: string) => api.get<PatientTimeline>(`${p(id)}/timeline`, { limit: 50, before }),
  breakGlass: (id: string, reason: string, minutes: number) =>
    api.post<BreakGlassOpened>(`${p(id)}/break-glass`, { reason, minutes }),
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
