import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { withTransaction } from '../../core/db/transaction';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export type RotateResult =
  | { ok: true; userId: string; familyId: string; token: string; rowId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused'; userId?: string; familyId?: string };

/**
 * Opaque refresh tokens, stored only as hashes. Each use rotates the token; presenting an already-rotated
 * token means it leaked, so the whole family (every descendant of that login) is revoked.
 */
export class RefreshTokenStore {
  constructor(
    private readonly pg: Pool,
    private readonly ttlSeconds: number,
  ) {}

  /** `session` names the device and the access token issued with this refresh token (GET /api/auth/sessions). */
  async issue(
    userId: string,
    familyId: string = randomUUID(),
    session: { userAgent?: string; accessJti?: string } = {},
  ): Promise<{ token: string; familyId: string }> {
    const token = randomBytes(32).toString('base64url');
    await this.pg.query(
      `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at, user_agent, access_jti)
       VALUES ($1,$2,$3,$4, now() + make_interval(secs => $5), $6, $7)`,
      [
        randomUUID(),
        familyId,
        userId,
        hash(token),
        this.ttlSeconds,
        session.userAgent?.slice(0, 512) ?? null,
        session.accessJti ?? null,
      ],
    );
    return { token, familyId };
  }

  /** Records the access token issued with a rotated refresh token, so its session is recognised as "this one". */
  async bindAccessToken(rowId: string, accessJti: string): Promise<void> {
    await this.pg.query('UPDATE refresh_tokens SET access_jti = $2 WHERE id = $1', [rowId, accessJti]);
  }

  /** Each early return commits: only the reuse branch writes, and rolling back a read-only transaction gains nothing. */
  async rotate(presented: string): Promise<RotateResult> {
    return withTransaction(this.pg, async (client) => {
      const { rows } = await client.query<{
        id: string;
        family_id: string;
        user_id: string;
        expires_at: Date;
        used_at: Date | null;
        revoked_at: Date | null;
        user_agent: string | null;
      }>(
        'SELECT id, family_id, user_id, expires_at, used_at, revoked_at, user_agent FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE',
        [hash(presented)],
      );
      const row = rows[0];
      if (!row) return { ok: false, reason: 'unknown' };
      const base = { userId: row.user_id, familyId: row.family_id };
      if (row.used_at) {
        await client.query('UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = $1', [
          row.family_id,
        ]);
        return { ok: false, reason: 'reused', ...base };
      }
      if (row.revoked_at) return { ok: false, reason: 'revoked', ...base };
      if (row.expires_at <= new Date()) return { ok: false, reason: 'expired', ...base };
      await client.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [row.id]);
      const token = randomBytes(32).toString('base64url');
      const rowId = randomUUID();
      await client.query(
        `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at, user_agent)
         VALUES ($1,$2,$3,$4, now() + make_interval(secs => $5), $6)`,
        [rowId, row.family_id, row.user_id, hash(token), this.ttlSeconds, row.user_agent],
      );
      return { ok: true, token, rowId, ...base };
    });
  }

  async revokeFamilyOf(presented: string): Promise<void> {
    await this.pg.query(
      'UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)',
      [hash(presented)],
    );
  }
}
