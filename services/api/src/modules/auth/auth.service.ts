import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Pool } from 'pg';
import { withTransaction } from '../../core/db/transaction';
import QRCode from 'qrcode';
import type { AuditInput, AuditLogger } from '../../core/audit/audit-types';
import { open, seal } from '../../core/auth/secret-box';
import type { Principal } from '../../core/auth/principal';
import type { TokenService } from '../../core/auth/token-service';
import type { AppConfig } from '../../core/config';
import { AppError, badRequest, unauthorized } from '../../core/errors';
import { usersRepository, type UserRow } from '../../core/auth/users.repository';
import type { LoginRateLimiter } from './login-rate-limit';
import type { LoginOtp } from './login-otp';
import type { RefreshTokenStore } from './refresh-tokens';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, totpFor } from './totp';
import type { LoginResult, OtpChannel, OtpResendResult, PublicUser, TokenPair } from '@wintehr/contracts';

/** What a password sign-in can answer without the patients' emailed/texted code step. */
export type PasswordLoginResult = Exclude<LoginResult, { status: 'otp_required' }>;

export interface ClientInfo {
  clientIp?: string;
  userAgent?: string;
  requestId?: string;
}

const INVALID = () => new AppError(401, 'INVALID_CREDENTIALS', 'Invalid username or password');

/** Keeps unknown-user attempts as slow as wrong-password attempts (no user enumeration by timing). */
let dummyHash: Promise<string> | undefined;

export function toPublicUser(u: UserRow): PublicUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    ...(fhirUserOf(u) ? { fhirUser: fhirUserOf(u) } : {}),
    mfaEnabled: u.mfa_enabled,
  };
}

export function fhirUserOf(u: UserRow): string | undefined {
  if (u.fhir_patient_id) return `Patient/${u.fhir_patient_id}`;
  if (u.fhir_practitioner_id) return `Practitioner/${u.fhir_practitioner_id}`;
  return undefined;
}

export function principalOf(u: UserRow, mfaAt?: number): Omit<Principal, 'tokenId' | 'tokenExpiresAt'> {
  return {
    userId: u.id,
    username: u.username,
    role: u.role,
    fhirUser: fhirUserOf(u),
    patientId: u.fhir_patient_id ?? undefined,
    practitionerId: u.fhir_practitioner_id ?? undefined,
    mfaAt,
  };
}

export class AuthService {
  constructor(
    private readonly pg: Pool,
    private readonly config: AppConfig,
    private readonly tokens: TokenService,
    private readonly refresh: RefreshTokenStore,
    private readonly limiter: LoginRateLimiter,
    private readonly audit: AuditLogger,
    private readonly mfaKey: Buffer,
    /** Patient accounts' emailed/texted code; without it (SMART's own login page) patients sign in by password. */
    private readonly otp?: LoginOtp,
  ) {}

  static hashPassword(password: string): Promise<string> {
    return argonHash(password, { algorithm: 2 /* Argon2id */ });
  }

  private auditAuth(client: ClientInfo, entry: Omit<AuditInput, keyof ClientInfo>) {
    this.audit.record({ ...client, ...entry });
  }

  /** Password sign-in (also SMART's own login page): then TOTP, TOTP enrolment, or tokens. */
  async login(username: string, password: string, client: ClientInfo): Promise<PasswordLoginResult> {
    return this.afterPassword(await this.passwordStep(username, password, client), client);
  }

  /**
   * The app's sign-in (POST /api/auth/login): as login(), except that a patient account without TOTP gets a
   * one-time code by email or SMS as its second step.
   */
  async loginWithOtp(username: string, password: string, client: ClientInfo): Promise<LoginResult> {
    const user = await this.passwordStep(username, password, client);
    if (!this.otp || user.role !== 'patient' || user.mfa_enabled) return this.afterPassword(user, client);
    const c = await this.otp.start(user);
    this.auditAuth(client, {
      action: 'auth.login',
      outcome: 'success',
      userId: user.id,
      username: user.username,
      role: user.role,
      details: { stage: 'password', next: 'otp', channel: c.channel },
    });
    return {
      status: 'otp_required',
      otpRequired: true,
      otpToken: c.otpToken,
      expiresIn: c.expiresIn,
      channel: c.channel,
      sentTo: c.sentTo,
      channels: c.channels,
      resendAfterSeconds: c.resendAfterSeconds,
    };
  }

