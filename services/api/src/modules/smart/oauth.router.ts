import { Router, type Request } from 'express';
import { verifySmartAccessToken } from '../../core/auth/smart-token';
import type { AppDeps } from '../../core/deps';
import { authenticateClient, claimedClientId, type AuthenticatedClient } from './client-auth';
import { openidConfiguration, SMART_STYLE, smartConfiguration, smartUrls } from './discovery';
import { revokeAccessJti, smartRefreshTokens } from './grants.repository';
import { auditSmart, formBody, isForm, noStore, openCors, sendOAuthError } from './oauth-http';
import { OAuthError } from './oauth-errors';
import { authorizationCodeGrant, clientCredentialsGrant, refreshTokenGrant } from './token-grants';

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Discovery, token, introspection and revocation endpoints of the SMART authorization server. */
export function oauthRouter(deps: AppDeps): Router {
  const r = Router();
  const base = deps.config.publicBaseUrl;
  const urls = smartUrls(base);
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

  for (const path of [
    '/fhir/.well-known/smart-configuration',
    '/.well-known/openid-configuration',
    '/smart/style.json',
    '/oauth/token',
    '/oauth/introspect',
    '/oauth/revoke',
  ]) {
    r.use(path, openCors);
  }
  r.get('/fhir/.well-known/smart-configuration', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(smartConfiguration(base));
  });
  r.get('/.well-known/openid-configuration', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(openidConfiguration(base));
  });
  r.get('/smart/style.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.json(SMART_STYLE);
  });

  r.post('/oauth/token', formBody, async (req, res) => {
    noStore(res);
    const form = body(req);
    const grantType = str(form.grant_type);
    let client: AuthenticatedClient | undefined;
    try {
      if (!isForm(req))
        throw new OAuthError('invalid_request', 'the token request must be application/x-www-form-urlencoded');
      if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
      if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType))
        throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
      const refreshOwner =
        grantType === 'refresh_token' && str(form.refresh_token)
          ? (await smartRefreshTokens.find(deps.pg, str(form.refresh_token)!))?.client_id
          : undefined;
      client = await authenticateClient(deps.pg, req, urls.token, {
        allowPublic: true,
        implicitClientId: refreshOwner,
      });
      const isBackend = client.client.client_type === 'backend';
      if ((grantType === 'client_credentials') !== isBackend)
        throw new OAuthError('unauthorized_client', `this client may not use grant_type ${grantType}`);
      const result =
        grantType === 'authorization_code'
          ? await authorizationCodeGrant(deps, client, form)
          : grantType === 'refresh_token'
            ? await refreshTokenGrant(deps, client, form)
            : await clientCredentialsGrant(deps, client, form);
      auditSmart(deps, req, res, 'smart.token', 'success', {
        clientId: client.client.client_id,
        userId: result.audit.userId,
        patientId: result.audit.patientId,
        details: { grantType, ...result.audit.details },
      });
      res.json(result.body);
    } catch (err) {
      const e = sendOAuthError(deps, req, res, err);
      auditSmart(deps, req, res, 'smart.token', e.error === 'server_error' ? 'failure' : 'denied', {
        clientId: client?.client.client_id ?? claimedClientId(req),
        details: { grantType: grantType?.slice(0, 64), error: e.error, reason: e.description.slice(0, 200) },
      });
    }
  });

  /** Introspection and revocation callers: a confidential/backend client, or (introspection only) a staff bearer. */
  const caller = async (
    req: Request,
    allowStaff: boolean,
    allowPublic: boolean,
  ): Promise<{ clientId?: string; staffUserId?: string }> => {
    const header = req.get('authorization') ?? '';
    if (allowStaff && /^Bearer /i.test(header)) {
      try {
        const p = await deps.tokens.verify(header.slice(7).trim(), 'access');
        const revoked = await deps.pg.query('SELECT 1 FROM revoked_access_tokens WHERE jti = $1', [p.tokenId]);
        if (p.role !== 'patient' && !revoked.rowCount) return { staffUserId: p.userId };
      } catch {
        /* fall through to the error below */
      }
      throw new OAuthError(
        'invalid_client',
        'introspection requires a confidential client or a staff access token',
        401,
      );
    }
    const c = await authenticateClient(deps.pg, req, urls.token, { allowPublic });
    return { clientId: c.client.client_id };
  };

  r.post('/oauth/introspect', formBody, async (req, res) => {
    noStore(res);
    let who: { clientId?: string; staffUserId?: string } = {};
    try {
      if (!isForm(req))
        throw new OAuthError('invalid_request', 'the introspection request must be application/x-www-form-urlencoded');
      who = await caller(req, true, false);
      const token = str(body(req).token);
      if (!token) throw new OAuthError('invalid_request', 'token is required');
      const answer = await introspect(deps, token);
      auditSmart(deps, req, res, 'smart.introspect', 'success', {
        clientId: who.clientId,
        userId: who.staffUserId,
        details: { active: answer.active },
      });
      res.json(answer);
    } catch (err) {
      const e = sendOAuthError(deps, req, res, err);
      auditSmart(deps, req, res, 'smart.introspect', 'denied', {
        clientId: who.clientId ?? claimedClientId(req),
        details: { error: e.error },
      });
    }
  });

  r.post('/oauth/revoke', formBody, async (req, res) => {
    noStore(res);
    let clientId: string | undefined;
    try {
      if (!isForm(req))
        throw new OAuthError('invalid_request', 'the revocation request must be application/x-www-form-urlencoded');
      ({ clientId } = await caller(req, false, true));
      const token = str(body(req).token);
      if (!token) throw new OAuthError('invalid_request', 'token is required');
      const what = await revoke(deps, token, clientId!);
      auditSmart(deps, req, res, 'smart.revoke', 'success', { clientId, details: { revoked: what } });
      // RFC 7009 §2.2: 200 whether or not the token was valid.
      res.status(200).end();
    } catch (err) {
      const e = sendOAuthError(deps, req, res, err);
      auditSmart(deps, req, res, 'smart.revoke', 'denied', {
        clientId: clientId ?? claimedClientId(req),
        details: { error: e.error },
      });
    }
  });
  return r;
}

