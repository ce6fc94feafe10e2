/**
 * Pure decisions around CDS cards in an order session: ordering, what still blocks signing, applying a
 * suggestion's actions to the draft orders, carrying an override from order-select to the same alert at order-sign,
 * the CDS Hooks feedback to send, and how overridden cards answer the prescribing API's 409 SAFETY_OVERRIDE_REQUIRED.
 */
import type { PrescribeWarning } from '@wintehr/contracts';
import type { CardDecision, CdsCard, CdsSuggestion, Decisions, FeedbackItem, Indicator, ShownCard } from './cds-types';

const RANK: Record<Indicator, number> = { critical: 0, warning: 1, info: 2 };

/** Critical first, then warning, then info; the services' order is kept within each. */
export function sortCards(cards: readonly ShownCard[]): ShownCard[] {
  return cards
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (RANK[a.c.card.indicator] ?? 3) - (RANK[b.c.card.indicator] ?? 3) || a.i - b.i)
    .map((x) => x.c);
}

/** Keys a service's cards for one call: the card uuid when it has one, else the call and position. */
export function shownCards(
  serviceId: string,
  hook: string,
  hookInstance: string,
  cards: readonly CdsCard[],
): ShownCard[] {
  return cards.map((card, i) => ({
    key: `${serviceId}/${card.uuid ?? `${hookInstance}#${i}`}`,
    serviceId,
    hook,
    card,
  }));
}

/** An override is complete when the card offers no reasons, or one of them is chosen. */
export function overrideComplete(card: CdsCard, decision: CardDecision | undefined): boolean {
  if (!decision) return false;
  if (decision.outcome === 'accepted') return true;
  if (!card.overrideReasons?.length) return true;
  return (
    !!decision.reason &&
    card.overrideReasons.some((r) => r.code === decision.reason!.code && r.system === decision.reason!.system)
  );
}

/** Critical cards that have neither an accepted suggestion nor a complete override: signing waits for them. */
export function unresolvedCritical(cards: readonly ShownCard[], decisions: Decisions): ShownCard[] {
  return cards.filter((c) => c.card.indicator === 'critical' && !overrideComplete(c.card, decisions[c.key]));
}

export interface SuggestionResult {
  /** The draft orders after the actions. */
  drafts: fhir4.MedicationRequest[];
  /** Relative references of drafts removed (delete, or replaced by update). */
  removed: string[];
  /** Drafts created by the suggestion (with ids from newId). */
  created: fhir4.MedicationRequest[];
}

const refOf = (r: { resourceType: string; id?: string }) => `${r.resourceType}/${r.id}`;

/**
 * Applies a suggestion's actions to the draft MedicationRequests: delete removes the referenced draft, create adds
 * the suggested resource as a new draft (status draft, a fresh id), update replaces the draft with the same id.
 * Actions on other resource types are ignored: only the drafts of this order session can change here.
 */
export function applySuggestion(
  drafts: readonly fhir4.MedicationRequest[],
  suggestion: CdsSuggestion,
  newId: () => string,
): SuggestionResult {
  let out = [...drafts];
  const removed: string[] = [];
  const created: fhir4.MedicationRequest[] = [];
  for (const a of suggestion.actions ?? []) {
    if (a.type === 'delete' && a.resourceId) {
      const before = out.length;
      out = out.filter((d) => refOf(d) !== a.resourceId);
      if (out.length < before) removed.push(a.resourceId);
    } else if (a.type === 'create' && a.resource?.resourceType === 'MedicationRequest') {
      const mr: fhir4.MedicationRequest = { ...a.resource, id: newId(), status: 'draft' };
      out.push(mr);
      created.push(mr);
    } else if (a.type === 'update' && a.resource?.resourceType === 'MedicationRequest' && a.resource.id) {
      const ref = refOf(a.resource);
      if (out.some((d) => refOf(d) === ref)) {
        out = out.map((d) => (refOf(d) === ref ? { ...(a.resource as fhir4.MedicationRequest), status: 'draft' } : d));
        removed.push(ref);
        created.push(out.find((d) => refOf(d) === ref)!);
      }
    }
  }
  return { drafts: out, removed, created };
}

const ruleOf = (c: ShownCard) => c.card.source.topic?.code;

/**
 * A card at order-sign that repeats an alert the user already overrode at order-select (same rule, same summary)
 * takes that decision over, so the prescriber is not asked twice about the same thing. Accepted suggestions are
 * not carried: accepting changed the draft, so a repeat of the alert means it still applies.
 */