  private async passwordStep(username: string, password: string, client: ClientInfo): Promise<UserRow> {
    await this.limiter.consume(client.clientIp ?? 'unknown', username);
    const user = await usersRepository.byUsername(this.pg, username);
    if (!user || user.disabled) {
      dummyHash ??= AuthService.hashPassword('timing-equaliser-not-a-password');
      await argonVerify(await dummyHash, password).catch(() => false);
      this.auditAuth(client, {
        action: 'auth.login',
        outcome: 'failure',
        username: username.toLowerCase().slice(0, 64),
        details: { reason: user ? 'disabled' : 'unknown_user' },
      });
      throw INVALID();
    }
    const who = { userId: user.id, username: user.username, role: user.role };
    if (user.locked_until && user.locked_until > new Date()) {
      this.auditAuth(client, { action: 'auth.login', outcome: 'denied', ...who, details: { reason: 'locked' } });
      const retryAfter = Math.ceil((user.locked_until.getTime() - Date.now()) / 1000);
      throw new AppError(
        423,
        'ACCOUNT_LOCKED',
        'Account temporarily locked after repeated failures',
        { retryAfterSeconds: retryAfter },
        { 'Retry-After': String(retryAfter) },
      );
    }
    if (!(await argonVerify(user.password_hash, password).catch(() => false))) {
      const { locked } = await usersRepository.recordFailure(
        this.pg,
        user.id,
        this.config.auth.maxFailures,
        this.config.auth.lockMinutes,
      );
      this.auditAuth(client, {
        action: 'auth.login',
        outcome: 'failure',
        ...who,
        details: { reason: 'bad_password', locked },
      });
      throw INVALID();
    }
    await usersRepository.recordSuccess(this.pg, user.id);
    await this.limiter.reset(username);
    return user;
  }

  private async afterPassword(user: UserRow, client: ClientInfo): Promise<PasswordLoginResult> {
    const who = { userId: user.id, username: user.username, role: user.role };

    if (user.mfa_enabled) {
      const { token, exp } = await this.tokens.issueAccessToken(principalOf(user), 'mfa_challenge', 300);
      this.auditAuth(client, {
        action: 'auth.login',
        outcome: 'success',
        ...who,
        details: { stage: 'password', next: 'mfa' },
      });
      return { status: 'mfa_required', mfaToken: token, expiresIn: exp - Math.floor(Date.now() / 1000) };
    }
    if (this.config.auth.mfaRequiredRoles.includes(user.role)) {
      const { token, exp } = await this.tokens.issueAccessToken(principalOf(user), 'mfa_enroll', 900);
      this.auditAuth(client, {
        action: 'auth.login',
        outcome: 'success',
        ...who,
        details: { stage: 'password', next: 'mfa_enrollment' },
      });
      return {
        status: 'mfa_enrollment_required',
        user: toPublicUser(user),
        enrollmentToken: token,
        expiresIn: exp - Math.floor(Date.now() / 1000),
      };
    }
    this.auditAuth(client, { action: 'auth.login', outcome: 'success', ...who });
    return { status: 'authenticated', user: toPublicUser(user), ...(await this.issuePair(user, undefined, client)) };
  }

  /** Second step of a patient login: the code sent by email or SMS. A success counts as a fresh second factor. */
  async completeOtp(otpToken: string, code: string, client: ClientInfo): Promise<LoginResult> {
    if (!this.otp) throw unauthorized();
    const owner = await this.otp.userOf(otpToken);
    const pre = owner ? await usersRepository.byId(this.pg, owner) : undefined;
    if (pre) await this.limiter.consume(client.clientIp ?? 'unknown', pre.username);
    const r = await this.otp.verify(otpToken, code);
    const user = r.userId ? await usersRepository.byId(this.pg, r.userId) : undefined;
    const who = user ? { userId: user.id, username: user.username, role: user.role } : {};
    if (!r.ok || !user || user.disabled) {
      const reason = r.ok ? 'disabled' : r.reason;
      this.auditAuth(client, { action: 'auth.otp', outcome: 'failure', ...who, details: { reason } });
      if (reason === 'locked')
        throw new AppError(401, 'OTP_LOCKED', 'Too many wrong codes; sign in again to get a new code');
      if (reason === 'invalid') throw new AppError(401, 'INVALID_OTP_CODE', 'Invalid sign-in code');
      throw new AppError(401, 'OTP_CHALLENGE_INVALID', 'This sign-in code has expired or was used; sign in again');
    }
    this.auditAuth(client, { action: 'auth.otp', outcome: 'success', ...who });
    await this.limiter.reset(user.username);
    return {
      status: 'authenticated',
      user: toPublicUser(user),
      ...(await this.issuePair(user, Math.floor(Date.now() / 1000), client)),
    };
  }

