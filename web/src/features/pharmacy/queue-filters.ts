import type { DrugSeverity as Severity, OrderPriority as Priority, QueueItem, QueueStatus } from '@wintehr/contracts';

/** The queue views: the API's `status` parameter takes these ids as they are. */
export const QUEUE_FILTERS = [
  { id: 'open', label: 'Open', statuses: ['queued', 'claimed', 'verified', 'partially_dispensed'] },
  { id: 'queued', label: 'Queued', statuses: ['queued'] },
  { id: 'claimed', label: 'Claimed', statuses: ['claimed'] },
  { id: 'verified', label: 'Verified', statuses: ['verified'] },
  { id: 'partially_dispensed', label: 'Partly filled', statuses: ['partially_dispensed'] },
  { id: 'dispensed', label: 'Dispensed', statuses: ['dispensed'] },
  { id: 'returned', label: 'Returned', statuses: ['returned'] },
  {
    id: 'all',
    label: 'All',
    statuses: ['queued', 'claimed', 'verified', 'partially_dispensed', 'dispensed', 'returned'],
  },
] as const satisfies ReadonlyArray<{ id: string; label: string; statuses: readonly QueueStatus[] }>;

export type QueueFilterId = (typeof QUEUE_FILTERS)[number]['id'];

export function isQueueFilter(v: string | null | undefined): v is QueueFilterId {
  return QUEUE_FILTERS.some((f) => f.id === v);
}

export function statusesOf(filter: QueueFilterId): readonly QueueStatus[] {
  return QUEUE_FILTERS.find((f) => f.id === filter)!.statuses;
}

export const STATUS_LABELS: Record<QueueStatus, string> = {
  queued: 'Queued',
  claimed: 'Claimed',
  verified: 'Verified',
  partially_dispensed: 'Partly filled',
  dispensed: 'Dispensed',
  returned: 'Returned',
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  routine: 'Routine',
  urgent: 'Urgent',
  asap: 'ASAP',
  stat: 'STAT',
};

const SEVERITY_RANK: Record<Severity, number> = { contraindicated: 4, major: 3, moderate: 2, minor: 1, info: 0 };

export const SEVERITY_LABELS: Record<Severity, string> = {
  contraindicated: 'Contraindicated',
  major: 'Major',
  moderate: 'Moderate',
  minor: 'Minor',
  info: 'Information',
};

/** Chip colours of the theme's AA palette (MUI's default info blue is too light for white text). */
export function severityColor(s: Severity): 'error' | 'warning' | 'default' {
  if (s === 'contraindicated' || s === 'major') return 'error';
  return s === 'moderate' ? 'warning' : 'default';
}

/** The most severe finding of an item, for the queue's at-a-glance column. */
export function worstSeverity(findings: readonly { severity: Severity }[] | undefined): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings ?? []) if (!worst || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

/** Who holds an item, as the pharmacist reads it (the API gives user ids; another pharmacist stays anonymous). */
export function holderText(item: Pick<QueueItem, 'claimedBy' | 'claimedByMe'>): string {
  if (!item.claimedBy) return 'Unclaimed';
  return item.claimedByMe ? 'You' : 'Another pharmacist';
}

export function quantityText(q: { value: number; unit?: string; code?: string } | undefined): string {
  if (!q) return '—';
  const unit = (q.unit ?? q.code ?? '').replace(/^\{(.*)\}$/, '$1');
  return `${q.value}${unit ? ` ${unit}` : ''}`;
}
