/**
 * The mail simulator's inbox (scripts/e2e.sh exports E2E_MAIL_URL): patient sign-in codes, portal invitations and
 * password-reset links are read from it, as a patient would read their email.
 */
export const MAIL_URL = process.env.E2E_MAIL_URL ?? 'http://127.0.0.1:8093';

export interface InboxMail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

export async function inbox(to?: string): Promise<InboxMail[]> {
  const res = await fetch(`${MAIL_URL}/messages${to ? `?to=${encodeURIComponent(to)}` : ''}`);
  if (!res.ok) throw new Error(`mail simulator ${MAIL_URL} → ${res.status}`);
  return ((await res.json()) as { messages: InboxMail[] }).messages;
}

/** Does an address fit the masked form the app shows ("m***@example.org")? */
export function fitsMasked(address: string, masked: string): boolean {
  const [first, domain] = [masked[0]?.toLowerCase(), masked.slice(masked.lastIndexOf('@') + 1).toLowerCase()];
  return address.toLowerCase().startsWith(first ?? '') && address.toLowerCase().endsWith(`@${domain}`);
}

/**
 * The newest message matching `pick` that arrived at or after `since`, waiting for it (delivery is asynchronous).
 */
export async function waitForMail(
  pick: (m: InboxMail) => boolean,
  since: Date,
  timeoutMs = 15_000,
): Promise<InboxMail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await inbox()).find((m) => new Date(m.receivedAt) >= since && pick(m));
    if (found) return found;
    if (Date.now() > until) throw new Error(`no matching mail in ${MAIL_URL} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The 6-digit sign-in code mailed to the address shown masked as `sentTo`, sent at or after `since`. */
export async function mailedCode(sentTo: string, since: Date): Promise<string> {
  const mail = await waitForMail(
    (m) => /sign-in code/i.test(m.subject) && m.to.some((t) => fitsMasked(t, sentTo)),
    since,
  );
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  if (!code) throw new Error('the sign-in mail carries no 6-digit code');
  return code;
}

/** The link (path and query) in a mail, e.g. /portal/activate?token=… */
export function linkIn(text: string, path: string): string {
  const m = new RegExp(`https?://[^\\s]+(${path.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9_-]+)`).exec(text);
  if (!m?.[1]) throw new Error(`no ${path} link in the mail`);
  return m[1];
}