  async resendOtp(otpToken: string, channel: OtpChannel | undefined, client: ClientInfo): Promise<OtpResendResult> {
    if (!this.otp) throw unauthorized();
    const owner = await this.otp.userOf(otpToken);
    const user = owner ? await usersRepository.byId(this.pg, owner) : undefined;
    if (!user || user.disabled)
      throw new AppError(401, 'OTP_CHALLENGE_INVALID', 'This sign-in has expired; sign in again');
    await this.limiter.consume(client.clientIp ?? 'unknown', user.username);
    const r = await this.otp.resend(otpToken, user, channel);
    this.auditAuth(client, {
      action: 'auth.otp.resend',
      outcome: 'success',
      userId: user.id,
      username: user.username,
      role: user.role,
      details: { channel: r.channel },
    });
    return r;
  }

  /** Second step of an MFA login: a TOTP code or a one-time recovery code. */
  async completeMfa(
    mfaToken: string,
    code: { totp?: string; recoveryCode?: string },
    client: ClientInfo,
  ): Promise<LoginResult> {
    const p = await this.tokens.verify(mfaToken, 'mfa_challenge');
    const user = await usersRepository.byId(this.pg, p.userId);
    if (!user || user.disabled || !user.mfa_enabled || !user.totp_secret)
      throw unauthorized('MFA is not enabled for this account');
    const who = { userId: user.id, username: user.username, role: user.role };
    await this.limiter.consume(client.clientIp ?? 'unknown', user.username);
    if (code.recoveryCode) {
      const used = await this.pg.query(
        'UPDATE mfa_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL',
        [user.id, hashRecoveryCode(code.recoveryCode)],
      );
      if (!used.rowCount) {
        this.auditAuth(client, {
          action: 'auth.mfa',
          outcome: 'failure',
          ...who,
          details: { method: 'recovery_code' },
        });
        throw new AppError(401, 'INVALID_MFA_CODE', 'Invalid or used recovery code');
      }
      this.auditAuth(client, { action: 'auth.mfa', outcome: 'success', ...who, details: { method: 'recovery_code' } });
    } else {
      await this.consumeTotp(user, code.totp ?? '', client, 'auth.mfa');
    }
    await this.limiter.reset(user.username);
    return {
      status: 'authenticated',
      user: toPublicUser(user),
      ...(await this.issuePair(user, Math.floor(Date.now() / 1000), client)),
    };
  }

  /** Verifies a TOTP code and burns its time step, so the same code cannot be used twice. */
  private async consumeTotp(user: UserRow, code: string, client: ClientInfo, action: string): Promise<void> {
    const who = { userId: user.id, username: user.username, role: user.role };
    const secret = open(this.mfaKey, user.totp_secret!);
    const step = matchTotp(secret, code);
    if (step === undefined) {
      this.auditAuth(client, { action, outcome: 'failure', ...who, details: { method: 'totp', reason: 'invalid' } });
      throw new AppError(401, 'INVALID_MFA_CODE', 'Invalid authentication code');
    }
    const burned = await this.pg.query(
      'UPDATE users SET totp_last_step = $2, totp_verified_at = now() WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)',
      [user.id, step],
    );
    if (!burned.rowCount) {
      this.auditAuth(client, { action, outcome: 'denied', ...who, details: { method: 'totp', reason: 'replay' } });
      throw new AppError(401, 'MFA_CODE_REPLAYED', 'This authentication code was already used; wait for the next one');
    }
    this.auditAuth(client, { action, outcome: 'success', ...who, details: { method: 'totp' } });
  }

  private async accessTokenFor(
    user: UserRow,
    mfaAt?: number,
  ): Promise<Omit<TokenPair, 'refreshToken'> & { jti: string }> {
    const { token, exp, jti } = await this.tokens.issueAccessToken(principalOf(user, mfaAt));
    return { accessToken: token, tokenType: 'Bearer', expiresIn: exp - Math.floor(Date.now() / 1000), jti };
  }

  private async issuePair(user: UserRow, mfaAt?: number, client: ClientInfo = {}): Promise<TokenPair> {
    const { jti, ...access } = await this.accessTokenFor(user, mfaAt);
    const refresh = await this.refresh.issue(user.id, undefined, { userAgent: client.userAgent, accessJti: jti });
    return { ...access, refreshToken: refresh.token };
  }

