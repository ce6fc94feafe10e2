import { addDays, localDate, zoneOffsetMs } from '../schedule/day';

/**
 * Which free Slots a Schedule should offer: fixed-length slots in clinic hours on working days of the clinic's time
 * zone, over a rolling horizon, leaving out times already taken (a booked appointment, an existing slot). Pure.
 */

export interface ClinicHours {
  /** ISO weekdays the clinic sees patients (1 = Monday … 7 = Sunday). */
  weekdays: readonly number[];
  /** Sessions as local "HH:MM" start/end, e.g. a morning and an afternoon around lunch. */
  sessions: readonly { start: string; end: string }[];
  slotMinutes: number;
}

export const DEFAULT_CLINIC_HOURS: ClinicHours = {
  weekdays: [1, 2, 3, 4, 5],
  sessions: [
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '17:00' },
  ],
  slotMinutes: 20,
};

export interface Interval {
  start: Date;
  end: Date;
}

const minutesOf = (hhmm: string): number => {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`invalid clinic time ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

/** The instant a local wall-clock time on a local date happens (two passes settle a DST change that day). */
export function localInstant(date: string, minutes: number, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, 0, minutes);
  let at = wall - zoneOffsetMs(new Date(wall), timeZone);
  at = wall - zoneOffsetMs(new Date(at), timeZone);
  return new Date(at);
}

/** ISO weekday of a calendar date. */
const isoWeekday = (date: string): number => {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
};

/** Every slot of the clinic hours from the local day of `now` for `days` days, later than `now` only. */
export function clinicSlots(o: { now: Date; days: number; timeZone: string; hours?: ClinicHours }): Interval[] {
  const hours = o.hours ?? DEFAULT_CLINIC_HOURS;
  if (hours.slotMinutes <= 0) throw new RangeError('slotMinutes must be positive');
  const first = localDate(o.now, o.timeZone);
  const out: Interval[] = [];
  for (let i = 0; i < o.days; i++) {
    const date = addDays(first, i);
    if (!hours.weekdays.includes(isoWeekday(date))) continue;
    for (const s of hours.sessions) {
      const end = minutesOf(s.end);
      for (let m = minutesOf(s.start); m + hours.slotMinutes <= end; m += hours.slotMinutes) {
        const start = localInstant(date, m, o.timeZone);
        if (start.getTime() <= o.now.getTime()) continue;
        out.push({ start, end: localInstant(date, m + hours.slotMinutes, o.timeZone) });
      }
    }
  }
  return out;
}

const overlaps = (a: Interval, b: Interval) =>
  a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();

/**
 * The slots still to create: not overlapping a taken interval (booked appointments of the practitioner, slots the
 * schedule already has in any state). Taken intervals are few per day, so the quadratic check stays small.
 */
export function slotsToCreate(wanted: readonly Interval[], taken: readonly Interval[]): Interval[] {
  return wanted.filter((w) => !taken.some((t) => overlaps(w, t)));
}

/** The identifier value that makes a slot's conditional create idempotent: its schedule and start instant. */
export const slotKey = (scheduleId: string, start: Date): string =>
  `${scheduleId}-${start.toISOString().replace(/\.000Z$/, 'Z')}`;
