import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';

/** A share token: 32 random bytes (base64url) prefixed so it is recognisable in logs-free error reports. */
export const SHARE_TOKEN_RE = /^wsh_[A-Za-z0-9_-]{43}$/;
export const hashShareToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface ShareRow {
  id: string;
  study_uid: string;
  patient_id: string;
  created_by: string;
  expires_at: Date;
  revoked_at: Date | null;
}

export async function createShare(
  pg: Pool,
  s: { studyUid: string; patientId: string; userId: string; hours: number },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const id = randomUUID();
  const token = `wsh_${randomBytes(32).toString('base64url')}`;
  const { rows } = await pg.query<{ expires_at: Date }>(
    `INSERT INTO imaging_shares (id, token_hash, study_uid, patient_id, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING expires_at`,
    [id, hashShareToken(token), s.studyUid, s.patientId, s.userId, Math.round(s.hours * 3600)],
  );
  return { id, token, expiresAt: rows[0]!.expires_at };
}

/** The share a token names, live or not (so a use of an expired or revoked link is still audited against it). */
export async function shareByToken(pg: Pool, token: string): Promise<ShareRow | undefined> {
  if (!SHARE_TOKEN_RE.test(token)) return undefined;
  const { rows } = await pg.query<ShareRow>(
    'SELECT id, study_uid, patient_id, created_by, expires_at, revoked_at FROM imaging_shares WHERE token_hash = $1',
    [hashShareToken(token)],
  );
  return rows[0];
}

/** Why a share no longer opens anything, or undefined when it does. */
export function shareRefusal(share: ShareRow | undefined, now = new Date()): string | undefined {
  if (!share) return 'unknown link';
  if (share.revoked_at) return 'revoked';
  if (share.expires_at <= now) return 'expired';
  return undefined;
}

export async function findShare(pg: Pool, id: string): Promise<ShareRow | undefined> {
  const { rows } = await pg.query<ShareRow>(
    'SELECT id, study_uid, patient_id, created_by, expires_at, revoked_at FROM imaging_shares WHERE id = $1',
    [id],
  );
  return rows[0];
}

export async function revokeShare(pg: Pool, id: string, userId: string): Promise<void> {
  await pg.query('UPDATE imaging_shares SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL', [
    id,
    userId,
  ]);
}
