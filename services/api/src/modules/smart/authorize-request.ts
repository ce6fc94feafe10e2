import type { Pool } from 'pg';
import { clientsRepository, type SmartClientRow } from './clients.repository';
import { launchContexts, type AuthorizeParams } from './grants.repository';
import type { OAuthErrorCode } from './oauth-errors';
import { checkPkceRequest } from './pkce';
import { checkRequestedScopes, parseScopeString } from './scope-policy';

export type AuthorizeCheck =
  /** The client or redirect URI cannot be trusted: show an error page, never redirect. */
  | { kind: 'page'; message: string; clientId?: string }
  /** Redirect the error to the (verified) redirect URI with the state. */
  | {
      kind: 'redirect';
      client: SmartClientRow;
      redirectUri: string;
      state?: string;
      error: OAuthErrorCode;
      description: string;
    }
  | { kind: 'ok'; client: SmartClientRow; params: AuthorizeParams };

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * Validates an authorization request (RFC 6749 §4.1.1, SMART App Launch §Obtain authorization code) in the
 * order the spec requires: client and exact redirect URI first (errors there are shown, not redirected),
 * then response_type, state, aud, PKCE, scopes and launch (redirected with error and state).
 */
export async function checkAuthorizeRequest(
  pg: Pool,
  q: Record<string, unknown>,
  fhirBase: string,
): Promise<AuthorizeCheck> {
  const clientId = str(q.client_id);
  if (!clientId) return { kind: 'page', message: 'client_id is missing.' };
  const client = await clientsRepository.byId(pg, clientId);
  if (!client || client.disabled) return { kind: 'page', message: 'Unknown application (client_id).', clientId };
  if (client.client_type === 'backend')
    return {
      kind: 'page',
      message: 'This client is a Backend Services client and cannot use the authorization endpoint.',
      clientId,
    };
  const redirectUri = str(q.redirect_uri);
  if (!redirectUri || !client.redirect_uris.includes(redirectUri)) {
    return {
      kind: 'page',
      message: 'The redirect_uri does not exactly match a redirect URI registered for this application.',
      clientId,
    };
  }
  const state = str(q.state);
  const fail = (error: OAuthErrorCode, description: string): AuthorizeCheck => ({
    kind: 'redirect',
    client,
    redirectUri,
    state,
    error,
    description,
  });

  if (str(q.response_type) !== 'code') return fail('unsupported_response_type', 'response_type must be code');
  if (!state) return fail('invalid_request', 'state is required');
  if (state.length > 1024) return fail('invalid_request', 'state is too long');
  const aud = str(q.aud);
  if (!aud) return fail('invalid_request', 'aud is required (the FHIR base URL)');
  if (aud.replace(/\/+$/, '') !== fhirBase) return fail('invalid_request', `aud must be ${fhirBase}`);
  const pkce = checkPkceRequest(str(q.code_challenge), str(q.code_challenge_method));
  if (!pkce.ok) return fail('invalid_request', pkce.description);
  const parsed = parseScopeString(str(q.scope));
  if (!parsed.ok) return fail('invalid_scope', `malformed scope: ${parsed.bad.slice(0, 100)}`);
  const scopeCheck = checkRequestedScopes(parsed.scopes, client.allowed_scopes, 'authorization_code');
  if (!scopeCheck.ok) return fail('invalid_scope', scopeCheck.description);
  const launch = str(q.launch);
  if (launch && !(await launchContexts.isPending(pg, launch, client.client_id)))
    return fail('invalid_request', 'launch is unknown, expired, already used or for another application');
  const nonce = str(q.nonce);
  if (nonce && nonce.length > 512) return fail('invalid_request', 'nonce is too long');
  return {
    kind: 'ok',
    client,
    params: {
      clientId: client.client_id,
      redirectUri,
      state,
      scope: parsed.scopes.map((s) => s.raw),
      codeChallenge: str(q.code_challenge)!,
      ...(nonce ? { nonce } : {}),
      ...(launch ? { launch } : {}),
    },
  };
}
