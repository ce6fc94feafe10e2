import { api } from '../../core/api/client';
import type {
  AcknowledgeResult,
  CriticalWorklist,
  Flowsheet,
  ResultHold,
  ResultHoldBody,
  ResultHolds,
  ResultList,
  TrendResult,
} from '@wintehr/contracts';

export const resultsApi = {
  forPatient: (patientId: string) => api.get<ResultList>(`/api/patients/${encodeURIComponent(patientId)}/results`),
  unacknowledgedCritical: (patientId?: string) =>
    api.get<CriticalWorklist>('/api/results/unacknowledged-critical', patientId ? { patient: patientId } : undefined),
  flowsheet: (patientId: string, category: 'all' | 'laboratory' | 'vital-signs' = 'all') =>
    api.get<Flowsheet>(`/api/patients/${encodeURIComponent(patientId)}/flowsheet`, { category, columns: '10' }),
  trend: (patientId: string, code: string) =>
    api.get<TrendResult>(`/api/patients/${encodeURIComponent(patientId)}/results/trend`, { code }),
  acknowledge: (reportId: string) =>
    api.post<AcknowledgeResult>(`/api/results/${encodeURIComponent(reportId)}/acknowledge`, {}),
  holds: (patientId: string) => api.get<ResultHolds>(`/api/patients/${encodeURIComponent(patientId)}/result-holds`),
  hold: (reportId: string, body: ResultHoldBody) =>
    api.post<ResultHold>(`/api/results/${encodeURIComponent(reportId)}/hold`, body),
  releaseHold: (reportId: string) => api.delete(`/api/results/${encodeURIComponent(reportId)}/hold`),
};

const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** The v3 interpretation code of an observation (N, H, L, HH, LL, A, AA…), if any. */
export function interpretationCode(o: fhir4.Observation): string | undefined {
  return o.interpretation?.flatMap((c) => c.coding ?? []).find((c) => c.system === INTERPRETATION_SYSTEM)?.code;
}

export function isCriticalFlag(code: string | undefined): boolean {
  return code === 'HH' || code === 'LL' || code === 'AA';
}

/** "3.5–5.1 mmol/L", "≤ 200 mg/dL", "≥ 40 mg/dL" from the first reference range. */
export function referenceRangeText(o: fhir4.Observation): string {
  const r = o.referenceRange?.[0];
  if (!r) return '—';
  if (r.text) return r.text;
  const unit = r.low?.unit ?? r.high?.unit ?? '';
  if (r.low?.value !== undefined && r.high?.value !== undefined) return `${r.low.value}–${r.high.value} ${unit}`.trim();
  if (r.high?.value !== undefined) return `≤ ${r.high.value} ${unit}`.trim();
  if (r.low?.value !== undefined) return `≥ ${r.low.value} ${unit}`.trim();
  return '—';
}

const LOINC = 'http://loinc.org';

/** The LOINC code of an observation (what the trend endpoint takes). */
export function loincOf(o: fhir4.Observation): string | undefined {
  return o.code.coding?.find((c) => c.system === LOINC && c.code)?.code;
}

export function valueText(o: fhir4.Observation): string {
  if (o.valueQuantity)
    return `${o.valueQuantity.value ?? ''} ${o.valueQuantity.unit ?? o.valueQuantity.code ?? ''}`.trim();
  if (o.valueString) return o.valueString;
  if (o.valueCodeableConcept) return o.valueCodeableConcept.text ?? o.valueCodeableConcept.coding?.[0]?.display ?? '—';
  return '—';
}
