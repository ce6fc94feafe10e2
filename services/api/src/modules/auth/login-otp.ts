import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { OtpChannel, OtpDestination, OtpResendResult } from '@wintehr/contracts';
import type { AppConfig } from '../../core/config';
import { AppError } from '../../core/errors';
import type { FhirClient } from '../../core/fhir/fhir-client';
import type { Notifier } from '../../core/notify/notifier';
import type { UserRow } from '../../core/auth/users.repository';
import { contactsOf, destinationsOf } from './contacts';
import {
  challengeState,
  codeMatches,
  hashCode,
  hashToken,
  newCode,
  newLinkToken,
  resendWait,
} from './one-time-secrets';

interface ChallengeRow {
  id: string;
  user_id: string;
  code_hash: string;
  channel: OtpChannel;
  expires_at: Date;
  last_sent_at: Date;
  attempts: number;
  consumed_at: Date | null;
}

export interface OtpChallenge {
  otpToken: string;
  channel: OtpChannel;
  sentTo: string;
  channels: OtpDestination[];
  expiresIn: number;
  resendAfterSeconds: number;
}

/** Why a code was refused; the caller audits it. */
export type OtpFailure = 'invalid' | 'expired' | 'consumed' | 'locked' | 'unknown';

const NO_CONTACT = () =>
  new AppError(
    403,
    'NO_CONTACT_ON_FILE',
    'No email address or mobile number is on file to send a sign-in code to; please contact the practice',
  );
const SEND_FAILED = () =>
  new AppError(503, 'NOTIFY_UNAVAILABLE', 'The sign-in code could not be sent right now; try again in a minute');

/**
 * The second sign-in step of patient accounts: a 6-digit code by email or text message to the contact on file in
 * HAPI. The code is stored only as a keyed hash; it lives PORTAL_OTP_TTL_MINUTES, allows PORTAL_OTP_MAX_ATTEMPTS
 * tries and one success; a new code (same or other channel) replaces it after a cool-down.
 */
export class LoginOtp {
  constructor(
    private readonly pg: Pool,
    private readonly fhir: FhirClient,
    private readonly notify: Notifier,
    private readonly cfg: AppConfig['portalAccounts'],
    private readonly key: Buffer,
  ) {}

  private async destinations(user: UserRow) {
    if (!user.fhir_patient_id) return [];
    // A chart that is gone has no contacts either (the caller answers NO_CONTACT_ON_FILE, not a 404 about HAPI).
    const patient = await this.fhir.read('Patient', user.fhir_patient_id).catch((err: unknown) => {
      if (err instanceof AppError && err.status === 404) return undefined;
      throw err;
    });
    return patient ? destinationsOf(contactsOf(patient)) : [];
  }

  private async deliver(to: string, channel: OtpChannel, code: string): Promise<void> {
    const minutes = Math.round(this.cfg.otpTtlSeconds / 60);
    const text = `Your WintEHR sign-in code is ${code}. It expires in ${minutes} minutes. Never share it; the practice will never ask for it.`;
    await this.notify.send({ channel, to, subject: 'Your WintEHR sign-in code', text }).catch(() => {
      throw SEND_FAILED();
    });
  }

