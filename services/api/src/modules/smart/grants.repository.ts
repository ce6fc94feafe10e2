import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { withTransaction } from '../../core/db/transaction';
import { newOpaque, sha256 } from './hash';

export const CODE_TTL_SECONDS = 60;
export const LAUNCH_TTL_SECONDS = 300;
export const REQUEST_TTL_SECONDS = 600;

/** The validated parameters of an authorization request, kept server-side between the steps. */
export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  state: string;
  scope: string[];
  codeChallenge: string;
  nonce?: string;
  launch?: string;
}

export type Stage = 'login' | 'mfa' | 'patient' | 'consent' | 'done';

export interface PendingRequest {
  id_hash: string;
  client_id: string;
  params: AuthorizeParams;
  stage: Stage;
  user_id: string | null;
  mfa_token: string | null;
  patient_id: string | null;
  encounter_id: string | null;
  ehr_launch: boolean;
  expires_at: Date;
}

export interface CodeRow {
  code_hash: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  code_challenge: string;
  scopes: string[];
  patient_id: string | null;
  encounter_id: string | null;
  ehr_launch: boolean;
  nonce: string | null;
  expires_at: Date;
  used_at: Date | null;
  access_jti: string | null;
  access_exp: Date | null;
  refresh_family: string | null;
}

