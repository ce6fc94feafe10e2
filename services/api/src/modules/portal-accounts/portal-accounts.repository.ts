import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { OtpChannel } from '@wintehr/contracts';
import { hashToken } from '../auth/one-time-secrets';

type Db = Pool | PoolClient;

export interface InvitationRow {
  id: string;
  patient_id: string;
  channel: OtpChannel;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export interface ResetRow {
  id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** Invitation and reset links: stored by the SHA-256 of their token, single-use, one open link per subject. */
export const portalAccountsRepository = {
  /** Revokes the open invitations of a patient and creates a new one; returns how many were revoked. */
  async replaceInvitation(
    db: Db,
    o: { patientId: string; token: string; channel: OtpChannel; invitedBy: string; ttlSeconds: number },
  ): Promise<{ invitation: InvitationRow; revoked: number }> {
    const revoked = await db.query(
      'UPDATE portal_invitations SET revoked_at = now() WHERE patient_id = $1 AND used_at IS NULL AND revoked_at IS NULL',
      [o.patientId],
    );
    const { rows } = await db.query<InvitationRow>(
      `INSERT INTO portal_invitations (id, patient_id, token_hash, channel, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING *`,
      [randomUUID(), o.patientId, hashToken(o.token), o.channel, o.invitedBy, o.ttlSeconds],
    );
    return { invitation: rows[0]!, revoked: revoked.rowCount ?? 0 };
  },

  async revokeInvitation(db: Db, id: string): Promise<void> {
    await db.query('UPDATE portal_invitations SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [id]);
  },

  async openInvitation(db: Db, patientId: string): Promise<InvitationRow | undefined> {
    return (
      await db.query<InvitationRow>(
        `SELECT * FROM portal_invitations WHERE patient_id = $1 AND used_at IS NULL AND revoked_at IS NULL
           AND expires_at > now() ORDER BY created_at DESC LIMIT 1`,
        [patientId],
      )
    ).rows[0];
  },

  /** Locks the row: two activations racing on one link cannot both succeed. */
  async invitationByToken(db: PoolClient, token: string): Promise<InvitationRow | undefined> {
    return (
      await db.query<InvitationRow>('SELECT * FROM portal_invitations WHERE token_hash = $1 FOR UPDATE', [
        hashToken(token),
      ])
    ).rows[0];
  },

  async useInvitation(db: Db, id: string, userId: string): Promise<void> {
    await db.query('UPDATE portal_invitations SET used_at = now(), used_by = $2 WHERE id = $1', [id, userId]);
  },

  async activePatientAccount(db: Db, patientId: string): Promise<{ id: string } | undefined> {
    return (
      await db.query<{ id: string }>(
        "SELECT id FROM users WHERE role = 'patient' AND fhir_patient_id = $1 AND NOT disabled LIMIT 1",
        [patientId],
      )
    ).rows[0];
  },

  async replaceReset(db: Db, userId: string, token: string, ttlSeconds: number): Promise<void> {
    await db.query(
      'UPDATE password_resets SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL',
      [userId],
    );
    await db.query(
      `INSERT INTO password_resets (id, user_id, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [randomUUID(), userId, hashToken(token), ttlSeconds],
    );
  },

  async resetByToken(db: PoolClient, token: string): Promise<ResetRow | undefined> {
    return (
      await db.query<ResetRow>('SELECT * FROM password_resets WHERE token_hash = $1 FOR UPDATE', [hashToken(token)])
    ).rows[0];
  },

  async completeReset(db: PoolClient, resetId: string, userId: string, passwordHash: string): Promise<void> {
    await db.query('UPDATE password_resets SET used_at = now() WHERE id = $1', [resetId]);
    await db.query(
      `UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1`,
      [userId, passwordHash],
    );
    // A sign-in code sent before the reset must not finish a sign-in after it.
    await db.query('UPDATE login_otp_challenges SET consumed_at = now() WHERE user_id = $1 AND consumed_at IS NULL', [
      userId,
    ]);
  },
};