  /** Sends a code after a correct password; `channel` picks among the destinations on file (default: the first). */
  async start(user: UserRow, channel?: OtpChannel): Promise<OtpChallenge> {
    const all = await this.destinations(user);
    const dest = all.find((d) => !channel || d.channel === channel) ?? all[0];
    if (!dest) throw NO_CONTACT();
    const id = randomUUID();
    const token = newLinkToken();
    const code = newCode();
    // One live challenge per user: an older one stops working when a new password step succeeds.
    await this.pg.query(
      'UPDATE login_otp_challenges SET consumed_at = now() WHERE user_id = $1 AND consumed_at IS NULL',
      [user.id],
    );
    await this.pg.query(
      `INSERT INTO login_otp_challenges (id, user_id, token_hash, code_hash, channel, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
      [id, user.id, hashToken(token), hashCode(this.key, id, code), dest.channel, this.cfg.otpTtlSeconds],
    );
    await this.deliver(dest.to, dest.channel, code);
    return {
      otpToken: token,
      channel: dest.channel,
      sentTo: dest.sentTo,
      channels: all.map(({ channel: c, sentTo }) => ({ channel: c, sentTo })),
      expiresIn: this.cfg.otpTtlSeconds,
      resendAfterSeconds: this.cfg.otpResendSeconds,
    };
  }

  private async byToken(otpToken: string): Promise<ChallengeRow | undefined> {
    return (
      await this.pg.query<ChallengeRow>('SELECT * FROM login_otp_challenges WHERE token_hash = $1', [
        hashToken(otpToken),
      ])
    ).rows[0];
  }

  /**
   * Checks a code. The attempt is counted atomically before comparing, so parallel guesses cannot exceed the
   * budget; success consumes the challenge in the same statement that checks it is still open.
   */
  async verify(
    otpToken: string,
    code: string,
  ): Promise<{ ok: true; userId: string } | { ok: false; reason: OtpFailure; userId?: string }> {
    const row = await this.byToken(otpToken);
    if (!row) return { ok: false, reason: 'unknown' };
    const { rows } = await this.pg.query<ChallengeRow>(
      `UPDATE login_otp_challenges SET attempts = attempts + 1
       WHERE id = $1 AND consumed_at IS NULL AND attempts < $2 AND expires_at > now() RETURNING *`,
      [row.id, this.cfg.otpMaxAttempts],
    );
    const live = rows[0];
    if (!live) {
      const state = challengeState(row, this.cfg.otpMaxAttempts);
      return { ok: false, reason: state === 'usable' ? 'locked' : state, userId: row.user_id };
    }
    if (!codeMatches(this.key, live.id, code, live.code_hash)) {
      return {
        ok: false,
        reason: live.attempts >= this.cfg.otpMaxAttempts ? 'locked' : 'invalid',
        userId: row.user_id,
      };
    }
    const used = await this.pg.query(
      'UPDATE login_otp_challenges SET consumed_at = now() WHERE id = $1 AND consumed_at IS NULL',
      [live.id],
    );
    if (!used.rowCount) return { ok: false, reason: 'consumed', userId: row.user_id };
    return { ok: true, userId: row.user_id };
  }

  /** A new code for the same sign-in (after the cool-down), optionally on another channel on file. */
  async resend(otpToken: string, user: UserRow, channel?: OtpChannel): Promise<OtpResendResult> {
    const row = await this.byToken(otpToken);
    if (!row || row.user_id !== user.id || challengeState(row, this.cfg.otpMaxAttempts) !== 'usable')
      throw new AppError(401, 'OTP_CHALLENGE_INVALID', 'This sign-in has expired; sign in again');
    const wait = resendWait(row.last_sent_at, this.cfg.otpResendSeconds);
    if (wait > 0)
      throw new AppError(
        429,
        'OTP_RESEND_TOO_SOON',
        `Wait ${wait} seconds before asking for another code`,
        { retryAfterSeconds: wait },
        { 'Retry-After': String(wait) },
      );
    const all = await this.destinations(user);
    const dest = all.find((d) => d.channel === (channel ?? row.channel));
    if (!dest) throw NO_CONTACT();
    const code = newCode();
    // A fresh code, a fresh attempt budget and clock; the previous code stops working.
    await this.pg.query(
      `UPDATE login_otp_challenges SET code_hash = $2, channel = $3, attempts = 0, last_sent_at = now(),
         expires_at = now() + make_interval(secs => $4) WHERE id = $1`,
      [row.id, hashCode(this.key, row.id, code), dest.channel, this.cfg.otpTtlSeconds],
    );
    await this.deliver(dest.to, dest.channel, code);
    return {
      channel: dest.channel,
      sentTo: dest.sentTo,
      expiresIn: this.cfg.otpTtlSeconds,
      resendAfterSeconds: this.cfg.otpResendSeconds,
    };
  }

  /** The user a challenge belongs to, for rate limiting and audit before the code is checked. */
  async userOf(otpToken: string): Promise<string | undefined> {
    return (await this.byToken(otpToken))?.user_id;
  }
}
