import type { PortalResult } from '@wintehr/contracts';
import { analyte, rangeFor } from '../results/analytes';
import { observationRange, plainRangeText, positionOf, type PlainRange } from './range-text';
import { isReleased, isReleasedStatus } from '../results/release-rule';

const LOINC = 'http://loinc.org';
const loincOf = (cc: fhir4.CodeableConcept | undefined) => cc?.coding?.find((c) => c.system === LOINC)?.code;
const nameOf = (cc: fhir4.CodeableConcept | undefined) =>
  cc?.text ?? cc?.coding?.find((c) => c.display)?.display ?? 'Test';
const when = (o: fhir4.Observation) => o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued;

/** The lab's range on the value, else this system's range for the analyte (by sex), else none. */
function rangeOf(o: fhir4.Observation, gender: string | undefined): PlainRange {
  const own = observationRange(o);
  if (own.low !== undefined || own.high !== undefined || own.text) return own;
  const code = loincOf(o.code);
  const x = code ? analyte(code) : undefined;
  return x ? rangeFor(x, gender) : {};
}

function valueText(o: fhir4.Observation): string {
  if (o.valueQuantity?.value !== undefined) return String(o.valueQuantity.value);
  return o.valueString ?? o.valueCodeableConcept?.text ?? o.valueCodeableConcept?.coding?.[0]?.display ?? '';
}

/**
 * The patient's released results (pure): each report with its values, plain-language range text and the trend of
 * each test built only from released values, so a held or preliminary value never shows up inside a trend either.
 * `entries` is a DiagnosticReport search with its results included, newest first.
 */
export function portalResults(
  entries: readonly fhir4.FhirResource[],
  held: ReadonlySet<string>,
  gender: string | undefined,
): PortalResult[] {
  const observations = new Map<string, fhir4.Observation>();
  for (const r of entries) if (r.resourceType === 'Observation' && r.id) observations.set(`Observation/${r.id}`, r);
  const released = entries
    .filter((r): r is fhir4.DiagnosticReport => r.resourceType === 'DiagnosticReport')
    .filter((r) => isReleased(r, held))
    .map((report) => ({
      report,
      values: (report.result ?? [])
        .map((x) => observations.get(x.reference ?? ''))
        .filter((o): o is fhir4.Observation => !!o && isReleasedStatus(o.status)),
    }));

  const trends = new Map<string, { date: string; value: number }[]>();
  for (const { values } of released)
    for (const o of values) {
      const code = loincOf(o.code);
      const at = when(o);
      if (!code || !at || typeof o.valueQuantity?.value !== 'number') continue;
      trends.set(code, [...(trends.get(code) ?? []), { date: at, value: o.valueQuantity.value }]);
    }
  for (const points of trends.values()) points.sort((a, b) => a.date.localeCompare(b.date));

  return released.map(({ report, values }) => ({
    reportId: report.id!,
    name: nameOf(report.code),
    date: report.effectiveDateTime ?? report.effectivePeriod?.start ?? report.issued ?? null,
    status: report.status,
    values: values.map((o) => {
      const numeric = typeof o.valueQuantity?.value === 'number' ? o.valueQuantity.value : undefined;
      const unit = o.valueQuantity?.unit ?? o.valueQuantity?.code;
      const range = rangeOf(o, gender);
      const code = loincOf(o.code);
      return {
        id: o.id!,
        name: nameOf(o.code),
        code: code ?? null,
        value: valueText(o),
        numeric: numeric ?? null,
        unit: unit ?? null,
        rangeText: plainRangeText(numeric, unit, range),
        position: positionOf(numeric, range),
        trend: code ? (trends.get(code) ?? []) : [],
      };
    }),
  }));
}
