import type { AppDeps } from '../../core/deps';
import { issueSmartAccessToken } from '../../core/auth/smart-token';
import { usersRepository } from '../../core/auth/users.repository';
import { fhirUserOf, principalOf } from '../auth/auth.service';
import type { AuthenticatedClient } from './client-auth';
import { smartUrls } from './discovery';
import { authorizationCodes, revokeAccessJti, smartRefreshTokens } from './grants.repository';
import { OAuthError } from './oauth-errors';
import { verifyPkce } from './pkce';
import { checkRequestedScopes, parseScopeString } from './scope-policy';

type Deps = Pick<AppDeps, 'pg' | 'tokens' | 'config' | 'access'>;
type Form = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** What the token endpoint answers (SMART App Launch §Access token response), plus audit facts. */
export interface TokenResult {
  body: Record<string, unknown>;
  audit: { userId?: string; patientId?: string; details: Record<string, unknown> };
}

interface UserGrant {
  userId: string;
  scopes: string[];
  patientId?: string | null;
  encounterId?: string | null;
  ehrLaunch: boolean;
  nonce?: string | null;
}

const ttls = (d: Deps) => ({ offline: d.config.smart.offlineRefreshTtl, online: d.config.smart.onlineRefreshTtl });

/** Access token, optional refresh token and id_token for a user grant (authorization code or refresh). */
async function issueUserTokens(
  d: Deps,
  client: AuthenticatedClient,
  g: UserGrant,
  refresh?: { token: string; familyId?: string },
): Promise<TokenResult & { accessJti: string; accessExp: number; familyId?: string }> {
  const user = await usersRepository.byId(d.pg, g.userId);
  if (!user || user.disabled) throw new OAuthError('invalid_grant', 'the user of this grant is no longer active');
  const fhirUser = fhirUserOf(user);
  // A patient user's token is always about that patient, whatever the request said.
  const patientId = user.role === 'patient' ? user.fhir_patient_id : g.patientId;
  const base = d.config.publicBaseUrl;
  const access = await issueSmartAccessToken(
    d.tokens,
    base,
    {
      kind: 'user',
      clientId: client.client.client_id,
      scopes: g.scopes,
      userId: user.id,
      username: user.username,
      role: user.role,
      ...(fhirUser ? { fhirUser } : {}),
      ...(patientId ? { patientId } : {}),
      ...(g.encounterId ? { encounterId: g.encounterId } : {}),
    },
    d.config.smart.accessTokenTtl,
  );

  const wantsRefresh = g.scopes.includes('offline_access') || g.scopes.includes('online_access');
  let refreshToken = refresh?.token;
  let familyId = refresh?.familyId;
  if (!refreshToken && wantsRefresh) {
    const r = await smartRefreshTokens.issue(
      d.pg,
      {
        clientId: client.client.client_id,
        userId: user.id,
        scopes: g.scopes,
        patientId,
        encounterId: g.encounterId,
        offline: g.scopes.includes('offline_access'),
      },
      ttls(d),
    );
    refreshToken = r.token;
    familyId = r.familyId;
  }

  let idToken: string | undefined;
  if (g.scopes.includes('openid')) {
    const claims: Record<string, unknown> = {
      sub: user.id,
      preferred_username: user.username,
      name: user.display_name,
    };
    if (g.scopes.includes('fhirUser') && fhirUser) claims.fhirUser = `${smartUrls(base).fhirBase}/${fhirUser}`;
    if (g.nonce) claims.nonce = g.nonce;
    idToken = (await d.tokens.signRaw(claims, d.config.smart.accessTokenTtl, client.client.client_id)).token;
  }
  const now = Math.floor(Date.now() / 1000);
  return {
    accessJti: access.jti,
    accessExp: access.exp,
    familyId,
    body: {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.exp - now,
      scope: g.scopes.join(' '),
      ...(patientId ? { patient: patientId } : {}),
      ...(g.encounterId ? { encounter: g.encounterId } : {}),
      // The web app shows its own banner around an EHR launch; a standalone app must show one.
      need_patient_banner: !g.ehrLaunch,
      smart_style_url: smartUrls(base).style,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(idToken ? { id_token: idToken } : {}),
    },
    audit: {
      userId: user.id,
      ...(patientId ? { patientId } : {}),
      details: { scopes: g.scopes.length, refresh: !!refreshToken, idToken: !!idToken },
    },
  };
}

