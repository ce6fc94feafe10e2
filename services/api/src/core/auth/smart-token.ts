import { unauthorized } from '../errors';
import type { TokenService } from './token-service';
import type { Role } from '@wintehr/contracts';

/**
 * The contract between the SMART authorization server (modules/smart) and the FHIR gate (modules/fhir-gate):
 * what a SMART access token says. Tokens are JWTs signed with the service's key (kid in /.well-known/jwks.json),
 * audience = the FHIR base URL, so a business-API token is not accepted at /fhir and vice versa.
 */
export interface SmartContext {
  /** 'user': a person (patient or staff) through an app; 'system': a Backend Services client. */
  kind: 'user' | 'system';
  clientId: string;
  /** Granted scopes exactly as granted (v1 or v2 syntax), e.g. ['launch/patient', 'patient/Observation.rs?category=laboratory']. */
  scopes: string[];
  /** The user behind a 'user' token (absent for 'system'). */
  userId?: string;
  username?: string;
  role?: Role;
  /** Practitioner/123 or Patient/456. */
  fhirUser?: string;
  /** Launch context: the patient in context (required for patient/ scopes) and the encounter. */
  patientId?: string;
  encounterId?: string;
  tokenId: string;
  expiresAt: number;
}

type SmartClaims = {
  purpose: 'smart';
  kind: 'user' | 'system';
  client_id: string;
  scope: string;
  role?: Role;
  username?: string;
  fhirUser?: string;
  patient?: string;
  encounter?: string;
};

export const fhirAudience = (publicBaseUrl: string) => `${publicBaseUrl}/fhir`;

export async function issueSmartAccessToken(
  tokens: TokenService,
  publicBaseUrl: string,
  ctx: Omit<SmartContext, 'tokenId' | 'expiresAt'>,
  ttlSeconds: number,
): Promise<{ token: string; jti: string; exp: number }> {
  const claims: SmartClaims & { sub: string } = {
    sub: ctx.kind === 'system' ? ctx.clientId : ctx.userId!,
    purpose: 'smart',
    kind: ctx.kind,
    client_id: ctx.clientId,
    scope: ctx.scopes.join(' '),
    ...(ctx.role ? { role: ctx.role } : {}),
    ...(ctx.username ? { username: ctx.username } : {}),
    ...(ctx.fhirUser ? { fhirUser: ctx.fhirUser } : {}),
    ...(ctx.patientId ? { patient: ctx.patientId } : {}),
    ...(ctx.encounterId ? { encounter: ctx.encounterId } : {}),
  };
  return tokens.signRaw(claims, ttlSeconds, fhirAudience(publicBaseUrl));
}

/** Verifies signature, algorithm, issuer, audience, expiry and shape; revocation is the caller's check (by tokenId). */
export async function verifySmartAccessToken(
  tokens: TokenService,
  publicBaseUrl: string,
  token: string,
): Promise<SmartContext> {
  const p = (await tokens.verifyRaw(token, fhirAudience(publicBaseUrl))) as Partial<SmartClaims> & {
    sub?: string;
    jti?: string;
    exp?: number;
  };
  if (
    p.purpose !== 'smart' ||
    (p.kind !== 'user' && p.kind !== 'system') ||
    !p.client_id ||
    typeof p.scope !== 'string' ||
    !p.sub ||
    !p.jti ||
    !p.exp
  ) {
    throw unauthorized('Not a SMART access token', { reason: 'wrong_purpose' });
  }
  return {
    kind: p.kind,
    clientId: p.client_id,
    scopes: p.scope.split(' ').filter(Boolean),
    ...(p.kind === 'user' ? { userId: p.sub } : {}),
    ...(p.role ? { role: p.role } : {}),
    ...(p.username ? { username: p.username } : {}),
    ...(p.fhirUser ? { fhirUser: p.fhirUser } : {}),
    ...(p.patient ? { patientId: p.patient } : {}),
    ...(p.encounter ? { encounterId: p.encounter } : {}),
    tokenId: p.jti,
    expiresAt: p.exp,
  };
}
