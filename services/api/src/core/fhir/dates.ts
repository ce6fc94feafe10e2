import { z } from 'zod';

/** True when YYYY-MM-DD names a real calendar day (no 2023-02-30). */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Whole years between a birth date and `on` (both calendar dates). */
export function ageOn(birthDate: string, on: Date = new Date()): number | undefined {
  if (!isRealDate(birthDate)) return undefined;
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = on.getUTCFullYear() - y;
  if (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d)) age--;
  return age;
}

const today = () => new Date().toISOString().slice(0, 10);

/** A real calendar date, not in the future, not before 1900. */
export const PastDate = z.string().refine(isRealDate, 'a real date as YYYY-MM-DD')
  .refine((s) => s <= today(), 'cannot be in the future').refine((s) => s >= '1900-01-01', 'cannot be before 1900');

/** An instant (ISO 8601 with offset) that is not in the future (5 minutes of clock skew allowed). */
export const PastDateTime = z.iso.datetime({ offset: true })
  .refine((s) => isRealDate(s.slice(0, 10)), 'a real date')
  .refine((s) => Date.parse(s) <= Date.now() + 5 * 60_000, 'cannot be in the future');

/** A date or an instant, not in the future (onset, occurrence). */
export const PastDateOrDateTime = z.union([PastDate, PastDateTime]);
