import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { Role } from '@wintehr/contracts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  fhir_practitioner_id: string | null;
  fhir_practitioner_role_id: string | null;
  fhir_patient_id: string | null;
  pharmacy_org_id: string | null;
  password_hash: string;
  failed_logins: number;
  locked_until: Date | null;
  mfa_enabled: boolean;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: string | null;
  dea_number: string | null;
  disabled: boolean;
  is_demo: boolean;
  created_at: Date;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  fhirPractitionerId?: string;
  fhirPatientId?: string;
  pharmacyOrgId?: string;
  deaNumber?: string;
  isDemo?: boolean;
}

type Db = Pool | PoolClient;

export const usersRepository = {
  async byUsername(db: Db, username: string): Promise<UserRow | undefined> {
    return (await db.query<UserRow>('SELECT * FROM users WHERE username = $1', [username.toLowerCase()])).rows[0];
  },
  async byId(db: Db, id: string): Promise<UserRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    return (await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
  },
  async list(db: Db, limit: number, offset: number): Promise<UserRow[]> {
    return (await db.query<UserRow>('SELECT * FROM users ORDER BY username LIMIT $1 OFFSET $2', [limit, offset])).rows;
  },
  async insert(db: Db, u: NewUser): Promise<UserRow> {
    const { rows } = await db.query<UserRow>(
      `INSERT INTO users (id, username, display_name, role, password_hash, fhir_practitioner_id, fhir_patient_id, pharmacy_org_id, dea_number, is_demo)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING *`,
      [
        randomUUID(),
        u.username.toLowerCase(),
        u.displayName,
        u.role,
        u.passwordHash,
        u.fhirPractitionerId ?? null,
        u.fhirPatientId ?? null,
        u.pharmacyOrgId ?? null,
        u.deaNumber ?? null,
        u.isDemo ?? false,
      ],
    );
    return rows[0]!;
  },
  async recordFailure(db: Db, id: string, maxFailures: number, lockMinutes: number): Promise<{ locked: boolean }> {
    const { rows } = await db.query<{ locked_until: Date | null }>(
      `UPDATE users SET failed_logins = failed_logins + 1,
         locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END,
         updated_at = now()
       WHERE id = $1 RETURNING locked_until`,
      [id, maxFailures, lockMinutes],
    );
    return { locked: !!rows[0]?.locked_until && rows[0].locked_until > new Date() };
  },
  async recordSuccess(db: Db, id: string): Promise<void> {
    await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1', [id]);
  },
};