export function carryOverrides(
  previous: readonly ShownCard[],
  decisions: Decisions,
  next: readonly ShownCard[],
  now: string,
): Record<string, CardDecision> {
  const out: Record<string, CardDecision> = { ...decisions };
  for (const n of next) {
    if (out[n.key]) continue;
    const match = previous.find(
      (p) =>
        p.key !== n.key &&
        ruleOf(p) !== undefined &&
        ruleOf(p) === ruleOf(n) &&
        p.card.summary === n.card.summary &&
        decisions[p.key]?.outcome === 'overridden',
    );
    const d = match ? decisions[match.key] : undefined;
    if (d?.outcome === 'overridden' && overrideComplete(n.card, d)) out[n.key] = { ...d, at: now };
  }
  return out;
}

/** CDS Hooks feedback per service for the decided cards among `cards` (cards without a uuid cannot get feedback). */
export function feedbackByService(cards: readonly ShownCard[], decisions: Decisions): Map<string, FeedbackItem[]> {
  const out = new Map<string, FeedbackItem[]>();
  for (const c of cards) {
    const d = decisions[c.key];
    if (!d || !c.card.uuid) continue;
    const item: FeedbackItem =
      d.outcome === 'accepted'
        ? {
            card: c.card.uuid,
            outcome: 'accepted',
            ...(d.suggestionUuid ? { acceptedSuggestions: [{ id: d.suggestionUuid }] } : {}),
            outcomeTimestamp: d.at,
          }
        : {
            card: c.card.uuid,
            outcome: 'overridden',
            outcomeTimestamp: d.at,
            ...(d.reason || d.comment
              ? {
                  overrideReason: {
                    ...(d.reason ? { reason: d.reason } : {}),
                    ...(d.comment ? { userComment: d.comment } : {}),
                  },
                }
              : {}),
          };
    out.set(c.serviceId, [...(out.get(c.serviceId) ?? []), item]);
  }
  return out;
}

/**
 * A blocking finding of the prescribing API's 409 SAFETY_OVERRIDE_REQUIRED answer (the contract's PrescribeWarning), or a
 * placeholder for a blocking id the answer lists without its finding.
 */
export type SafetyFinding = PrescribeWarning | { id: string; kind: 'unlisted'; severity: 'major'; message: string };

/** Whether a CDS card (by its rule, source.topic.code) reports the same problem as an API safety finding. */
export function cardMatchesFinding(card: CdsCard, f: SafetyFinding): boolean {
  const rule = card.source.topic?.code;
  if (!rule) return false;
  switch (f.kind) {
    case 'drug-drug':
      return rule === `ddi:${f.ruleId}`;
    case 'drug-allergy':
      return rule.startsWith('drug-allergy:');
    case 'duplicate-therapy':
      return f.basis ? rule === `duplicate-therapy:${f.basis}` : rule.startsWith('duplicate-therapy:');
    case 'drug-condition':
      return rule === `drug-condition:${f.ruleId}`;
    default:
      return false;
  }
}

export interface OverrideMapping {
  /** The body's override when every blocking finding is covered by an overridden card. */
  override?: { findingIds: string[]; reason: string };
  /** Blocking findings no overridden card covers: the prescriber must state a reason for these in the dialog. */
  uncovered: SafetyFinding[];
}

const MAX_REASON = 500;

/** The words of an override decision: the chosen reason's display (or code), then the prescriber's comment. */
export function reasonText(d: Extract<CardDecision, { outcome: 'overridden' }>): string {
  return [d.reason?.display ?? d.reason?.code, d.comment?.trim()].filter(Boolean).join(': ');
}

/**
 * Maps the CDS override decisions onto the API's blocking findings. `manualReason` (typed in the dialog) covers
 * findings that no card reported, e.g. when the CDS service could not be reached.
 */
export function overrideForFindings(
  findings: readonly SafetyFinding[],
  blockingIds: readonly string[],
  cards: readonly ShownCard[],
  decisions: Decisions,
  manualReason?: string,
): OverrideMapping {
  const reasons: string[] = [];
  const uncovered: SafetyFinding[] = [];
  for (const id of blockingIds) {
    const f: SafetyFinding = findings.find((x) => x.id === id) ?? {
      id,
      kind: 'unlisted',
      severity: 'major',
      message: id,
    };
    const card = cards.find((c) => decisions[c.key]?.outcome === 'overridden' && cardMatchesFinding(c.card, f));
    const d = card ? decisions[card.key] : undefined;
    if (d?.outcome === 'overridden' && reasonText(d)) reasons.push(reasonText(d));
    else uncovered.push(f);
  }
  const manual = manualReason?.trim();
  if (uncovered.length && manual && manual.length >= 5) {
    reasons.push(manual);
    uncovered.length = 0;
  }
  if (uncovered.length) return { uncovered };
  const reason = [...new Set(reasons)].join('; ').slice(0, MAX_REASON);
  return {
    override: { findingIds: [...blockingIds], reason: reason.length >= 5 ? reason : `${reason} (overridden)` },
    uncovered: [],
  };
}