/** RFC 7662: anything not a live token of ours is exactly {active:false}. */
async function introspect(deps: AppDeps, token: string): Promise<Record<string, unknown>> {
  const base = deps.config.publicBaseUrl;
  if (token.split('.').length === 3) {
    try {
      const ctx = await verifySmartAccessToken(deps.tokens, base, token);
      const revoked = await deps.pg.query('SELECT 1 FROM revoked_access_tokens WHERE jti = $1', [ctx.tokenId]);
      if (revoked.rowCount) return { active: false };
      return {
        active: true,
        token_type: 'Bearer',
        scope: ctx.scopes.join(' '),
        client_id: ctx.clientId,
        exp: ctx.expiresAt,
        iss: deps.tokens.issuerUrl,
        aud: `${base}/fhir`,
        sub: ctx.kind === 'system' ? ctx.clientId : ctx.userId,
        ...(ctx.username ? { username: ctx.username } : {}),
        ...(ctx.fhirUser ? { fhirUser: `${base}/fhir/${ctx.fhirUser}` } : {}),
        ...(ctx.patientId ? { patient: ctx.patientId } : {}),
        ...(ctx.encounterId ? { encounter: ctx.encounterId } : {}),
      };
    } catch {
      return { active: false };
    }
  }
  const row = await smartRefreshTokens.find(deps.pg, token);
  if (!row || row.used_at || row.revoked_at || row.expires_at <= new Date() || row.family_expires_at <= new Date())
    return { active: false };
  return {
    active: true,
    token_type: 'refresh_token',
    scope: row.scopes.join(' '),
    client_id: row.client_id,
    sub: row.user_id,
    exp: Math.floor(row.expires_at.getTime() / 1000),
    ...(row.patient_id ? { patient: row.patient_id } : {}),
  };
}

/** RFC 7009: a client may revoke only its own tokens; an access token goes into revoked_access_tokens, a refresh token revokes its family. */
async function revoke(deps: AppDeps, token: string, clientId: string): Promise<'access' | 'refresh' | 'none'> {
  if (token.split('.').length === 3) {
    try {
      const ctx = await verifySmartAccessToken(deps.tokens, deps.config.publicBaseUrl, token);
      if (ctx.clientId !== clientId) return 'none';
      await revokeAccessJti(deps.pg, ctx.tokenId, ctx.expiresAt);
      return 'access';
    } catch {
      return 'none';
    }
  }
  const row = await smartRefreshTokens.find(deps.pg, token);
  if (!row || row.client_id !== clientId) return 'none';
  await smartRefreshTokens.revokeFamily(deps.pg, row.family_id);
  return 'refresh';
}
