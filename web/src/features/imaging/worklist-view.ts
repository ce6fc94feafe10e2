import type {
  ImagingPriority,
  ImagingReportState,
  ImagingWorklistFilter,
  ImagingWorklistItem,
} from '@wintehr/contracts';

/** Display helpers of the reading worklist. Pure. */

export const WORKLIST_FILTERS: ReadonlyArray<{ id: ImagingWorklistFilter; label: string }> = [
  { id: 'unreported', label: 'Unreported' },
  { id: 'all', label: 'All' },
];

export const isWorklistFilter = (v: string | null): v is ImagingWorklistFilter =>
  WORKLIST_FILTERS.some((f) => f.id === v);

export const PRIORITY_LABELS: Record<ImagingPriority, string> = {
  stat: 'STAT',
  asap: 'ASAP',
  urgent: 'Urgent',
  routine: 'Routine',
};

type ChipColor = 'error' | 'warning' | 'info' | 'default' | 'success';

/** Colour only repeats the chip's text (never the sole cue); routine stays quiet so urgency stands out. */
export const PRIORITY_COLORS: Record<ImagingPriority, ChipColor> = {
  stat: 'error',
  asap: 'warning',
  urgent: 'info',
  routine: 'default',
};

export const REPORT_STATE_LABELS: Record<ImagingReportState, string> = {
  none: 'Not reported',
  preliminary: 'Preliminary',
  final: 'Signed',
};

export const REPORT_STATE_COLORS: Record<ImagingReportState, ChipColor> = {
  none: 'default',
  preliminary: 'warning',
  final: 'success',
};

export function patientLabel(p: ImagingWorklistItem['patient']): string {
  return p.name ?? `Patient ${p.id}`;
}

export function studyLabel(i: Pick<ImagingWorklistItem, 'description' | 'order' | 'modalities'>): string {
  const what = i.description ?? i.order?.code ?? 'Study';
  return i.modalities.length ? `${i.modalities.join(', ')} · ${what}` : what;
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 hours ago", "2 days ago"; under a minute is "just now". Empty for a missing or unreadable date. */
export function relativeTime(iso: string | undefined, now: Date, locale = 'en'): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return '';
  const seconds = Math.round((t - now.getTime()) / 1000);
  const fmt = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return fmt.format(Math.trunc(seconds / size), unit);
  }
  return 'just now';
}

/** The chart's Imaging tab, with the study to point at when one is named (the tab highlights that row). */
export const chartImagingPath = (patientId: string, studyId?: string): string =>
  `/patients/${encodeURIComponent(patientId)}/imaging${studyId ? `?study=${encodeURIComponent(studyId)}` : ''}`;

export function emptyText(filter: ImagingWorklistFilter): string {
  return filter === 'unreported'
    ? 'No studies are waiting for a report.'
    : 'No imaging studies have been filed recently.';
}

/** "12 studies", or a note that only the newest studies were looked at. */
export function countText(list: { items: readonly unknown[]; scanned: number; truncated: boolean }): string {
  const n = list.items.length;
  const base = `${n} stud${n === 1 ? 'y' : 'ies'}`;
  return list.truncated ? `${base} (from the ${list.scanned} most recent studies)` : base;
}

/** The home card's line: how many studies wait, and how many of them are STAT. */
export function waitingText(items: ReadonlyArray<Pick<ImagingWorklistItem, 'priority'>>): string {
  const n = items.length;
  if (n === 0) return 'No studies are waiting for a report.';
  const stat = items.filter((i) => i.priority === 'stat').length;
  return `${n} stud${n === 1 ? 'y' : 'ies'} waiting for a report${stat ? ` (${stat} STAT)` : ''}.`;
}
