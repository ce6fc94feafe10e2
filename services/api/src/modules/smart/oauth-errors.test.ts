import { errorRedirectUrl, OAuthError, oauthErrorHeaders, oauthStatus } from './oauth-errors';
import { openidConfiguration, smartConfiguration } from './discovery';
import { esc } from './authorize-pages';

describe('OAuth error mapping (RFC 6749 §5.2, §4.1.2.1)', () => {
  it.each([
    ['invalid_request', 400],
    ['invalid_grant', 400],
    ['invalid_scope', 400],
    ['unauthorized_client', 400],
    ['unsupported_grant_type', 400],
    ['invalid_client', 401],
    ['server_error', 500],
  ] as const)('%s → %d', (code, status) => expect(oauthStatus(new OAuthError(code, 'x'))).toBe(status));
  it('no-store always; a Basic challenge only for invalid_client after Basic', () => {
    expect(oauthErrorHeaders(new OAuthError('invalid_client', 'x'), true)['WWW-Authenticate']).toMatch(/^Basic realm=/);
    expect(oauthErrorHeaders(new OAuthError('invalid_client', 'x'), false)['WWW-Authenticate']).toBeUndefined();
    expect(oauthErrorHeaders(new OAuthError('invalid_grant', 'x'), true)).toEqual({
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
    });
  });
  it('error redirects keep the redirect URI query and carry state', () => {
    const u = new URL(errorRedirectUrl('https://app.example/cb?x=1', 'invalid_scope', 'bad scope', 'st'));
    expect(Object.fromEntries(u.searchParams)).toEqual({
      x: '1',
      error: 'invalid_scope',
      error_description: 'bad scope',
      state: 'st',
    });
    expect(new URL(errorRedirectUrl('https://app.example/cb', 'access_denied', 'no')).searchParams.has('state')).toBe(
      false,
    );
  });
});

describe('discovery documents', () => {
  it('absolute URLs under the public base, S256 only, no plain', () => {
    const c = smartConfiguration('https://ehr.example');
    for (const k of [
      'authorization_endpoint',
      'token_endpoint',
      'introspection_endpoint',
      'revocation_endpoint',
      'jwks_uri',
    ])
      expect((c as Record<string, unknown>)[k]).toMatch(/^https:\/\/ehr\.example\//);
    expect(c.code_challenge_methods_supported).toEqual(['S256']);
    expect(openidConfiguration('https://ehr.example').issuer).toBe(c.issuer);
  });
  it('escapes HTML', () => expect(esc(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;'));
});
