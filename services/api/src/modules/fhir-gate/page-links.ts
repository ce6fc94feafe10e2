/**
 * Paging links bound to the token that started the search. HAPI's `?_getpages=<id>&...` links are rewritten to
 * the façade with `_gate=<HMAC(key, token id + the exact query)>`; a link replayed by another token, or edited
 * (another offset, other _elements), fails the check. Pure apart from the HMAC.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export const PAGE_SIG_PARAM = '_gate';

/** A key of its own, derived from a service secret, so it is stable across instances of the API. */
export function derivePageKey(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'wintehr fhir-gate page links', 32));
}

/** The query without the signature, in its original order (the signed form). */
export function canonicalPageQuery(params: ReadonlyArray<[string, string]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of params) if (k !== PAGE_SIG_PARAM) q.append(k, v);
  return q.toString();
}

export function signPage(key: Buffer, tokenId: string, params: ReadonlyArray<[string, string]>): string {
  return createHmac('sha256', key)
    .update(`${tokenId}\n${canonicalPageQuery(params)}`)
    .digest('base64url');
}

export function verifyPage(key: Buffer, tokenId: string, params: ReadonlyArray<[string, string]>): boolean {
  const given = params.find(([k]) => k === PAGE_SIG_PARAM)?.[1];
  if (!given || params.filter(([k]) => k === PAGE_SIG_PARAM).length !== 1) return false;
  const expected = Buffer.from(signPage(key, tokenId, params));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const PAGE_PARAM =
  /^(_getpages|_getpagesoffset|_count|_bundletype|_elements|_summary|_total|_offset|_sort|_include|_revinclude|_pretty|_format)$/;

/** Is this (from the façade or HAPI) a `_getpages` query with only the parameters HAPI itself puts in page links? */
export function isPageQuery(params: ReadonlyArray<[string, string]>): boolean {
  return params.some(([k]) => k === '_getpages') && params.every(([k]) => k === PAGE_SIG_PARAM || PAGE_PARAM.test(k));
}

/**
 * Rewrites one Bundle.link url from HAPI's base to the façade: paging links are signed for this token; others
 * just change base. Returns undefined for a link that cannot be rewritten safely (it is then dropped).
 */
export function rewriteLink(
  url: string,
  hapiBases: readonly string[],
  facadeBase: string,
  key: Buffer,
  tokenId: string,
): string | undefined {
  const base = hapiBases.find((b) => url === b || url.startsWith(`${b}/`) || url.startsWith(`${b}?`));
  if (base === undefined) return undefined;
  const rest = url.slice(base.length);
  const qi = rest.indexOf('?');
  const path = qi < 0 ? rest : rest.slice(0, qi);
  const params = [...new URLSearchParams(qi < 0 ? '' : rest.slice(qi + 1)).entries()].filter(
    ([k]) => k !== PAGE_SIG_PARAM,
  );
  if (params.some(([k]) => k === '_getpages')) {
    if (path !== '' && path !== '/') return undefined;
    if (!isPageQuery(params)) return undefined;
    params.push([PAGE_SIG_PARAM, signPage(key, tokenId, params)]);
    return `${facadeBase}?${new URLSearchParams(params).toString()}`;
  }
  return `${facadeBase}${rest}`;
}
