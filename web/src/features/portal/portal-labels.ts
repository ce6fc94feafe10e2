import type { PortalAccessEntry, PortalRecord, PortalRequest } from '@wintehr/contracts';

/** Words for the portal's states: said in text, never by colour alone. */

export const POSITION_LABEL = {
  below: 'Below normal',
  within: 'Normal',
  above: 'Above normal',
  unknown: 'No range',
} as const;
export type Position = keyof typeof POSITION_LABEL;

export const ACCESS_KIND_LABEL: Record<PortalAccessEntry['kind'], string> = {
  read: 'Viewed',
  write: 'Changed',
  'break-glass': 'Emergency access',
};

export const REQUEST_STATUS_LABEL: Record<PortalRequest['status'], string> = {
  open: 'Waiting for your care team',
  answered: 'Answered',
  approved: 'Approved',
  denied: 'Not approved',
};

/** "No known allergies" is a statement your care team made; "not recorded" means nobody has asked yet. */
export function allergySummary(a: PortalRecord['allergies']): string | undefined {
  if (a.state === 'no-known-allergies') return 'No known allergies (your care team recorded that you have none).';
  if (a.state === 'not-recorded')
    return 'Allergies have not been recorded yet. Tell your care team at your next visit.';
  return undefined;
}

/** The trend of one test in a sentence, for screen readers and for anyone who prefers words to a line. */
export function trendSentence(
  name: string,
  points: ReadonlyArray<{ date: string; value: number }>,
  unit: string | null,
) {
  if (points.length < 2) return `${name}: this is your only result so far.`;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const u = unit ? ` ${unit}` : '';
  const way = last.value > first.value ? 'gone up' : last.value < first.value ? 'gone down' : 'stayed the same';
  return `${name} has ${way} over ${points.length} results, from ${first.value}${u} on ${first.date.slice(0, 10)} to ${last.value}${u} on ${last.date.slice(0, 10)}.`;
}
