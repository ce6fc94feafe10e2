import type { NotifyMessage } from '../../core/notify/notifier';

/**
 * The reminder a patient gets before a booked visit: when, with whom and where, and how to change it. Nothing
 * else of the record (no reason for the visit): a text or an email may be read by someone else. Pure.
 */

const HOUR_MS = 3_600_000;

/** When the reminder is due, or undefined when that moment has already passed (a visit booked at short notice). */
export function reminderDelayMs(start: string | undefined, reminderHours: number, now: Date): number | undefined {
  const at = Date.parse(start ?? '');
  if (!Number.isFinite(at)) return undefined;
  const delay = at - reminderHours * HOUR_MS - now.getTime();
  return delay > 0 ? delay : undefined;
}

/** Where to send it: the patient's email, else a mobile phone by SMS; none when the patient left neither. */
export function reminderAddress(p: fhir4.Patient): { channel: 'email' | 'sms'; to: string } | undefined {
  const live = (p.telecom ?? []).filter((t) => t.value && t.use !== 'old' && !t.period?.end);
  const email = live.find((t) => t.system === 'email');
  if (email?.value) return { channel: 'email', to: email.value };
  const mobile = live.find((t) => (t.system === 'sms' || t.system === 'phone') && t.use === 'mobile');
  if (mobile?.value) return { channel: 'sms', to: mobile.value };
  return undefined;
}

export function reminderMessage(o: {
  address: { channel: 'email' | 'sms'; to: string };
  start: string;
  timeZone: string;
  practitionerName?: string;
  locationName?: string;
}): NotifyMessage {
  const when = new Intl.DateTimeFormat('en-US', {
    timeZone: o.timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(o.start));
  const withWhom = o.practitionerName ? ` with ${o.practitionerName}` : '';
  const where = o.locationName ? ` at ${o.locationName}` : '';
  return {
    channel: o.address.channel,
    to: o.address.to,
    subject: 'Appointment reminder',
    text: `Reminder: you have an appointment${withWhom} on ${when}${where}. To cancel or reschedule, sign in to the patient portal.`,
  };
}
