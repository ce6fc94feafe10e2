/**
 * Authentication of CDS clients (CDS Hooks 2.0 §Trusting CDS Clients): a Bearer JWT whose `iss` is a configured
 * trusted client, signed with an asymmetric key from that client's configured key set (`kid` required), `aud` = the
 * URL of the endpoint being called, a short `exp`, and a `jti` used once. Every failure is a 401 in the API's error
 * shape. A `jku` header never makes us fetch anything: for a client configured with a JWKS URL it must be that URL;
 * for a client configured with an inline JWKS (a copy of the keys it publishes, e.g. the cds-hooks sandbox, which
 * always sends its jku) the inline keys decide, by `kid`, offline.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AppError, unauthorized } from '../../core/errors';
import type { JtiStore } from './jti-store';

export interface TrustedCdsClient {
  iss: string;
  jwksUrl?: string;
  jwks?: JSONWebKeySet;
  requiredClaims?: Readonly<Record<string, string>>;
}

export const ALLOWED_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Longest accepted remaining lifetime of a CDS client JWT (the spec asks for a short-lived token). */
export const MAX_LIFETIME_SECONDS = 300;
const CLOCK_TOLERANCE = 5;

export interface VerifiedCdsClient {
  iss: string;
  sub?: string;
  jti: string;
  claims: JWTPayload;
}

export class CdsClientVerifier {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();
  private readonly clients: Map<string, TrustedCdsClient>;

  constructor(
    clients: readonly TrustedCdsClient[],
    private readonly jtis: JtiStore,
  ) {
    this.clients = new Map(clients.map((c) => [c.iss, c]));
    for (const c of clients) {
      if (c.jwks) this.keySets.set(c.iss, createLocalJWKSet(c.jwks));
      else if (c.jwksUrl)
        this.keySets.set(
          c.iss,
          createRemoteJWKSet(new URL(c.jwksUrl), {
            cacheMaxAge: 10 * 60_000,
            cooldownDuration: 30_000,
            timeoutDuration: 3_000,
          }),
        );
    }
  }

  /** `audiences`: the URLs the token may be addressed to (the endpoint invoked). */
  async verify(
    authorization: string | undefined,
    audiences: readonly string[],
    now = Date.now(),
  ): Promise<VerifiedCdsClient> {
    const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization ?? '');
    if (!m)
      throw unauthorized('A CDS client JWT is required (Authorization: Bearer <JWT>)', { reason: 'missing_token' });
    const token = m[1]!;
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch {
      throw unauthorized('Malformed CDS client JWT', { reason: 'malformed' });
    }
    if (!header.alg || !ALLOWED_ALGS.includes(header.alg))
      throw unauthorized('JWT algorithm not accepted', { reason: 'alg', alg: header.alg ?? null });
    if (!header.kid) throw unauthorized('JWT header must carry a kid', { reason: 'kid' });
    const client = typeof unverified.iss === 'string' ? this.clients.get(unverified.iss) : undefined;
    if (!client) throw unauthorized('CDS client is not trusted', { reason: 'untrusted_issuer' });
    if (header.jku !== undefined && client.jwksUrl !== undefined && header.jku !== client.jwksUrl)
      throw unauthorized('jku does not match the configured JWKS URL', { reason: 'jku' });
    const keys = this.keySets.get(client.iss);
    if (!keys) throw unauthorized('CDS client has no keys configured', { reason: 'no_keys' });

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: client.iss,
        audience: [...audiences],
        algorithms: ALLOWED_ALGS,
        clockTolerance: CLOCK_TOLERANCE,
        requiredClaims: ['exp', 'jti'],
        currentDate: new Date(now),
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthorized('CDS client JWT expired', { reason: 'expired' });
      if (err instanceof joseErrors.JWKSNoMatchingKey)
        throw unauthorized('No key in the client JWKS matches the kid', { reason: 'kid' });
      if (err instanceof joseErrors.JWTClaimValidationFailed)
        throw unauthorized(`CDS client JWT claim check failed: ${err.claim}`, { reason: 'claim', claim: err.claim });
      // Network failures reaching a remote JWKS surface as non-JOSE errors (or a JOSE timeout).
      if (err instanceof joseErrors.JWKSTimeout || !(err instanceof joseErrors.JOSEError)) {
        throw new AppError(
          503,
          'CDS_CLIENT_KEYS_UNAVAILABLE',
          'The CDS client key set could not be fetched',
          { reason: 'jwks_unavailable' },
          { 'Retry-After': '5' },
        );
      }
      throw unauthorized('CDS client JWT signature is not valid', { reason: 'signature' });
    }
    const nowSec = Math.floor(now / 1000);
    if (payload.exp! - nowSec > MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE)
      throw unauthorized(`CDS client JWT must expire within ${MAX_LIFETIME_SECONDS} s`, { reason: 'exp_too_long' });
    for (const [k, v] of Object.entries(client.requiredClaims ?? {})) {
      if (payload[k] !== v)
        throw unauthorized(`CDS client JWT claim check failed: ${k}`, { reason: 'claim', claim: k });
    }
    const jti = String(payload.jti);
    if (!(await this.jtis.claim(`${client.iss}|${jti}`, payload.exp! - nowSec + CLOCK_TOLERANCE))) {
      throw unauthorized('CDS client JWT was already used', { reason: 'replay' });
    }
    return { iss: client.iss, ...(typeof payload.sub === 'string' ? { sub: payload.sub } : {}), jti, claims: payload };
  }
}
