import type { ProxyGrantStatus } from '@wintehr/contracts';

/**
 * What a proxy grant allows today, from the subject's age in the clinic's time zone (issue 16):
 * - granted while the subject was a minor: under 12 → full (everything the subject could see); 12–17 → limited
 *   (see portal-policy.ts: adolescents have confidential care their parents do not read); the grant ends by itself
 *   on the 18th birthday;
 * - granted on or after the 18th birthday (an adult's caregiver, or a parent re-granted with the adult's consent):
 *   full, not age-limited, until revoked or its end date.
 * A birthday counts from the start of that day where the clinic is; someone born on 29 February has a birthday on
 * 1 March in common years (the day after 28 February, when they have completed the year).
 */

export const FULL_UNTIL_AGE = 12;
export const ADULT_AGE = 18;

export interface GrantFacts {
  /** Subject's Patient.birthDate (YYYY, YYYY-MM or YYYY-MM-DD); undefined when the chart has none. */
  birthDate: string | undefined;
  grantedAt: Date;
  validUntil: Date | null;
  revokedAt: Date | null;
}

export type GrantState =
  { status: 'active'; tier: 'full' | 'limited' } | { status: Exclude<ProxyGrantStatus, 'active'> };

interface Day {
  y: number;
  m: number;
  d: number;
}

/** The calendar day an instant falls on in the given IANA time zone. */
export function localDay(at: Date, timeZone: string): Day {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(at)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day) };
}

/**
 * FHIR birthDate may be partial; a partial date is read as its earliest possible day (1st of the month or 1 January),
 * so with an uncertain age the limited tier and the end at 18 come early rather than late (the child's privacy wins).
 */
export function parseBirthDate(birthDate: string): Day | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(birthDate);
  if (!m) return undefined;
  const y = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 1;
  const day = m[3] ? Number(m[3]) : 1;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return { y, m: month, d: day };
}

/** Completed years between birth and the given day (birthday on 29 Feb counts from 1 Mar in common years). */
export function ageOn(birth: Day, on: Day): number {
  const before = on.m < birth.m || (on.m === birth.m && on.d < birth.d);
  return on.y - birth.y - (before ? 1 : 0);
}

export function grantState(g: GrantFacts, now: Date, timeZone: string): GrantState {
  if (g.revokedAt && g.revokedAt.getTime() <= now.getTime()) return { status: 'revoked' };
  if (g.validUntil && g.validUntil.getTime() <= now.getTime()) return { status: 'expired' };
  const birth = g.birthDate ? parseBirthDate(g.birthDate) : undefined;
  // Without a birth date the age rules cannot be applied safely: treated as an adult's grant, which staff made
  // knowingly (the chart shows the missing date); a minor's chart always carries one.
  if (!birth) return { status: 'active', tier: 'full' };
  if (ageOn(birth, localDay(g.grantedAt, timeZone)) >= ADULT_AGE) return { status: 'active', tier: 'full' };
  const age = ageOn(birth, localDay(now, timeZone));
  if (age >= ADULT_AGE) return { status: 'aged-out' };
  return { status: 'active', tier: age < FULL_UNTIL_AGE ? 'full' : 'limited' };
}
