/**
 * Drug safety for draft MedicationRequests (order-select and order-sign): the drafts are screened against the
 * chart from prefetch, and every finding becomes a card. Chart items that could not be screened are summarised in
 * one card instead of one card each.
 */
import { checkMedicationSafety, type DrugKnowledgeBase, type Finding, type MedRef } from '../../drug-safety';
import { contextFromPrefetch, medRefOf } from '../../drug-safety/patient-safety-context';
import { clampSummary, dataUnavailableCard, source } from '../cards';
import type { CardDraft, PrefetchData } from '../cds-types';
import { findingCard } from '../drug-cards';
import { bundleOf, entriesOf, resourceOf } from '../prefetch';
import { SAFETY_KEYS } from './prefetch-templates';

/** Cards for the chart's safety data being unavailable, or undefined when all of it is there. */
export function missingDataCard(data: PrefetchData, keys: readonly string[], check: string): CardDraft | undefined {
  const failed = keys.filter((k) => data.failed.has(k));
  return failed.length
    ? dataUnavailableCard(
        check,
        failed,
        failed.map((k) => data.failed.get(k)!),
      )
    : undefined;
}

export function chartOf(data: PrefetchData, now: Date) {
  return contextFromPrefetch(
    {
      patient: resourceOf<fhir4.Patient>(data, 'patient', 'Patient'),
      medicationRequests: bundleOf(data, 'medicationRequests'),
      medicationStatements: bundleOf(data, 'medicationStatements'),
      allergies: bundleOf(data, 'allergies'),
      observations: bundleOf(data, 'observations'),
      // Not a prefetch key of order-select/order-sign yet (a new required key would turn clients' existing prefetch
      // into 412s); read when a service provides it, so problem-list rules then apply to CDS cards too.
      conditions: bundleOf(data, 'conditions'),
    },
    now,
  );
}

function notScreenedChartCard(items: Finding[]): CardDraft | undefined {
  if (!items.length) return undefined;
  const names = items.map(
    (f) => (f.kind === 'unable-to-screen' ? (f.drug?.display ?? f.allergy?.display) : undefined) ?? 'item',
  );
  return {
    ruleId: 'unable-to-screen:chart',
    indicator: 'info',
    summary: clampSummary(
      `${items.length} chart item${items.length > 1 ? 's' : ''} could not be screened against the new order`,
    ),
    detail: `These active medications or allergies have no usable code, so the new orders were **not** checked against them:\n${names.map((n) => `- ${n.replace(/([\\`*_[\]<>])/g, '\\$1')}`).join('\n')}`,
    source: source('unable-to-screen:chart', 'Unable to screen chart items'),
  };
}

/**
 * Screens `proposed` drafts against the chart plus `alsoActive` (other drafts in the same order session).
 */
export function medicationOrderCards(
  kb: DrugKnowledgeBase,
  data: PrefetchData,
  draftOrders: fhir4.Bundle,
  selected: ReadonlySet<string> | undefined,
  now: Date,
): CardDraft[] {
  const medications = new Map(
    entriesOf<fhir4.Medication>(draftOrders, 'Medication')
      .filter((m) => m.id)
      .map((m) => [`Medication/${m.id}`, m]),
  );
  const drafts = entriesOf<fhir4.MedicationRequest>(draftOrders, 'MedicationRequest');
  if (!drafts.length) return [];
  const missing = missingDataCard(data, SAFETY_KEYS, 'Medication safety check');
  if (missing) return [missing];
  const chart = chartOf(data, now);
  const draftIds = new Set(drafts.map((d) => `MedicationRequest/${d.id}`));
  const proposed: MedRef[] = [];
  const alsoActive: MedRef[] = [];
  for (const d of drafts)
    (selected && !selected.has(`MedicationRequest/${d.id}`) ? alsoActive : proposed).push(medRefOf(d, medications));
  const findings = checkMedicationSafety(kb, {
    proposed,
    active: [...chart.active.filter((m) => !m.id || !draftIds.has(m.id)), ...alsoActive],
    allergies: chart.allergies,
    patient: chart.patient,
  });
  const byRef = new Map(drafts.filter((d) => d.id).map((d) => [`MedicationRequest/${d.id}`, d]));
  const cards: CardDraft[] = [];
  const chartUnscreened: Finding[] = [];
  for (const f of findings) {
    if (f.kind === 'unable-to-screen' && !(f.subject === 'medication' && f.drug?.role === 'proposed'))
      chartUnscreened.push(f);
    else cards.push(findingCard(f, byRef));
  }
  const chartCard = notScreenedChartCard(chartUnscreened);
  return chartCard ? [...cards, chartCard] : cards;
}
