/**
 * A minimal SMART Backend Services client (SMART App Launch 2.x §Backend Services), written the way an outside
 * system would: an RS384 key pair, a registration through the admin API with the public JWKS, a signed
 * client assertion (private_key_jwt) exchanged for a `system/` token, then FHIR reads through /fhir.
 * Used by scripts/smart-backend-client.ts against a running stack and by the integration test in-process.
 * Only `fetch` and jose: nothing here knows the server's internals.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const BACKEND_ALG = 'RS384';

export interface BackendKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** A fresh RS384 key pair as JWKs (the private one for signing, the public one for the registered JWKS). */
export async function generateBackendKey(): Promise<BackendKey> {
  const { privateKey, publicKey } = await generateKeyPair(BACKEND_ALG, { extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: BACKEND_ALG };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: BACKEND_ALG, use: 'sig', key_ops: ['verify'] };
  return { kid, privateJwk, publicJwk };
}

/** The JWKS to register: public parts only (the admin API refuses private key material). */
export function publicJwks(key: BackendKey): { keys: JWK[] } {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = key.publicJwk as JWK & Record<string, unknown>;
  return { keys: [pub as JWK] };
}

/** The client assertion: iss = sub = client id, aud = token URL, a unique jti, at most 5 minutes of life. */
export async function signClientAssertion(
  key: BackendKey,
  clientId: string,
  tokenUrl: string,
  lifetimeSeconds = 300,
): Promise<string> {
  const signingKey = await importJWK(key.privateJwk, BACKEND_ALG);
  return new SignJWT({})
    .setProtectedHeader({ alg: BACKEND_ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenUrl)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${lifetimeSeconds}s`)
    .sign(signingKey);
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

/** An HTTP failure with the status and (parsed when JSON) body, so callers can report what the server said. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(
      `${what}: HTTP ${status} ${typeof body === 'string' ? body.slice(0, 300) : JSON.stringify(body).slice(0, 300)}`,
    );
  }
}

async function parsed(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Logs in to the business API (an admin account without MFA) and returns its access token. */
export async function adminLogin(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await parsed(res)) as { status?: string; accessToken?: string };
  if (!res.ok) throw new HttpFailure(res.status, body, 'login');
  const token = body.accessToken;
  if (!token)
    throw new Error(
      `login did not return an access token (status ${body.status ?? 'unknown'}; an account with MFA cannot be used here)`,
    );
  return token;
}

/** Registers a backend client with an inline JWKS through POST /api/smart/clients (admin). */
export async function registerBackendClient(
  baseUrl: string,
  adminToken: string,
  o: { clientId: string; name: string; scopes: string[]; key: BackendKey },
): Promise<{ clientId: string }> {
  const res = await fetch(`${baseUrl}/api/smart/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({
      clientId: o.clientId,
      name: o.name,
      type: 'backend',
      allowedScopes: o.scopes,
      jwks: publicJwks(o.key),
    }),
  });
  const body = await parsed(res);
  if (res.status !== 201) throw new HttpFailure(res.status, body, 'client registration');
  return { clientId: (body as { clientId: string }).clientId };
}

/** Discovers the token endpoint from /fhir/.well-known/smart-configuration (as a real client must). */
export async function discoverTokenEndpoint(fhirBase: string): Promise<string> {
  const res = await fetch(`${fhirBase}/.well-known/smart-configuration`, { headers: { accept: 'application/json' } });
  const body = (await parsed(res)) as { token_endpoint?: string; grant_types_supported?: string[] };
  if (!res.ok || !body.token_endpoint) throw new HttpFailure(res.status, body, 'SMART discovery');
  return body.token_endpoint;
}

/** client_credentials with a freshly signed assertion. */
export async function requestSystemToken(
  tokenUrl: string,
  key: BackendKey,
  clientId: string,
  scope: string,
): Promise<TokenResponse> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await signClientAssertion(key, clientId, tokenUrl),
  });
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form,
  });
  const body = await parsed(res);
  if (!res.ok) throw new HttpFailure(res.status, body, 'token request');
  return body as TokenResponse;
}

/** A FHIR GET through the gate with the system token; returns status and parsed body (OperationOutcome on errors). */
export async function fhirGet<T = fhir4.Resource>(
  fhirBase: string,
  accessToken: string,
  path: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${fhirBase}/${path.replace(/^\//, '')}`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/fhir+json' },
  });
  return { status: res.status, body: (await parsed(res)) as T };
}
