/**
 * Pure: the reporting period of the controlled-substance log. The pharmacist picks calendar days in their own
 * time zone; the API is asked for the exact instants (local midnight of the first day up to local midnight after
 * the last), since its bare dates would mean UTC days and shift entries near midnight into the wrong period.
 */

/** Inclusive calendar days, YYYY-MM-DD. */
export interface CsPeriod {
  from: string;
  to: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A Date's calendar day in the local time zone. */
export function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Local midnight of a YYYY-MM-DD day, or undefined when it is not a real date (2026-02-30). */
function localMidnight(day: string): Date | undefined {
  const m = DAY.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d);
  return date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d ? date : undefined;
}

/** The calendar month of `now` (offset −1: the month before), first to last day. */
export function monthPeriod(now: Date, offsetMonths = 0): CsPeriod {
  const first = new Date(now.getFullYear(), now.getMonth() + offsetMonths, 1);
  const last = new Date(first.getFullYear(), first.getMonth() + 1, 0);
  return { from: localDay(first), to: localDay(last) };
}

/** Why a period cannot be reported, keyed by the field to show it on; empty when it is fine. */
export function periodProblems(p: CsPeriod): Partial<Record<keyof CsPeriod, string>> {
  const out: Partial<Record<keyof CsPeriod, string>> = {};
  const from = localMidnight(p.from);
  const to = localMidnight(p.to);
  if (!from) out.from = 'A date (YYYY-MM-DD)';
  if (!to) out.to = 'A date (YYYY-MM-DD)';
  if (from && to && to < from) out.to = 'The last day cannot be before the first';
  return out;
}

/** The API's query for a valid period: `from` inclusive and `to` exclusive, as instants with offset. */
export function periodQuery(p: CsPeriod): { from: string; to: string } {
  const from = localMidnight(p.from);
  const last = localMidnight(p.to);
  if (!from || !last) throw new Error(`invalid period ${p.from} – ${p.to}`);
  // The next calendar day, not +24 h: a daylight-saving change makes one day 23 or 25 hours long.
  const end = new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
  return { from: from.toISOString(), to: end.toISOString() };
}

/** The period in the page's address (?from=&to=), or this month when absent; a bad value is kept to show its problem. */
export function periodFromSearch(params: URLSearchParams, now: Date): CsPeriod {
  const month = monthPeriod(now);
  return { from: params.get('from') ?? month.from, to: params.get('to') ?? month.to };
}

/** "1 Nov 2026 – 30 Nov 2026" style, in the reader's locale. */
export function periodLabel(p: CsPeriod, locale?: string): string {
  const fmt = (day: string) => localMidnight(day)?.toLocaleDateString(locale, { dateStyle: 'medium' }) ?? day;
  return p.from === p.to ? fmt(p.from) : `${fmt(p.from)} – ${fmt(p.to)}`;
}
