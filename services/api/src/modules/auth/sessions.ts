import type { Pool } from 'pg';
import type { AuthSession } from '@wintehr/contracts';

/**
 * A session is one refresh-token family (one sign-in on one device, rotated on every use). "Current" is the
 * family that issued the caller's access token. Revoking a session also revokes the access tokens issued with
 * it, so it ends at once instead of when its last access token expires.
 */
export const sessionsRepository = {
  async list(pg: Pool, userId: string, currentJti: string): Promise<AuthSession[]> {
    const { rows } = await pg.query<{
      family_id: string;
      created: Date;
      last_used: Date;
      user_agent: string | null;
      current: boolean;
    }>(
      `SELECT family_id, min(created_at) AS created, max(created_at) AS last_used,
              (array_agg(user_agent ORDER BY created_at DESC))[1] AS user_agent,
              coalesce(bool_or(access_jti = $2), false) AS current
         FROM refresh_tokens WHERE user_id = $1
        GROUP BY family_id
       HAVING bool_or(revoked_at IS NULL AND used_at IS NULL AND expires_at > now())
        ORDER BY max(created_at) DESC`,
      [userId, currentJti],
    );
    return rows.map((r) => ({
      id: r.family_id,
      createdAt: r.created.toISOString(),
      lastUsedAt: r.last_used.toISOString(),
      userAgent: r.user_agent,
      current: r.current,
    }));
  },

  /** Revokes the given sessions of this user (all when `familyIds` is undefined), returning how many were live. */
  async revoke(
    pg: Pool,
    userId: string,
    accessTtlSeconds: number,
    o: { familyIds?: string[]; exceptJti?: string } = {},
  ): Promise<number> {
    const { rows } = await pg.query<{ family_id: string; access_jti: string | null }>(
      `WITH targets AS (
         SELECT DISTINCT family_id FROM refresh_tokens t
          WHERE user_id = $1 AND revoked_at IS NULL AND used_at IS NULL AND expires_at > now()
            AND ($2::uuid[] IS NULL OR family_id = ANY($2))
            AND ($3::text IS NULL OR NOT EXISTS (
                  SELECT 1 FROM refresh_tokens c WHERE c.family_id = t.family_id AND c.access_jti = $3)))
       UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())
        WHERE family_id IN (SELECT family_id FROM targets) RETURNING family_id, access_jti`,
      [userId, o.familyIds ?? null, o.exceptJti ?? null],
    );
    const jtis = [...new Set(rows.map((r) => r.access_jti).filter(Boolean))];
    if (jtis.length)
      await pg.query(
        `INSERT INTO revoked_access_tokens (jti, expires_at)
         SELECT unnest($1::text[]), now() + make_interval(secs => $2) ON CONFLICT DO NOTHING`,
        [jtis, accessTtlSeconds],
      );
    return new Set(rows.map((r) => r.family_id)).size;
  },
};
