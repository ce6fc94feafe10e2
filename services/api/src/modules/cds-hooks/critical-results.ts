/**
 * Unacknowledged critical results. A result is critical when an interpretation coding is HH, LL or AA
 * (v3 ObservationInterpretation) or its text says "critical". It is acknowledged when it carries the extension
 * ACKNOWLEDGED_EXTENSION (valueDateTime = when; or a complex extension with `by`/`at`), which the results module
 * writes when a clinician acknowledges it.
 */
import { clampSummary, source } from './cards';
import type { CardDraft } from './cds-types';

export const ACKNOWLEDGED_EXTENSION = 'http://wintehr.dev/fhir/StructureDefinition/acknowledged';
export const CRITICAL_CODES = ['HH', 'LL', 'AA'] as const;
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
/** Older unacknowledged criticals are left to the results inbox rather than shown on every chart open. */
export const CRITICAL_LOOKBACK_DAYS = 30;

export function isCritical(o: fhir4.Observation): boolean {
  return (o.interpretation ?? []).some(
    (cc) =>
      (cc.coding ?? []).some(
        (c) => (!c.system || c.system === V3) && (CRITICAL_CODES as readonly string[]).includes(c.code ?? ''),
      ) || /critical/i.test(cc.text ?? ''),
  );
}

export function isAcknowledged(o: fhir4.Observation): boolean {
  return (o.extension ?? []).some((e) => e.url === ACKNOWLEDGED_EXTENSION);
}

function when(o: fhir4.Observation): string | undefined {
  return o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued;
}

export function unacknowledgedCritical(observations: readonly fhir4.Observation[], now: Date): fhir4.Observation[] {
  const since = new Date(now.getTime() - CRITICAL_LOOKBACK_DAYS * 86_400_000).toISOString();
  return observations.filter((o) => {
    if (!['final', 'amended', 'corrected', 'preliminary'].includes(o.status)) return false;
    const at = when(o);
    return isCritical(o) && !isAcknowledged(o) && (!at || at >= since);
  });
}

function valueText(o: fhir4.Observation): string {
  const q = o.valueQuantity;
  if (q && typeof q.value === 'number') return `${q.value}${q.unit ? ` ${q.unit}` : ''}`;
  return o.valueString ?? o.valueCodeableConcept?.text ?? o.valueCodeableConcept?.coding?.[0]?.display ?? '';
}

export function criticalResultsCard(results: readonly fhir4.Observation[]): CardDraft | undefined {
  if (!results.length) return undefined;
  const name = (o: fhir4.Observation) =>
    o.code.text ?? o.code.coding?.find((c) => c.display)?.display ?? o.code.coding?.[0]?.code ?? 'result';
  const lines = results
    .slice(0, 10)
    .map((o) =>
      `- **${name(o)}** ${valueText(o)} (${o.interpretation?.[0]?.coding?.[0]?.code ?? 'critical'}) ${when(o)?.slice(0, 10) ?? ''}`.trimEnd(),
    );
  return {
    ruleId: 'critical-result',
    indicator: 'critical',
    summary: clampSummary(
      results.length === 1
        ? `Unacknowledged critical result: ${name(results[0]!)}`
        : `${results.length} unacknowledged critical results`,
    ),
    detail: [
      ...lines,
      ...(results.length > 10 ? [`- … and ${results.length - 10} more`] : []),
      '',
      'Review and acknowledge in the results inbox.',
    ].join('\n'),
    source: source('critical-result', 'Unacknowledged critical result'),
  };
}
