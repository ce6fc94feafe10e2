import type { z } from 'zod';
import type { AppDeps } from '../../core/deps';
import { withTransaction } from '../../core/db/transaction';
import type { AdminUser, AdminUserList, CreateUserBody, Role, UpdateUserBody } from '@wintehr/contracts';
import type { Principal } from '../../core/auth/principal';
import { badRequest, conflict, forbidden, notFound } from '../../core/errors';
import { AuthService } from '../auth/auth.service';
import { passwordProblems } from '../auth/password-policy';
import { usersRepository, type UserRow } from '../../core/auth/users.repository';

const ROLE_CODES: Partial<Record<Role, { code: string; display: string }>> = {
  physician: { code: '309343006', display: 'Physician' },
  nurse: { code: '106292003', display: 'Professional nurse' },
  pharmacist: { code: '46255001', display: 'Pharmacist' },
  lab_technician: { code: '159282002', display: 'Laboratory technician' },
  radiologist: { code: '66862007', display: 'Radiologist' },
  admin: { code: '224608005', display: 'Administrative healthcare staff' },
};

/** The admin's view of an account (the wire contract): never the hash, the TOTP secret or recovery codes. */
export function toAdminView(u: UserRow, epcsApprovals: number): AdminUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    ...(u.fhir_practitioner_id ? { fhirPractitionerId: u.fhir_practitioner_id } : {}),
    ...(u.fhir_practitioner_role_id ? { fhirPractitionerRoleId: u.fhir_practitioner_role_id } : {}),
    ...(u.fhir_patient_id ? { fhirPatientId: u.fhir_patient_id } : {}),
    ...(u.pharmacy_org_id ? { pharmacyOrgId: u.pharmacy_org_id } : {}),
    ...(u.dea_number ? { deaNumber: u.dea_number } : {}),
    mfaEnabled: u.mfa_enabled,
    disabled: u.disabled,
    ...(u.locked_until && u.locked_until > new Date() ? { lockedUntil: u.locked_until.toISOString() } : {}),
    epcsApprovals,
    // DEA 21 CFR 1311.125: two individuals grant EPCS access; a DEA registration is also needed to sign.
    epcsEnabled: epcsApprovals >= 2 && !!u.dea_number,
    isDemo: u.is_demo,
    createdAt: u.created_at.toISOString(),
  };
}

export class UsersService {
  constructor(private readonly deps: Pick<AppDeps, 'pg' | 'fhir' | 'access'>) {}

  private async approvals(userIds: string[]): Promise<Map<string, number>> {
    if (!userIds.length) return new Map();
    const { rows } = await this.deps.pg.query<{ user_id: string; n: string }>(
      'SELECT user_id, count(*) AS n FROM epcs_approvals WHERE user_id = ANY($1::uuid[]) GROUP BY user_id',
      [userIds],
    );
    return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
  }

  async list(limit: number, offset: number): Promise<AdminUserList> {
    const users = await usersRepository.list(this.deps.pg, limit, offset);
    const counts = await this.approvals(users.map((u) => u.id));
    return { users: users.map((u) => toAdminView(u, counts.get(u.id) ?? 0)) };
  }

  async get(id: string): Promise<AdminUser> {
    const u = await usersRepository.byId(this.deps.pg, id);
    if (!u) throw notFound('User', id);
    return toAdminView(u, (await this.approvals([u.id])).get(u.id) ?? 0);
  }