  async refreshTokens(presented: string, client: ClientInfo): Promise<TokenPair> {
    const r = await this.refresh.rotate(presented);
    if (!r.ok) {
      this.auditAuth(client, {
        action: 'auth.refresh',
        outcome: 'denied',
        userId: r.userId,
        details: { reason: r.reason },
      });
      const msg =
        r.reason === 'reused'
          ? 'Refresh token reuse detected; the session was revoked'
          : 'Invalid or expired refresh token';
      throw new AppError(401, r.reason === 'reused' ? 'REFRESH_TOKEN_REUSED' : 'INVALID_REFRESH_TOKEN', msg);
    }
    const user = await usersRepository.byId(this.pg, r.userId);
    if (!user || user.disabled) throw new AppError(401, 'INVALID_REFRESH_TOKEN', 'Invalid or expired refresh token');
    this.auditAuth(client, {
      action: 'auth.refresh',
      outcome: 'success',
      userId: user.id,
      username: user.username,
      role: user.role,
    });
    const { jti, ...access } = await this.accessTokenFor(user);
    await this.refresh.bindAccessToken(r.rowId, jti);
    return { ...access, refreshToken: r.token };
  }

  async logout(principal: Principal, refreshToken: string | undefined, client: ClientInfo): Promise<void> {
    await this.pg.query(
      'INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, to_timestamp($2)) ON CONFLICT DO NOTHING',
      [principal.tokenId, principal.tokenExpiresAt],
    );
    if (refreshToken) await this.refresh.revokeFamilyOf(refreshToken);
    this.auditAuth(client, {
      action: 'auth.logout',
      outcome: 'success',
      userId: principal.userId,
      username: principal.username,
      role: principal.role,
    });
  }

  async startEnrollment(principal: Principal): Promise<{ otpauthUri: string; qrCodeDataUrl: string; secret: string }> {
    const user = await usersRepository.byId(this.pg, principal.userId);
    if (!user) throw unauthorized();
    if (user.mfa_enabled) throw badRequest('MFA is already enabled for this account');
    const secret = newTotpSecret();
    await this.pg.query('UPDATE users SET totp_pending_secret = $2 WHERE id = $1', [
      user.id,
      seal(this.mfaKey, secret),
    ]);
    const uri = totpFor(secret, user.username).toString();
    return { otpauthUri: uri, qrCodeDataUrl: await QRCode.toDataURL(uri), secret };
  }

  async activateEnrollment(
    principal: Principal,
    code: string,
    client: ClientInfo,
  ): Promise<{ recoveryCodes: string[] } & TokenPair> {
    const user = await usersRepository.byId(this.pg, principal.userId);
    if (!user?.totp_pending_secret) throw badRequest('Start MFA enrollment first');
    const step = matchTotp(open(this.mfaKey, user.totp_pending_secret), code);
    if (step === undefined) throw new AppError(401, 'INVALID_MFA_CODE', 'Invalid authentication code');
    const codes = newRecoveryCodes();
    await withTransaction(this.pg, async (db) => {
      await db.query(
        `UPDATE users SET mfa_enabled = true, totp_secret = totp_pending_secret, totp_pending_secret = NULL,
        totp_last_step = $2, totp_verified_at = now() WHERE id = $1`,
        [user.id, step],
      );
      await db.query('DELETE FROM mfa_recovery_codes WHERE user_id = $1', [user.id]);
      for (const c of codes)
        await db.query('INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)', [
          user.id,
          hashRecoveryCode(c),
        ]);
    });
    this.auditAuth(client, {
      action: 'auth.mfa.enroll',
      outcome: 'success',
      userId: user.id,
      username: user.username,
      role: user.role,
    });
    const fresh = (await usersRepository.byId(this.pg, user.id))!;
    return { recoveryCodes: codes, ...(await this.issuePair(fresh, Math.floor(Date.now() / 1000), client)) };
  }

  /** Step-up: a fresh TOTP yields an access token whose mfa_at is now (EPCS signing and similar demand it). */
  async stepUp(
    principal: Principal,
    code: string,
    client: ClientInfo,
  ): Promise<{ accessToken: string; expiresIn: number; mfaAt: number }> {
    const user = await usersRepository.byId(this.pg, principal.userId);
    if (!user?.mfa_enabled || !user.totp_secret) throw badRequest('Enrol in MFA before using step-up authentication');
    await this.consumeTotp(user, code, client, 'auth.step-up');
    const mfaAt = Math.floor(Date.now() / 1000);
    const { accessToken, expiresIn } = await this.accessTokenFor(user, mfaAt);
    return { accessToken, expiresIn, mfaAt };
  }
}

/** For handlers that demand a recent second factor (EPCS and similar). */
export function assertRecentMfa(principal: Principal, maxAgeSeconds: number): void {
  const now = Math.floor(Date.now() / 1000);
  if (!principal.mfaAt || now - principal.mfaAt > maxAgeSeconds) {
    throw new AppError(
      401,
      'STEP_UP_REQUIRED',
      `A second factor within the last ${maxAgeSeconds} seconds is required`,
      { maxAgeSeconds },
    );
  }
}
