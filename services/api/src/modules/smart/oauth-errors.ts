/** OAuth 2 / SMART error codes exactly as RFC 6749 §5.2 and §4.1.2.1 name them. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error'
  | 'unsupported_token_type';

/** A failure the token, introspection and revocation endpoints answer as `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status?: number,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

/**
 * The HTTP status of a token-endpoint error (RFC 6749 §5.2): 401 for client authentication failures,
 * 500/503 for server faults, 400 otherwise.
 */
export function oauthStatus(e: OAuthError): number {
  if (e.status) return e.status;
  if (e.error === 'invalid_client') return 401;
  if (e.error === 'server_error') return 500;
  return 400;
}

/** Headers for a token-endpoint error: a Basic challenge when the client tried (or must use) HTTP Basic. */
export function oauthErrorHeaders(e: OAuthError, usedBasic: boolean): Record<string, string> {
  const h: Record<string, string> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  if (e.error === 'invalid_client' && usedBasic) h['WWW-Authenticate'] = 'Basic realm="wintehr-smart", charset="UTF-8"';
  return h;
}

/** Authorization-endpoint error redirect (RFC 6749 §4.1.2.1): error, description and the client's state. */
export function errorRedirectUrl(
  redirectUri: string,
  error: OAuthErrorCode,
  description: string,
  state?: string,
): string {
  const u = new URL(redirectUri);
  u.searchParams.set('error', error);
  u.searchParams.set('error_description', description);
  if (state) u.searchParams.set('state', state);
  return u.toString();
}
