import { z } from 'zod';
import { isTimeZone } from './day';

/**
 * The clinic's time zone (IANA name, `CLINIC_TIME_ZONE`, default UTC, the zone the demo data's appointment times
 * are written in): what "today" and "tomorrow" mean for schedules and the nightly eligibility batch. Read once and
 * refused at start when the platform does not know the zone.
 */
const TimeZone = z.string().refine(isTimeZone, 'an IANA time zone such as America/Chicago');

export function clinicTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const r = TimeZone.safeParse(env.CLINIC_TIME_ZONE ?? 'UTC');
  if (!r.success) throw new Error(`Invalid configuration: CLINIC_TIME_ZONE: ${r.error.issues[0]!.message}`);
  return r.data;
}
