import { checkPkceRequest, s256, verifyPkce } from './pkce';

describe('PKCE (RFC 7636, S256 only)', () => {
  // RFC 7636 Appendix B test vector.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('computes the RFC test vector', () => expect(s256(verifier)).toBe(challenge));
  it('verifies the right verifier and rejects a wrong, missing or malformed one', () => {
    expect(verifyPkce(verifier, challenge)).toBe(true);
    expect(verifyPkce(`${verifier.slice(0, -1)}A`, challenge)).toBe(false);
    expect(verifyPkce(undefined, challenge)).toBe(false);
    expect(verifyPkce('short', s256('short'))).toBe(false); // under 43 characters
    expect(verifyPkce(`${verifier} `, challenge)).toBe(false);
  });
  it('refuses plain, a missing method, a missing or malformed challenge', () => {
    expect(checkPkceRequest(challenge, 'S256')).toEqual({ ok: true });
    expect(checkPkceRequest(challenge, 'plain').ok).toBe(false);
    expect(checkPkceRequest(challenge, undefined).ok).toBe(false);
    expect(checkPkceRequest(undefined, 'S256').ok).toBe(false);
    expect(checkPkceRequest('abc', 'S256').ok).toBe(false);
  });
});
