import type { CriticalAlert, CriticalTest } from '@wintehr/contracts';
import { humanNameText } from '../../core/fhir/fhir-kit';
import { analyte } from './analytes';
import { criticalFlagOf } from './critical-detect';
import { LOINC } from './result-bundle';

export interface AlertRow {
  report_id: string;
  focus_type: 'DiagnosticReport' | 'Observation';
  patient_id: string;
  service_request_id: string | null;
  observation_ids: string[];
  critical_codes: string[];
  created_at: Date;
  deadline_at: Date;
  escalation_level: number;
  ordering_practitioner_id: string | null;
}

/** Pure: the name a clinician knows a test by — the LOINC display the lab sent, its text, our catalog's name. */
export function testName(o: fhir4.Observation): string {
  const loinc = o.code.coding?.find((c) => c.system === LOINC);
  return (
    loinc?.display ??
    o.code.text ??
    (loinc?.code ? analyte(loinc.code)?.display : undefined) ??
    o.code.coding?.find((c) => c.display)?.display ??
    'Unnamed test'
  );
}

function rangeText(o: fhir4.Observation): string | undefined {
  const r = o.referenceRange?.[0];
  if (!r) return undefined;
  if (r.text) return r.text;
  const unit = r.low?.unit ?? r.high?.unit ?? '';
  if (r.low?.value !== undefined && r.high?.value !== undefined) return `${r.low.value}–${r.high.value} ${unit}`.trim();
  if (r.high?.value !== undefined) return `≤ ${r.high.value} ${unit}`.trim();
  if (r.low?.value !== undefined) return `≥ ${r.low.value} ${unit}`.trim();
  return undefined;
}

/** Pure: one worklist entry from its alert row and what HAPI holds now (a withdrawn value drops out). */
export function worklistItem(
  row: AlertRow,
  observations: ReadonlyMap<string, fhir4.Observation>,
  patient: fhir4.Patient | undefined,
  now: number,
): CriticalAlert {
  const tests: CriticalTest[] = [];
  for (const id of row.observation_ids) {
    const o = observations.get(id);
    const flag = o && criticalFlagOf(o);
    if (!o || !flag) continue;
    const range = rangeText(o);
    tests.push({
      observationId: id,
      code: o.code.coding?.find((c) => c.system === LOINC)?.code ?? o.code.coding?.[0]?.code ?? '',
      display: testName(o),
      value: o.valueQuantity?.value ?? null,
      ...(o.valueQuantity?.unit || o.valueQuantity?.code ? { unit: o.valueQuantity.unit ?? o.valueQuantity.code } : {}),
      flag,
      ...(range ? { referenceRange: range } : {}),
    });
  }
  return {
    reportId: row.report_id,
    focusType: row.focus_type,
    patientId: row.patient_id,
    patientName: (patient && humanNameText(patient.name, { prefix: false })) ?? 'Unknown patient',
    ...(patient?.birthDate ? { patientBirthDate: patient.birthDate } : {}),
    serviceRequestId: row.service_request_id,
    tests,
    observationIds: row.observation_ids,
    codes: row.critical_codes,
    orderingPractitionerId: row.ordering_practitioner_id,
    filedAt: row.created_at.toISOString(),
    deadlineAt: row.deadline_at.toISOString(),
    overdue: row.deadline_at.getTime() < now,
    escalationLevel: row.escalation_level,
  };
}
