// The date checks requests use are part of the wire contract (packages/contracts/src/fhir.ts).
import { isRealDate } from '@wintehr/contracts';

export { isRealDate, PastDate, PastDateOrDateTime, PastDateTime } from '@wintehr/contracts';

/** Whole years between a birth date and `on` (both calendar dates). */
export function ageOn(birthDate: string, on: Date = new Date()): number | undefined {
  if (!isRealDate(birthDate)) return undefined;
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = on.getUTCFullYear() - y;
  if (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d)) age--;
  return age;
}
