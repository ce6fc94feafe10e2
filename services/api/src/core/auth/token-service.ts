import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { unauthorized } from '../errors';
import type { Principal } from './principal';
import { ROLES, type Role } from '@wintehr/contracts';
import type { SigningKey } from './keys';

export type TokenPurpose = 'access' | 'mfa_challenge' | 'mfa_enroll' | 'smart';

interface WintehrClaims extends JWTPayload {
  purpose: TokenPurpose;
  role: Role;
  username: string;
  fhirUser?: string;
  patient?: string;
  practitioner?: string;
  mfa_at?: number;
  client_id?: string;
}

/**
 * Signs and verifies the service's JWTs. Verification pins the algorithm, issuer, audience and key, so
 * `alg: none`, tokens signed with another key and tokens for another audience all fail the same way.
 */
export class TokenService {
  private readonly jwks;

  get issuerUrl(): string {
    return this.issuer;
  }

  /** For token kinds with their own claims (SMART): verifies signature, algorithm, issuer and audience only. */
  async verifyRaw(token: string, audience: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.issuer,
        audience,
        algorithms: [this.key.alg],
        clockTolerance: 5,
      });
      return payload;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthorized('Token expired', { reason: 'expired' });
      throw unauthorized('Invalid token', { reason: 'invalid' });
    }
  }

  constructor(
    private readonly key: SigningKey,
    private readonly issuer: string,
    private readonly accessTtl: number,
  ) {
    this.jwks = createLocalJWKSet({ keys: [key.publicJwk] });
  }

  get publicJwks() {
    return { keys: [this.key.publicJwk] };
  }

  sign(
    claims: Omit<WintehrClaims, 'iss' | 'iat' | 'exp' | 'jti'>,
    ttlSeconds: number,
    audience = this.issuer,
  ): Promise<{ token: string; jti: string; exp: number }> {
    return this.signRaw(claims, ttlSeconds, audience);
  }

  /** Any claim set (SMART access and id tokens); iss, iat, exp and jti are always set here. */
  async signRaw(
    claims: JWTPayload,
    ttlSeconds: number,
    audience: string | string[],
  ): Promise<{ token: string; jti: string; exp: number }> {
    const jti = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const exp = now + ttlSeconds;
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: this.key.alg, kid: this.key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(this.key.privateKey);
    return { token, jti, exp };
  }

  issueAccessToken(
    p: Omit<Principal, 'tokenId' | 'tokenExpiresAt'>,
    purpose: TokenPurpose = 'access',
    ttl = this.accessTtl,
  ) {
    return this.sign(
      {
        sub: p.userId,
        purpose,
        role: p.role,
        username: p.username,
        ...(p.fhirUser ? { fhirUser: p.fhirUser } : {}),
        ...(p.patientId ? { patient: p.patientId } : {}),
        ...(p.practitionerId ? { practitioner: p.practitionerId } : {}),
        ...(p.mfaAt ? { mfa_at: p.mfaAt } : {}),
        ...(p.clientId ? { client_id: p.clientId } : {}),
      },
      ttl,
    );
  }

  async verify(token: string, expected: TokenPurpose): Promise<Principal> {
    let payload: WintehrClaims;
    try {
      ({ payload } = (await jwtVerify(token, this.jwks, {
        issuer: this.issuer,
        audience: this.issuer,
        algorithms: [this.key.alg],
        clockTolerance: 5,
      })) as { payload: WintehrClaims });
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthorized('Token expired', { reason: 'expired' });
      throw unauthorized('Invalid token', { reason: 'invalid' });
    }
    if (payload.purpose !== expected) throw unauthorized('Token not valid for this use', { reason: 'wrong_purpose' });
    if (!payload.sub || !payload.jti || !payload.exp || !ROLES.includes(payload.role))
      throw unauthorized('Invalid token', { reason: 'claims' });
    return {
      userId: payload.sub,
      username: payload.username,
      role: payload.role,
      fhirUser: payload.fhirUser,
      patientId: payload.patient,
      practitionerId: payload.practitioner,
      mfaAt: payload.mfa_at,
      tokenId: payload.jti,
      tokenExpiresAt: payload.exp,
      clientId: payload.client_id,
    };
  }
}