  async create(body: z.output<typeof CreateUserBody>): Promise<AdminUser> {
    const problems = passwordProblems(body.password, body.username);
    if (problems.length)
      throw badRequest(
        'Password does not meet the policy',
        problems.map((m) => ({ field: 'body.password', message: `password ${m}` })),
      );
    if (await usersRepository.byUsername(this.deps.pg, body.username))
      throw conflict('Username already taken', { field: 'body.username' }, 'USERNAME_TAKEN');

    if (body.fhirPatientId) await this.mustExist('Patient', body.fhirPatientId, 'fhirPatientId');
    if (body.pharmacyOrgId) await this.mustExist('Organization', body.pharmacyOrgId, 'pharmacyOrgId');
    let practitionerId = body.fhirPractitionerId;
    let practitionerRoleId: string | undefined;
    if (body.role !== 'patient') {
      if (practitionerId) await this.mustExist('Practitioner', practitionerId, 'fhirPractitionerId');
      ({ practitionerId, practitionerRoleId } = await this.ensurePractitioner(
        body.username,
        body.displayName,
        body.role,
        practitionerId,
      ));
    }
    const passwordHash = await AuthService.hashPassword(body.password);
    const user = await usersRepository
      .insert(this.deps.pg, {
        username: body.username,
        displayName: body.displayName,
        role: body.role,
        passwordHash,
        fhirPractitionerId: practitionerId,
        fhirPatientId: body.fhirPatientId,
        pharmacyOrgId: body.pharmacyOrgId,
        deaNumber: body.deaNumber,
      })
      .catch((err: { code?: string }) => {
        if (err.code === '23505')
          throw conflict('Username already taken', { field: 'body.username' }, 'USERNAME_TAKEN');
        throw err;
      });
    if (practitionerRoleId)
      await this.deps.pg.query('UPDATE users SET fhir_practitioner_role_id = $2 WHERE id = $1', [
        user.id,
        practitionerRoleId,
      ]);
    return this.get(user.id);
  }

