import { idFromReference } from '../../core/fhir/fhir-kit';
import { ANALYTES, analyte } from './analytes';
import { INTERPRETATION_SYSTEM, interpret, isCritical } from './interpretation';
import { LOINC, acknowledgementOf } from './result-bundle';

/** v3 interpretation codes that mean "call it in now": critical high/low and critical abnormal. */
const CRITICAL_CODES = new Set(['HH', 'LL', 'AA']);
/** Older v2 (table 0078) systems lab interfaces still send. */
const V2_INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v2-0078';

export type CriticalFlag = 'HH' | 'LL' | 'AA';

const loincOf = (o: fhir4.Observation) => o.code.coding?.find((c) => c.system === LOINC)?.code;

/**
 * Pure: whether an Observation is a critical result, and which flag. The sender's own interpretation counts
 * (any lab may flag), and so do our analytes' critical limits — a lab interface that forgets to flag a K+ of
 * 6.8 must not hide it from the worklist. Withdrawn results never count.
 */
export function criticalFlagOf(o: fhir4.Observation): CriticalFlag | undefined {
  if (o.status === 'entered-in-error' || o.status === 'cancelled') return undefined;
  const flagged = o.interpretation
    ?.flatMap((c) => c.coding ?? [])
    .find((c) => (c.system === INTERPRETATION_SYSTEM || c.system === V2_INTERPRETATION) && CRITICAL_CODES.has(c.code!));
  if (flagged) return flagged.code as CriticalFlag;
  const value = o.valueQuantity?.value;
  const code = loincOf(o);
  const x = code ? analyte(code) : undefined;
  if (typeof value !== 'number' || !x) return undefined;
  const i = interpret(value, {}, { low: x.criticalLow, high: x.criticalHigh });
  return isCritical(i) ? (i as CriticalFlag) : undefined;
}

/**
 * The searches that find every critical value of the analytes we know, for the full sweep: HAPI has no search
 * parameter on Observation.interpretation, but it does index value-quantity, so the critical limits become value
 * filters (one search per limit, each small).
 */
export function criticalValueSearches(): Array<Record<string, string>> {
  return ANALYTES.flatMap((x) => [
    ...(x.criticalHigh !== undefined ? [{ code: `${LOINC}|${x.code}`, 'value-quantity': `gt${x.criticalHigh}` }] : []),
    ...(x.criticalLow !== undefined ? [{ code: `${LOINC}|${x.code}`, 'value-quantity': `lt${x.criticalLow}` }] : []),
  ]);
}

export interface FoundAlert {
  /** The DiagnosticReport holding the critical values, or the lone Observation when no report does. */
  focusType: 'DiagnosticReport' | 'Observation';
  focusId: string;
  patientId: string;
  serviceRequestId?: string;
  observationIds: string[];
  codes: string[];
  filedAt: string;
  /** Practitioner id of who should act: the orderer, else the report's interpreter, else a performer. */
  responsiblePractitionerId?: string;
}

const practitionerIn = (refs: fhir4.Reference[] | undefined) =>
  (refs ?? []).map((r) => idFromReference(r.reference, 'Practitioner')).find((x): x is string => !!x);

/**
 * Pure: groups critical Observations under the reports that hold them (one alert per report, as the results API
 * files them) and drops anything already acknowledged. `orderers` maps ServiceRequest id → requester Practitioner.
 */
export function alertsFrom(
  observations: readonly fhir4.Observation[],
  reports: readonly fhir4.DiagnosticReport[],
  orderers: ReadonlyMap<string, string>,
): FoundAlert[] {
  const critical = observations.filter((o) => criticalFlagOf(o) && !acknowledgementOf(o));
  const reportOf = new Map<string, fhir4.DiagnosticReport>();
  for (const r of reports)
    for (const ref of r.result ?? []) {
      const id = idFromReference(ref.reference, 'Observation');
      if (id) reportOf.set(id, r);
    }
  const byFocus = new Map<string, FoundAlert>();
  for (const o of critical) {
    const patientId = idFromReference(o.subject?.reference, 'Patient');
    if (!patientId || !o.id) continue;
    const report = reportOf.get(o.id);
    if (report && (acknowledgementOf(report) || report.status === 'entered-in-error')) continue;
    const key = report ? `DiagnosticReport/${report.id}` : `Observation/${o.id}`;
    let alert = byFocus.get(key);
    if (!alert) {
      const serviceRequestId = [...(report?.basedOn ?? []), ...(o.basedOn ?? [])]
        .map((b) => idFromReference(b.reference, 'ServiceRequest'))
        .find((x): x is string => !!x);
      const responsible =
        (serviceRequestId ? orderers.get(serviceRequestId) : undefined) ??
        practitionerIn(report?.resultsInterpreter) ??
        practitionerIn(report?.performer) ??
        practitionerIn(o.performer);
      alert = {
        focusType: report ? 'DiagnosticReport' : 'Observation',
        focusId: report ? report.id! : o.id,
        patientId,
        ...(serviceRequestId ? { serviceRequestId } : {}),
        observationIds: [],
        codes: [],
        filedAt: report?.issued ?? o.issued ?? o.effectiveDateTime ?? o.meta?.lastUpdated ?? new Date(0).toISOString(),
        ...(responsible ? { responsiblePractitionerId: responsible } : {}),
      };
      byFocus.set(key, alert);
    }
    alert.observationIds.push(o.id);
    const code = loincOf(o) ?? o.code.coding?.[0]?.code;
    if (code) alert.codes.push(code);
  }
  return [...byFocus.values()];
}
