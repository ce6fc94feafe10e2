/**
 * Card assembly shared by the services: summary length, source, override reasons, and issuing (uuids for cards and
 * suggestions, selectionBehavior when there is something to select). Pure apart from the uuid generator passed in.
 */
import type { CardDraft, CdsCard, CdsCoding } from './cds-types';

export const RULE_SYSTEM = 'http://wintehr.dev/cds/rule';
export const OVERRIDE_SYSTEM = 'http://wintehr.dev/fhir/CodeSystem/cds-override-reason';
export const SOURCE_LABEL = 'WintEHR clinical decision support';
export const SUMMARY_MAX = 139;

/** Override reasons offered on interruptive medication cards (CDS Hooks 2.0 overrideReasons). */
export const MEDICATION_OVERRIDE_REASONS: CdsCoding[] = [
  { system: OVERRIDE_SYSTEM, code: 'benefit-outweighs-risk', display: 'Benefit outweighs risk' },
  { system: OVERRIDE_SYSTEM, code: 'patient-tolerated', display: 'Patient has tolerated this combination before' },
  { system: OVERRIDE_SYSTEM, code: 'will-monitor', display: 'Will monitor / adjust dose' },
  { system: OVERRIDE_SYSTEM, code: 'not-clinically-relevant', display: 'Not clinically relevant for this patient' },
];
export const ALLERGY_OVERRIDE_REASONS: CdsCoding[] = [
  {
    system: OVERRIDE_SYSTEM,
    code: 'allergy-not-confirmed',
    display: 'Allergy history is inaccurate or not a true allergy',
  },
  { system: OVERRIDE_SYSTEM, code: 'patient-tolerated', display: 'Patient has tolerated this drug before' },
  { system: OVERRIDE_SYSTEM, code: 'benefit-outweighs-risk', display: 'Benefit outweighs risk; will monitor' },
];
export const ORDER_OVERRIDE_REASONS: CdsCoding[] = [
  { system: OVERRIDE_SYSTEM, code: 'clinically-indicated-repeat', display: 'Repeat is clinically indicated' },
  { system: OVERRIDE_SYSTEM, code: 'previous-order-cancelled', display: 'Previous order was not performed' },
];

/** Keeps a summary under the spec's 140-character limit, cutting at a word boundary. */
export function clampSummary(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  if (one.length <= SUMMARY_MAX) return one;
  const cut = one.slice(0, SUMMARY_MAX - 1);
  const at = cut.lastIndexOf(' ');
  return `${(at > 80 ? cut.slice(0, at) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

export function source(ruleId: string, display: string): CardDraft['source'] {
  return { label: SOURCE_LABEL, topic: { system: RULE_SYSTEM, code: ruleId, display: display.slice(0, 200) } };
}

/** A card saying a check could not run because its data could not be fetched (never a silent pass). */
export function dataUnavailableCard(check: string, keys: readonly string[], reasons: readonly string[]): CardDraft {
  const timeout = reasons.includes('timeout');
  return {
    ruleId: 'data-unavailable',
    summary: clampSummary(
      `${check} could not run: the FHIR server ${timeout ? 'did not answer in time' : 'could not be read'}`,
    ),
    detail:
      `The ${check.toLowerCase()} needs data the CDS service could not fetch (${keys.join(', ')}; ${[...new Set(reasons)].join(', ')}).` +
      ' **Nothing was checked**: review the chart manually or retry.',
    indicator: 'warning',
    source: source('data-unavailable', 'Data unavailable'),
  };
}

export interface IssuedCard {
  uuid: string;
  ruleId: string;
  indicator: string;
  suggestionUuids: string[];
}

/** Assigns uuids, sets selectionBehavior where suggestions exist, and strips internal fields. */
export function issueCards(
  drafts: readonly CardDraft[],
  uuid: () => string,
): { cards: CdsCard[]; issued: IssuedCard[] } {
  const cards: CdsCard[] = [];
  const issued: IssuedCard[] = [];
  for (const d of drafts) {
    const { ruleId, suggestions, ...rest } = d;
    const card: CdsCard = { uuid: uuid(), ...rest, summary: clampSummary(rest.summary) };
    if (suggestions?.length) {
      card.suggestions = suggestions.map((s) => ({ ...s, uuid: uuid() }));
      card.selectionBehavior = 'at-most-one';
    } else {
      delete card.selectionBehavior;
    }
    cards.push(card);
    issued.push({
      uuid: card.uuid,
      ruleId,
      indicator: card.indicator,
      suggestionUuids: (card.suggestions ?? []).map((s) => s.uuid),
    });
  }
  return { cards, issued };
}
