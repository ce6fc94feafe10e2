/**
 * Duplicate lab and imaging orders: a draft ServiceRequest whose code matches an existing active or completed
 * ServiceRequest (or another draft) authored within the category's window.
 */
import { ORDER_OVERRIDE_REASONS, clampSummary, source } from './cards';
import type { CardDraft } from './cds-types';

const SNOMED = 'http://snomed.info/sct';
export const LAB_CATEGORY = '108252007';
export const IMAGING_CATEGORY = '363679005';
/** Hours within which the same order is a likely duplicate. */
export const DUPLICATE_WINDOW_HOURS: Readonly<Record<'laboratory' | 'imaging' | 'other', number>> = {
  laboratory: 24,
  imaging: 7 * 24,
  other: 24,
};

export function categoryOf(sr: fhir4.ServiceRequest): 'laboratory' | 'imaging' | 'other' {
  const codes = (sr.category ?? []).flatMap((c) =>
    (c.coding ?? []).filter((x) => !x.system || x.system === SNOMED).map((x) => x.code),
  );
  if (codes.includes(LAB_CATEGORY)) return 'laboratory';
  if (codes.includes(IMAGING_CATEGORY)) return 'imaging';
  return 'other';
}

const codeKeys = (sr: fhir4.ServiceRequest) =>
  (sr.code?.coding ?? []).filter((c) => c.code).map((c) => `${c.system ?? ''}|${c.code}`);
const nameOf = (sr: fhir4.ServiceRequest) =>
  sr.code?.text ?? sr.code?.coding?.find((c) => c.display)?.display ?? sr.code?.coding?.[0]?.code ?? 'order';

export interface DuplicateOrder {
  draft: fhir4.ServiceRequest;
  existing: fhir4.ServiceRequest;
  category: 'laboratory' | 'imaging' | 'other';
  hoursApart: number;
}

export function duplicateOrders(
  drafts: readonly fhir4.ServiceRequest[],
  existing: readonly fhir4.ServiceRequest[],
  now: Date,
): DuplicateOrder[] {
  const out: DuplicateOrder[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    const keys = new Set(codeKeys(d));
    if (!keys.size) continue;
    const category = categoryOf(d);
    const windowMs = DUPLICATE_WINDOW_HOURS[category] * 3_600_000;
    const sameCode = (o: fhir4.ServiceRequest) => codeKeys(o).some((k) => keys.has(k));
    const prior =
      existing.find((o) => {
        if (o.id === d.id || !['active', 'completed', 'on-hold'].includes(o.status) || !sameCode(o)) return false;
        const at = Date.parse(o.authoredOn ?? o.occurrenceDateTime ?? '');
        return Number.isFinite(at) && now.getTime() - at <= windowMs && at - now.getTime() <= windowMs;
      }) ?? drafts.slice(0, i).find(sameCode);
    if (prior) {
      const at = Date.parse(prior.authoredOn ?? prior.occurrenceDateTime ?? '');
      out.push({
        draft: d,
        existing: prior,
        category,
        hoursApart: Number.isFinite(at) ? Math.round(Math.abs(now.getTime() - at) / 3_600_000) : 0,
      });
    }
  }
  return out;
}

export function duplicateOrderCard(dup: DuplicateOrder): CardDraft {
  const name = nameOf(dup.draft);
  const inBundle = dup.existing.status === 'draft';
  return {
    ruleId: `duplicate-order:${dup.category}`,
    indicator: 'warning',
    summary: clampSummary(
      `Duplicate order: ${name} ${inBundle ? 'is ordered twice' : `was already ordered ${dup.hoursApart} h ago`}`,
    ),
    detail: inBundle
      ? `The draft orders contain **${name}** more than once.`
      : `**${name}** (${dup.category}) was ordered ${dup.hoursApart} hours ago (status: ${dup.existing.status}); the duplicate window for ${dup.category} orders is ${DUPLICATE_WINDOW_HOURS[dup.category]} hours.`,
    source: source(`duplicate-order:${dup.category}`, 'Duplicate order'),
    ...(dup.draft.id
      ? {
          suggestions: [
            {
              label: `Remove the new ${name} order`,
              isRecommended: true,
              actions: [
                {
                  type: 'delete' as const,
                  description: `Remove the draft order for ${name}`,
                  resourceId: `ServiceRequest/${dup.draft.id}`,
                },
              ],
            },
          ],
        }
      : {}),
    overrideReasons: ORDER_OVERRIDE_REASONS,
  };
}
