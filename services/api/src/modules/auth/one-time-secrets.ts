import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Link tokens (invitation, password reset, sign-in challenge): 256 random bits, stored as their SHA-256. */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A 6-digit sign-in code, uniformly drawn (leading zeros kept). */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * Codes have only a million values, so a plain hash would fall to a lookup table: they are keyed with a server
 * secret and bound to their challenge, so a leaked table row is useless without the key.
 */
export function hashCode(key: Buffer, challengeId: string, code: string): string {
  return createHmac('sha256', key).update(`${challengeId}:${code}`).digest('hex');
}

export function codeMatches(key: Buffer, challengeId: string, code: string, storedHash: string): boolean {
  const a = Buffer.from(hashCode(key, challengeId, code), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export type ChallengeState = 'usable' | 'expired' | 'consumed' | 'locked';

/** Why a sign-in code may no longer be tried: used, out of attempts, or out of time (in that order). */
export function challengeState(
  c: { expires_at: Date; consumed_at: Date | null; attempts: number },
  maxAttempts: number,
  now = new Date(),
): ChallengeState {
  if (c.consumed_at) return 'consumed';
  if (c.attempts >= maxAttempts) return 'locked';
  if (c.expires_at <= now) return 'expired';
  return 'usable';
}

/** Seconds until another code may be sent (0: now). */
export function resendWait(lastSentAt: Date, cooldownSeconds: number, now = new Date()): number {
  return Math.max(0, Math.ceil((lastSentAt.getTime() + cooldownSeconds * 1000 - now.getTime()) / 1000));
}

/** A single-use link is usable when it is neither used, revoked nor expired. */
export function linkState(
  l: { expires_at: Date; used_at: Date | null; revoked_at: Date | null },
  now = new Date(),
): 'usable' | 'used' | 'revoked' | 'expired' {
  if (l.used_at) return 'used';
  if (l.revoked_at) return 'revoked';
  if (l.expires_at <= now) return 'expired';
  return 'usable';
}
