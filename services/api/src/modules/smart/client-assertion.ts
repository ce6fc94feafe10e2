import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { OAuthError } from './oauth-errors';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const ASSERTION_ALGS = ['RS384', 'ES384'] as const;
/** SMART Backend Services: exp no more than five minutes ahead; we tolerate 60 s of clock skew. */
export const MAX_ASSERTION_LIFETIME = 300;
export const CLOCK_SKEW = 60;

export interface AssertionClient {
  clientId: string;
  jwks?: JSONWebKeySet | null;
  jwksUri?: string | null;
}

const fail = (msg: string) => new OAuthError('invalid_client', msg);

/** Header rules, before any key is fetched: algorithm, and jku (when present) must be the registered JWKS URL. */
export function checkAssertionHeader(h: ProtectedHeaderParameters, client: AssertionClient): void {
  if (!h.alg || !(ASSERTION_ALGS as readonly string[]).includes(h.alg))
    throw fail(`client assertion alg must be one of ${ASSERTION_ALGS.join(', ')}`);
  if (h.jku !== undefined && (!client.jwksUri || h.jku !== client.jwksUri))
    throw fail('client assertion jku does not match the registered JWKS URL');
}

/** Claim rules after the signature checked out: iss = sub = client_id, aud = token URL, short exp, jti. */
export function checkAssertionClaims(
  p: JWTPayload,
  clientId: string,
  tokenUrl: string,
  nowSeconds: number,
): { jti: string; exp: number } {
  if (p.iss !== clientId || p.sub !== clientId) throw fail('client assertion iss and sub must equal the client_id');
  const aud = Array.isArray(p.aud) ? p.aud : [p.aud];
  if (!aud.includes(tokenUrl)) throw fail('client assertion aud must be the token endpoint URL');
  if (typeof p.exp !== 'number') throw fail('client assertion exp is required');
  if (p.exp < nowSeconds - CLOCK_SKEW) throw fail('client assertion expired');
  if (p.exp > nowSeconds + MAX_ASSERTION_LIFETIME + CLOCK_SKEW)
    throw fail('client assertion exp is more than five minutes ahead');
  if (typeof p.nbf === 'number' && p.nbf > nowSeconds + CLOCK_SKEW) throw fail('client assertion not yet valid');
  if (typeof p.jti !== 'string' || p.jti.length < 1 || p.jti.length > 256)
    throw fail('client assertion jti is required');
  return { jti: p.jti, exp: p.exp };
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;
/** Remote key sets are cached per URL (jose refetches on an unknown kid, at most every 30 s): no per-request fetch. */
const remoteSets = new Map<string, KeySet>();
function remoteSet(uri: string): KeySet {
  let s = remoteSets.get(uri);
  if (!s) {
    s = createRemoteJWKSet(new URL(uri), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    remoteSets.set(uri, s);
  }
  return s;
}

/**
 * Verifies a private_key_jwt client assertion against the client's registered JWKS (inline) or jwks_uri.
 * Replay (jti) is the caller's check because it needs the database. Every failure is invalid_client.
 */
export async function verifyClientAssertion(
  assertion: string,
  client: AssertionClient,
  tokenUrl: string,
): Promise<{ jti: string; exp: number }> {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw fail('client assertion is not a JWT');
  }
  checkAssertionHeader(header, client);
  const keys = client.jwks?.keys?.length
    ? createLocalJWKSet(client.jwks)
    : client.jwksUri
      ? remoteSet(client.jwksUri)
      : undefined;
  if (!keys) throw fail('client has no registered keys');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, keys, { algorithms: [...ASSERTION_ALGS], clockTolerance: CLOCK_SKEW }));
  } catch (err) {
    throw fail(`client assertion signature or timing invalid (${(err as { code?: string }).code ?? 'invalid'})`);
  }
  return checkAssertionClaims(payload, client.clientId, tokenUrl, Math.floor(Date.now() / 1000));
}
