import type { DrugSafetyFinding, PrescriberOverride, SigDetail } from '@wintehr/contracts';

/**
 * What the pharmacist reads beside the findings (pure): which prescriber override covers a finding of the fresh
 * screen, and the structured sig in words.
 */

/**
 * The override that covers a finding: the same interaction rule (drug-drug), or the same finding id (other kinds,
 * whose ids the prescriber's screen and this one build alike).
 */
export function overrideFor(
  f: Pick<DrugSafetyFinding, 'id' | 'ruleId'>,
  overrides: readonly PrescriberOverride[] | undefined,
): PrescriberOverride | undefined {
  return overrides?.find(
    (o) => (f.ruleId && o.ruleIds.includes(f.ruleId)) || o.findingIds.includes(f.id) || o.ruleIds.includes(f.id),
  );
}

const PERIOD: Record<string, [string, string]> = {
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  wk: ['week', 'weeks'],
  mo: ['month', 'months'],
};

/** "25 mg · Oral · 2 times every 1 day · as needed for pain · max 100 mg/day" from the structured dosage. */
export function structuredSig(s: SigDetail | undefined): string | undefined {
  if (!s) return undefined;
  const parts: string[] = [];
  if (s.dose) parts.push(`${s.dose.value} ${s.dose.unit}`);
  if (s.route) parts.push(s.route);
  if (s.frequency !== undefined && s.period !== undefined && s.periodUnit) {
    const [one, many] = PERIOD[s.periodUnit] ?? [s.periodUnit, s.periodUnit];
    const every = s.period === 1 ? `every ${one}` : `every ${s.period} ${many}`;
    parts.push(s.frequency === 1 ? every : `${s.frequency} times ${every}`);
  }
  if (s.asNeeded) parts.push(typeof s.asNeeded === 'string' ? `as needed for ${s.asNeeded}` : 'as needed');
  if (s.maxDosePerDay) parts.push(`max ${s.maxDosePerDay.value} ${s.maxDosePerDay.unit}/day`);
  return parts.length ? parts.join(' · ') : undefined;
}
