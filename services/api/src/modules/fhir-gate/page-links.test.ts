import { derivePageKey, isPageQuery, PAGE_SIG_PARAM, rewriteLink, signPage, verifyPage } from './page-links';

const key = derivePageKey(Buffer.alloc(32, 7));
const HAPI = ['http://localhost:8080/fhir', 'http://127.0.0.1:8080/fhir'];
const FACADE = 'http://localhost:8000/fhir';
const pairs = (url: string) =>
  [...new URLSearchParams(url.slice(url.indexOf('?') + 1)).entries()] as Array<[string, string]>;
const hapiNext =
  'http://localhost:8080/fhir?_getpages=abc-123&_getpagesoffset=20&_count=20&_bundletype=searchset&_elements=id';

describe('page links', () => {
  test('a HAPI paging link becomes a façade link signed for the token', () => {
    const out = rewriteLink(hapiNext, HAPI, FACADE, key, 'jti-1')!;
    expect(out.startsWith(`${FACADE}?_getpages=abc-123&`)).toBe(true);
    expect(verifyPage(key, 'jti-1', pairs(out))).toBe(true);
  });

  test.each([
    ['another token', (u: string) => u, 'jti-2'],
    ['another offset', (u: string) => u.replace('_getpagesoffset=20', '_getpagesoffset=0'), 'jti-1'],
    ['another page id', (u: string) => u.replace('abc-123', 'abc-124'), 'jti-1'],
    ['_elements dropped', (u: string) => u.replace('&_elements=id', ''), 'jti-1'],
    ['extra parameter', (u: string) => `${u}&_count=500`, 'jti-1'],
    ['no signature', (u: string) => u.replace(/&_gate=[^&]+/, ''), 'jti-1'],
    ['two signatures', (u: string) => `${u}&_gate=x`, 'jti-1'],
    ['truncated signature', (u: string) => u.slice(0, -2), 'jti-1'],
  ])('refused: %s', (_n, edit, tokenId) => {
    const out = edit(rewriteLink(hapiNext, HAPI, FACADE, key, 'jti-1')!);
    expect(verifyPage(key, tokenId, pairs(out))).toBe(false);
  });

  test('a key derived from another secret does not verify', () => {
    const params: Array<[string, string]> = [
      ['_getpages', 'x'],
      [PAGE_SIG_PARAM, signPage(key, 'j', [['_getpages', 'x']])],
    ];
    expect(verifyPage(key, 'j', params)).toBe(true);
    expect(verifyPage(derivePageKey(Buffer.alloc(32, 8)), 'j', params)).toBe(false);
  });

  test('non-paging links only change base; foreign or odd links are dropped', () => {
    expect(rewriteLink('http://127.0.0.1:8080/fhir/Observation?patient=1', HAPI, FACADE, key, 'j')).toBe(
      `${FACADE}/Observation?patient=1`,
    );
    expect(rewriteLink('http://evil.example/fhir/Observation', HAPI, FACADE, key, 'j')).toBeUndefined();
    expect(rewriteLink('http://localhost:8080/fhirx/Observation', HAPI, FACADE, key, 'j')).toBeUndefined();
    expect(rewriteLink('http://localhost:8080/fhir/Observation?_getpages=1', HAPI, FACADE, key, 'j')).toBeUndefined();
    expect(rewriteLink('http://localhost:8080/fhir?_getpages=1&patient=2', HAPI, FACADE, key, 'j')).toBeUndefined();
  });

  test('isPageQuery accepts only what HAPI puts in page links', () => {
    expect(
      isPageQuery([
        ['_getpages', 'a'],
        ['_getpagesoffset', '1'],
        ['_count', '1'],
      ]),
    ).toBe(true);
    expect(isPageQuery([['_getpagesoffset', '1']])).toBe(false);
    expect(
      isPageQuery([
        ['_getpages', 'a'],
        ['patient', 'b'],
      ]),
    ).toBe(false);
  });
});