  async update(id: string, body: z.output<typeof UpdateUserBody>, actor: Principal): Promise<AdminUser> {
    const u = await usersRepository.byId(this.deps.pg, id);
    if (!u) throw notFound('User', id);
    if (body.disabled && u.id === actor.userId)
      throw badRequest('You cannot disable your own account', [{ field: 'body.disabled', message: 'own account' }]);
    if (body.pharmacyOrgId) await this.mustExist('Organization', body.pharmacyOrgId, 'pharmacyOrgId');
    await withTransaction(this.deps.pg, async (db) => {
      const sets: string[] = [];
      const vals: unknown[] = [id];
      const set = (col: string, v: unknown) => {
        vals.push(v);
        sets.push(`${col} = $${vals.length}`);
      };
      if (body.displayName !== undefined) set('display_name', body.displayName);
      if (body.disabled !== undefined) set('disabled', body.disabled);
      if (body.deaNumber !== undefined) set('dea_number', body.deaNumber);
      if (body.pharmacyOrgId !== undefined) set('pharmacy_org_id', body.pharmacyOrgId);
      if (body.unlock) {
        set('failed_logins', 0);
        set('locked_until', null);
      }
      if (body.resetMfa) {
        set('mfa_enabled', false);
        set('totp_secret', null);
        set('totp_pending_secret', null);
        set('totp_last_step', null);
        await db.query('DELETE FROM mfa_recovery_codes WHERE user_id = $1', [id]);
      }
      sets.push('updated_at = now()');
      await db.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $1`, vals);
      // A disabled account loses its sessions at once, not when its refresh tokens expire.
      if (body.disabled)
        await db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [id]);
    });
    return this.get(id);
  }

  /** One admin's EPCS approval; two different admins are needed before the prescriber may sign. */
  async approveEpcs(id: string, admin: Principal): Promise<AdminUser> {
    const u = await usersRepository.byId(this.deps.pg, id);
    if (!u) throw notFound('User', id);
    if (u.role !== 'physician')
      throw badRequest('Only physicians can be granted EPCS', [{ field: 'params.id', message: `role is ${u.role}` }]);
    if (u.id === admin.userId) throw forbidden('An administrator cannot approve EPCS for their own account');
    const r = await this.deps.pg.query(
      'INSERT INTO epcs_approvals (user_id, approved_by) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [id, admin.userId],
    );
    if (!r.rowCount)
      throw conflict(
        'You have already approved this prescriber; a second, different administrator must approve',
        undefined,
        'EPCS_ALREADY_APPROVED',
      );
    return this.get(id);
  }

  async revokeEpcs(id: string): Promise<AdminUser> {
    await this.deps.pg.query('DELETE FROM epcs_approvals WHERE user_id = $1', [id]);
    return this.get(id);
  }

  async assign(
    id: string,
    patientId: string,
    reason: string,
    expiresAt: string | undefined,
    admin: Principal,
  ): Promise<void> {
    const u = await usersRepository.byId(this.deps.pg, id);
    if (!u) throw notFound('User', id);
    if (u.role === 'patient' || u.role === 'admin')
      throw badRequest('Assignments are for clinical staff', [{ field: 'params.id', message: `role is ${u.role}` }]);
    await this.mustExist('Patient', patientId, 'patientId');
    await this.deps.pg.query(
      `INSERT INTO patient_assignments (user_id, patient_id, reason, created_by, expires_at) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (user_id, patient_id) DO UPDATE SET reason = EXCLUDED.reason, expires_at = EXCLUDED.expires_at, created_by = EXCLUDED.created_by, created_at = now()`,
      [id, patientId, reason, admin.userId, expiresAt ?? null],
    );
  }

  async unassign(id: string, patientId: string): Promise<void> {
    const r = await this.deps.pg.query('DELETE FROM patient_assignments WHERE user_id = $1 AND patient_id = $2', [
      id,
      patientId,
    ]);
    if (!r.rowCount) throw notFound('PatientAssignment', `${id}/${patientId}`);
    this.deps.access.forget(id, patientId);
  }

  private async mustExist(type: 'Patient' | 'Practitioner' | 'Organization', id: string, field: string): Promise<void> {
    try {
      await this.deps.fhir.read(type, id);
    } catch (err) {
      if ((err as { status?: number }).status === 404)
        throw badRequest(`${type}/${id} does not exist`, [{ field: `body.${field}`, message: 'unknown reference' }]);
      throw err;
    }
  }

  /** Staff users are Practitioners in FHIR, with a PractitionerRole naming their role. */
  private async ensurePractitioner(
    username: string,
    displayName: string,
    role: Role,
    existing?: string,
  ): Promise<{ practitionerId: string; practitionerRoleId?: string }> {
    const code = ROLE_CODES[role];
    const identifier = { system: 'urn:wintehr:user', value: username };
    const practitionerRef = existing ? `Practitioner/${existing}` : 'urn:uuid:8d0b1b0e-0000-4000-8000-000000000001';
    const entries: fhir4.BundleEntry[] = [];
    if (!existing) {
      const parts = displayName.replace(/^(Dr\.?|Nurse|Pharmacist)\s+/i, '').split(/\s+/);
      entries.push({
        fullUrl: practitionerRef,
        resource: {
          resourceType: 'Practitioner',
          active: true,
          identifier: [identifier],
          name: [{ text: displayName, family: parts.at(-1), given: parts.slice(0, -1) }],
        },
        request: { method: 'POST', url: 'Practitioner' },
      });
    }
    entries.push({
      resource: {
        resourceType: 'PractitionerRole',
        active: true,
        identifier: [identifier],
        practitioner: { reference: practitionerRef },
        ...(code ? { code: [{ coding: [{ system: 'http://snomed.info/sct', ...code }], text: code.display }] } : {}),
      },
      request: { method: 'POST', url: 'PractitionerRole' },
    });
    const out = await this.deps.fhir.transaction({ resourceType: 'Bundle', type: 'transaction', entry: entries });
    const ids = (out.entry ?? []).map((e) => e.response?.location?.split('/')[1]);
    return existing
      ? { practitionerId: existing, practitionerRoleId: ids[0] }
      : { practitionerId: ids[0]!, practitionerRoleId: ids[1] };
  }
}
