/**
 * Calendar days in the clinic's time zone. A schedule day and "tomorrow" for the nightly eligibility batch are local
 * days, while HAPI stores instants: these turn one into the other with the platform's Intl time-zone data. Pure.
 */
const parts = (at: Date, timeZone: string) => {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
};

/** The zone's offset from UTC at an instant, in ms (east positive). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const p = parts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(at: Date, timeZone: string): string {
  const p = parts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** A calendar date plus n days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The instant local midnight begins on a date (DST aware: the offset is taken at that midnight). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  let start = guess - zoneOffsetMs(new Date(guess), timeZone);
  // A second pass settles days where the offset changes between UTC midnight and local midnight.
  start = guess - zoneOffsetMs(new Date(start), timeZone);
  return new Date(start);
}

/** [start, end) of a local day as instants. */
export function localDayRange(date: string, timeZone: string): { start: Date; end: Date } {
  return { start: startOfLocalDay(date, timeZone), end: startOfLocalDay(addDays(date, 1), timeZone) };
}

/** The local date after the one an instant falls on: what the nightly batch checks ("tomorrow" where the clinic is). */
export function dayAfter(at: Date, timeZone: string): string {
  return addDays(localDate(at, timeZone), 1);
}
