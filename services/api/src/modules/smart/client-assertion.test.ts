import { checkAssertionClaims, checkAssertionHeader } from './client-assertion';
import { OAuthError } from './oauth-errors';

const URL_ = 'http://localhost:8000/oauth/token';
const now = 1_800_000_000;
const good = { iss: 'bs', sub: 'bs', aud: URL_, exp: now + 240, jti: 'j1' };
const err = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as OAuthError;
  }
  throw new Error('did not throw');
};

describe('Backend Services assertion rules (SMART Backend Services §Authenticating)', () => {
  it('accepts a well-formed assertion', () =>
    expect(checkAssertionClaims(good, 'bs', URL_, now)).toEqual({ jti: 'j1', exp: now + 240 }));
  it.each([
    ['iss differs', { iss: 'other' }],
    ['sub differs', { sub: 'other' }],
    ['aud is not the token URL', { aud: 'http://localhost:8000/token' }],
    ['exp missing', { exp: undefined }],
    ['exp more than 5 minutes ahead (beyond skew)', { exp: now + 300 + 61 }],
    ['expired beyond the 60 s skew', { exp: now - 61 }],
    ['nbf in the future', { nbf: now + 120 }],
    ['jti missing', { jti: undefined }],
  ])('%s → invalid_client', (_n, o) => {
    const e = err(() => checkAssertionClaims({ ...good, ...o }, 'bs', URL_, now));
    expect(e).toBeInstanceOf(OAuthError);
    expect(e.error).toBe('invalid_client');
  });
  it('tolerates 60 s of clock skew either way', () => {
    expect(() => checkAssertionClaims({ ...good, exp: now - 59 }, 'bs', URL_, now)).not.toThrow();
    expect(() => checkAssertionClaims({ ...good, exp: now + 359 }, 'bs', URL_, now)).not.toThrow();
    expect(() => checkAssertionClaims({ ...good, aud: ['x', URL_] }, 'bs', URL_, now)).not.toThrow();
  });
  it('header: RS384/ES384 only; jku must equal the registered jwks_uri', () => {
    expect(() => checkAssertionHeader({ alg: 'RS384' }, { clientId: 'bs' })).not.toThrow();
    expect(() =>
      checkAssertionHeader({ alg: 'ES384', jku: 'https://a/jwks' }, { clientId: 'bs', jwksUri: 'https://a/jwks' }),
    ).not.toThrow();
    expect(err(() => checkAssertionHeader({ alg: 'RS256' }, { clientId: 'bs' })).error).toBe('invalid_client');
    expect(err(() => checkAssertionHeader({ alg: 'none' }, { clientId: 'bs' })).error).toBe('invalid_client');
    expect(
      err(() =>
        checkAssertionHeader({ alg: 'RS384', jku: 'https://evil/jwks' }, { clientId: 'bs', jwksUri: 'https://a/jwks' }),
      ).error,
    ).toBe('invalid_client');
    expect(
      err(() => checkAssertionHeader({ alg: 'RS384', jku: 'https://a/jwks' }, { clientId: 'bs', jwks: { keys: [] } }))
        .error,
    ).toBe('invalid_client');
  });
});