export interface RefreshRow {
  token_hash: string;
  family_id: string;
  client_id: string;
  user_id: string;
  scopes: string[];
  patient_id: string | null;
  encounter_id: string | null;
  offline: boolean;
  family_expires_at: Date;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** Pending authorization requests: the opaque id travels in the forms; a fresh CSRF value is minted per step. */
export const pendingRequests = {
  async create(pg: Pool, p: AuthorizeParams): Promise<{ id: string; csrf: string }> {
    const id = newOpaque();
    const csrf = newOpaque();
    await pg.query(
      `INSERT INTO smart_authorization_requests (id_hash, csrf_hash, client_id, params, stage, expires_at)
       VALUES ($1,$2,$3,$4,'login', now() + make_interval(secs => $5))`,
      [sha256(id), sha256(csrf), p.clientId, JSON.stringify(p), REQUEST_TTL_SECONDS],
    );
    await pg.query("DELETE FROM smart_authorization_requests WHERE expires_at < now() - interval '1 hour'");
    return { id, csrf };
  },
  /** Takes the request for one step: id and CSRF must match and the stage must be the expected one; the CSRF value is burned. */
  async take(pg: Pool, id: string, csrf: string, stage: Stage): Promise<PendingRequest | undefined> {
    const { rows } = await pg.query<PendingRequest>(
      `UPDATE smart_authorization_requests SET csrf_hash = $4
        WHERE id_hash = $1 AND csrf_hash = $2 AND stage = $3 AND expires_at > now()
        RETURNING id_hash, client_id, params, stage, user_id, mfa_token, patient_id, encounter_id, ehr_launch, expires_at`,
      [sha256(id), sha256(csrf), stage, sha256(newOpaque())],
    );
    return rows[0];
  },
  /** Moves the request to its next stage and returns a new CSRF value for the next form. */
  async advance(
    pg: Pool,
    idHash: string,
    stage: Stage,
    set: Partial<{
      userId: string;
      mfaToken: string | null;
      patientId: string;
      encounterId: string | null;
      ehrLaunch: boolean;
    }> = {},
  ): Promise<string> {
    const csrf = newOpaque();
    await pg.query(
      `UPDATE smart_authorization_requests SET stage = $2, csrf_hash = $3,
         user_id = coalesce($4, user_id), mfa_token = CASE WHEN $5::boolean THEN $6 ELSE mfa_token END,
         patient_id = coalesce($7, patient_id), encounter_id = coalesce($8, encounter_id), ehr_launch = ehr_launch OR coalesce($9, false)
       WHERE id_hash = $1`,
      [
        idHash,
        stage,
        sha256(csrf),
        set.userId ?? null,
        'mfaToken' in set,
        set.mfaToken ?? null,
        set.patientId ?? null,
        set.encounterId ?? null,
        set.ehrLaunch ?? null,
      ],
    );
    return csrf;
  },
};

export const authorizationCodes = {
  async issue(
    pg: Pool,
    c: {
      clientId: string;
      userId: string;
      redirectUri: string;
      codeChallenge: string;
      scopes: string[];
      patientId?: string | null;
      encounterId?: string | null;
      ehrLaunch: boolean;
      nonce?: string;
    },
  ): Promise<string> {
    const code = newOpaque();
    // Spent codes are kept a day (reuse detection needs them while their tokens live), then dropped.
    await pg.query("DELETE FROM smart_authorization_codes WHERE expires_at < now() - interval '1 day'");
    await pg.query(
      `INSERT INTO smart_authorization_codes (code_hash, client_id, user_id, redirect_uri, code_challenge, scopes, patient_id, encounter_id, ehr_launch, nonce, expires_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10, now() + make_interval(secs => $11))`,
      [
        sha256(code),
        c.clientId,
        c.userId,
        c.redirectUri,
        c.codeChallenge,
        c.scopes,
        c.patientId ?? null,
        c.encounterId ?? null,
        c.ehrLaunch,
        c.nonce ?? null,
        CODE_TTL_SECONDS,
      ],
    );
    return code;
  },
  /**
   * Redeems a code atomically. A code already used returns firstUse=false (the caller revokes what the first
   * redemption issued). `check` runs under the row lock before the code is burned: a failed check (wrong
   * verifier, redirect_uri, client) throws, the transaction rolls back and the code stays unused, as a failed
   * request is not a use (RFC 6749 §4.1.3); the verifier's 256 bits make guessing pointless.
   */
  async redeem(
    pg: Pool,
    code: string,
    check: (row: CodeRow) => void,
  ): Promise<{ row: CodeRow; firstUse: boolean } | undefined> {
    return withTransaction(pg, async (db) => {
      const { rows } = await db.query<CodeRow>(
        'SELECT * FROM smart_authorization_codes WHERE code_hash = $1 FOR UPDATE',
        [sha256(code)],
      );
      const row = rows[0];
      if (!row) return undefined;
      if (row.used_at) return { row, firstUse: false };
      check(row);
      await db.query('UPDATE smart_authorization_codes SET used_at = now() WHERE code_hash = $1', [row.code_hash]);
      return { row, firstUse: true };
    });
  },
  async recordIssued(
    pg: Pool,
    codeHash: string,
    accessJti: string,
    accessExp: number,
    refreshFamily?: string,
  ): Promise<void> {
    await pg.query(
      'UPDATE smart_authorization_codes SET access_jti = $2, access_exp = to_timestamp($3), refresh_family = $4 WHERE code_hash = $1',
      [codeHash, accessJti, accessExp, refreshFamily ?? null],
    );
  },
};

export const launchContexts = {
  async create(
    pg: Pool,
    l: { clientId: string; userId: string; patientId: string; encounterId?: string },
  ): Promise<string> {
    const launch = newOpaque();
    await pg.query("DELETE FROM smart_launch_contexts WHERE expires_at < now() - interval '1 day'");
    await pg.query(
      `INSERT INTO smart_launch_contexts (launch_hash, client_id, user_id, patient_id, encounter_id, expires_at)
       VALUES ($1,$2,$3,$4,$5, now() + make_interval(secs => $6))`,
      [sha256(launch), l.clientId, l.userId, l.patientId, l.encounterId ?? null, LAUNCH_TTL_SECONDS],
    );
    return launch;
  },
  /** Consumes a launch value for this client and user: single use, unexpired. */
  async consume(
    pg: Pool,
    launch: string,
    clientId: string,
    userId: string,
  ): Promise<{ patient_id: string; encounter_id: string | null } | undefined> {
    const { rows } = await pg.query<{ patient_id: string; encounter_id: string | null }>(
      `UPDATE smart_launch_contexts SET used_at = now()
        WHERE launch_hash = $1 AND client_id = $2 AND user_id = $3 AND used_at IS NULL AND expires_at > now()
        RETURNING patient_id, encounter_id`,
      [sha256(launch), clientId, userId],
    );
    return rows[0];
  },
  /** Whether a launch value exists for this client at all (checked before login, so a bad one fails early). */
  async isPending(pg: Pool, launch: string, clientId: string): Promise<boolean> {
    const { rowCount } = await pg.query(
      'SELECT 1 FROM smart_launch_contexts WHERE launch_hash = $1 AND client_id = $2 AND used_at IS NULL AND expires_at > now()',
      [sha256(launch), clientId],
    );
    return (rowCount ?? 0) > 0;
  },
};

export interface RefreshGrant {
  clientId: string;
  userId: string;
  scopes: string[];
  patientId?: string | null;
  encounterId?: string | null;
  offline: boolean;
}

/**
 * SMART refresh tokens. offline_access: each rotation slides the expiry to the offline TTL. online_access:
 * the family ends when the session it came from would (family_expires_at, fixed at the first issue).
 */
export const smartRefreshTokens = {
  async issue(
    pg: Pool,
    g: RefreshGrant,
    ttls: { offline: number; online: number },
  ): Promise<{ token: string; familyId: string }> {
    const token = newOpaque();
    const familyId = randomUUID();
    const ttl = g.offline ? ttls.offline : ttls.online;
    await pg.query(
      `INSERT INTO smart_refresh_tokens (token_hash, family_id, client_id, user_id, scopes, patient_id, encounter_id, offline, family_expires_at, expires_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8, now() + make_interval(secs => $9), now() + make_interval(secs => $9))`,
      [
        sha256(token),
        familyId,
        g.clientId,
        g.userId,
        g.scopes,
        g.patientId ?? null,
        g.encounterId ?? null,
        g.offline,
        ttl,
      ],
    );
    return { token, familyId };
  },
  async rotate(
    pg: Pool,
    presented: string,
    clientId: string,
    ttls: { offline: number; online: number },
  ): Promise<
    | { ok: true; row: RefreshRow; token: string }
    | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' | 'client_mismatch'; row?: RefreshRow }
  > {
    return withTransaction(pg, async (db) => {
      const { rows } = await db.query<RefreshRow>(
        'SELECT * FROM smart_refresh_tokens WHERE token_hash = $1 FOR UPDATE',
        [sha256(presented)],
      );
      const row = rows[0];
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.client_id !== clientId) return { ok: false, reason: 'client_mismatch', row };
      if (row.used_at) {
        await db.query(
          'UPDATE smart_refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = $1',
          [row.family_id],
        );
        return { ok: false, reason: 'reused', row };
      }
      if (row.revoked_at) return { ok: false, reason: 'revoked', row };
      if (row.expires_at <= new Date() || row.family_expires_at <= new Date())
        return { ok: false, reason: 'expired', row };
      await db.query('UPDATE smart_refresh_tokens SET used_at = now() WHERE token_hash = $1', [row.token_hash]);
      const token = newOpaque();
      // offline: sliding expiry; online: never past the family's fixed end (copied in SQL, keeping its precision).
      await db.query(
        `INSERT INTO smart_refresh_tokens (token_hash, family_id, client_id, user_id, scopes, patient_id, encounter_id, offline, family_expires_at, expires_at)
         SELECT $1, family_id, client_id, user_id, scopes, patient_id, encounter_id, offline, e.t, e.t
           FROM smart_refresh_tokens,
                LATERAL (SELECT CASE WHEN offline THEN now() + make_interval(secs => $3) ELSE family_expires_at END AS t) e
          WHERE token_hash = $2`,
        [sha256(token), row.token_hash, ttls.offline],
      );
      return { ok: true, row, token };
    });
  },
  async find(pg: Pool, presented: string): Promise<RefreshRow | undefined> {
    return (await pg.query<RefreshRow>('SELECT * FROM smart_refresh_tokens WHERE token_hash = $1', [sha256(presented)]))
      .rows[0];
  },
  async revokeFamily(pg: Pool, familyId: string): Promise<void> {
    await pg.query('UPDATE smart_refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = $1', [
      familyId,
    ]);
  },
};

/** Backend Services assertion jti replay guard: false when this (client, jti) was seen before. */
export async function rememberAssertionJti(pg: Pool, clientId: string, jti: string, exp: number): Promise<boolean> {
  await pg.query("DELETE FROM smart_assertion_jtis WHERE expires_at < now() - interval '5 minutes'");
  const { rowCount } = await pg.query(
    'INSERT INTO smart_assertion_jtis (client_id, jti, expires_at) VALUES ($1,$2, to_timestamp($3)) ON CONFLICT DO NOTHING',
    [clientId, jti, exp + 60],
  );
  return (rowCount ?? 0) > 0;
}

/** Revokes an access token by jti in the shared table the FHIR gate checks. */
export async function revokeAccessJti(pg: Pool, jti: string, exp: number | Date): Promise<void> {
  const at = exp instanceof Date ? exp.getTime() / 1000 : exp;
  await pg.query(
    'INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, to_timestamp($2)) ON CONFLICT DO NOTHING',
    [jti, at],
  );
}
