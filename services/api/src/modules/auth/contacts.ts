import type { OtpChannel, OtpDestination } from '@wintehr/contracts';

/** Where a patient can be reached, from the Patient's telecom in HAPI (never from a request). */
export interface PatientContacts {
  email?: string;
  /** E.164, for text messages. */
  sms?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A phone number as E.164: kept when already international, +1 added to a 10-digit (NANP) number. */
export function toE164(raw: string): string | undefined {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/[^\d]/g, '');
  if (trimmed.startsWith('+')) return E164.test(`+${digits}`) ? `+${digits}` : undefined;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return undefined;
}

const active = (t: fhir4.ContactPoint, now: Date) => !t.period?.end || new Date(t.period.end) > now;

/**
 * The first usable email, and the first mobile number for texts (a `sms` ContactPoint, else a phone marked
 * `mobile`); ranked contact points come first, ended ones are ignored.
 */
export function contactsOf(patient: Pick<fhir4.Patient, 'telecom'>, now = new Date()): PatientContacts {
  const points = (patient.telecom ?? [])
    .filter((t) => t.value && active(t, now))
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER));
  const email = points
    .find((t) => t.system === 'email' && EMAIL.test(t.value!.trim()))
    ?.value?.trim()
    .toLowerCase();
  const texts = [
    ...points.filter((t) => t.system === 'sms'),
    ...points.filter((t) => t.system === 'phone' && t.use === 'mobile'),
  ];
  const sms = texts.map((t) => toE164(t.value!)).find(Boolean);
  return { ...(email ? { email } : {}), ...(sms ? { sms } : {}) };
}

/** "m***@example.org": enough for the owner to recognise, too little to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** "***-***-1234" */
export function maskPhone(phone: string): string {
  return `***-***-${phone.replace(/\D/g, '').slice(-4)}`;
}

export function mask(channel: OtpChannel, to: string): string {
  return channel === 'email' ? maskEmail(to) : maskPhone(to);
}

/** Email first (works on every device), then SMS. */
export function destinationsOf(c: PatientContacts): Array<OtpDestination & { to: string }> {
  const out: Array<OtpDestination & { to: string }> = [];
  if (c.email) out.push({ channel: 'email', to: c.email, sentTo: maskEmail(c.email) });
  if (c.sms) out.push({ channel: 'sms', to: c.sms, sentTo: maskPhone(c.sms) });
  return out;
}