export async function authorizationCodeGrant(d: Deps, client: AuthenticatedClient, form: Form): Promise<TokenResult> {
  const code = str(form.code);
  if (!code) throw new OAuthError('invalid_request', 'code is required');
  const redirectUri = str(form.redirect_uri);
  if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required');
  const verifier = str(form.code_verifier);
  if (!verifier) throw new OAuthError('invalid_request', 'code_verifier is required (PKCE)');
  const redeemed = await authorizationCodes.redeem(d.pg, code, (row) => {
    if (row.client_id !== client.client.client_id)
      throw new OAuthError('invalid_grant', 'code was issued to another client');
    if (row.expires_at <= new Date()) throw new OAuthError('invalid_grant', 'code expired');
    if (row.redirect_uri !== redirectUri)
      throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
    if (!verifyPkce(verifier, row.code_challenge))
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
  });
  if (!redeemed) throw new OAuthError('invalid_grant', 'unknown code');
  const { row, firstUse } = redeemed;
  if (!firstUse) {
    // A replayed code means it leaked: revoke everything the first redemption issued (RFC 6749 §4.1.2).
    if (row.access_jti && row.access_exp) await revokeAccessJti(d.pg, row.access_jti, row.access_exp);
    if (row.refresh_family) await smartRefreshTokens.revokeFamily(d.pg, row.refresh_family);
    throw new OAuthError('invalid_grant', 'code was already used; tokens issued from it are revoked');
  }
  const r = await issueUserTokens(d, client, {
    userId: row.user_id,
    scopes: row.scopes,
    patientId: row.patient_id,
    encounterId: row.encounter_id,
    ehrLaunch: row.ehr_launch,
    nonce: row.nonce,
  });
  await authorizationCodes.recordIssued(d.pg, row.code_hash, r.accessJti, r.accessExp, r.familyId);
  return { body: r.body, audit: { ...r.audit, details: { ...r.audit.details, ehrLaunch: row.ehr_launch } } };
}

export async function refreshTokenGrant(d: Deps, client: AuthenticatedClient, form: Form): Promise<TokenResult> {
  const presented = str(form.refresh_token);
  if (!presented) throw new OAuthError('invalid_request', 'refresh_token is required');
  // An optional narrower scope (RFC 6749 §6) is checked before rotating, so a bad request does not burn the token.
  const existing = await smartRefreshTokens.find(d.pg, presented);
  let scopes = existing?.scopes ?? [];
  const requested = str(form.scope);
  if (existing && requested) {
    const parsed = parseScopeString(requested);
    if (!parsed.ok) throw new OAuthError('invalid_scope', `malformed scope: ${parsed.bad}`);
    const extra = parsed.scopes.filter((s) => !existing.scopes.includes(s.raw));
    if (extra.length)
      throw new OAuthError('invalid_scope', `scope exceeds the original grant: ${extra.map((s) => s.raw).join(' ')}`);
    scopes = parsed.scopes.map((s) => s.raw);
  }
  const rot = await smartRefreshTokens.rotate(d.pg, presented, client.client.client_id, ttls(d));
  if (!rot.ok) {
    const msg = {
      unknown: 'unknown refresh token',
      expired: 'refresh token expired',
      revoked: 'refresh token revoked',
      reused: 'refresh token reuse detected; the token family is revoked',
      client_mismatch: 'refresh token was issued to another client',
    }[rot.reason];
    throw new OAuthError('invalid_grant', msg);
  }
  // A staff user's relationship with the patient may have ended since consent: re-check on every refresh.
  const user = await usersRepository.byId(d.pg, rot.row.user_id);
  if (user && user.role !== 'patient' && rot.row.patient_id) {
    const decision = await d.access.check(
      { ...principalOf(user), tokenId: 'smart-refresh', tokenExpiresAt: 0 },
      rot.row.patient_id,
    );
    if (!decision.allowed) {
      await smartRefreshTokens.revokeFamily(d.pg, rot.row.family_id);
      throw new OAuthError('invalid_grant', 'the user no longer has access to the patient in context');
    }
  }
  const r = await issueUserTokens(
    d,
    client,
    {
      userId: rot.row.user_id,
      scopes,
      patientId: rot.row.patient_id,
      encounterId: rot.row.encounter_id,
      ehrLaunch: false,
    },
    { token: rot.token, familyId: rot.row.family_id },
  );
  return { body: r.body, audit: r.audit };
}

export async function clientCredentialsGrant(d: Deps, client: AuthenticatedClient, form: Form): Promise<TokenResult> {
  if (client.method !== 'private_key_jwt' || client.client.client_type !== 'backend') {
    throw new OAuthError(
      'unauthorized_client',
      'client_credentials is for Backend Services clients with private_key_jwt',
    );
  }
  const parsed = parseScopeString(str(form.scope));
  if (!parsed.ok) throw new OAuthError('invalid_scope', `malformed scope: ${parsed.bad}`);
  const check = checkRequestedScopes(parsed.scopes, client.client.allowed_scopes, 'client_credentials');
  if (!check.ok) throw new OAuthError('invalid_scope', check.description);
  const scopes = parsed.scopes.map((s) => s.raw);
  const access = await issueSmartAccessToken(
    d.tokens,
    d.config.publicBaseUrl,
    { kind: 'system', clientId: client.client.client_id, scopes },
    d.config.smart.accessTokenTtl,
  );
  return {
    body: {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.exp - Math.floor(Date.now() / 1000),
      scope: scopes.join(' '),
    },
    audit: { details: { scopes: scopes.length } },
  };
}
