/**
 * Reads one prefetch query from the CDS client's FHIR server, bounded by a per-call timeout. Redirects are not
 * followed, and only http(s) URLs under the given server are ever requested.
 */
import { Agent, request } from 'undici';

const agent = new Agent({ connections: 64, keepAliveTimeout: 10_000, connect: { timeout: 3_000 } });

export type FetchOutcome = { ok: true; value: fhir4.FhirResource | null } | { ok: false; reason: string };

/** Joins a relative query to the server base; undefined when the result would leave the base or is not http(s). */
export function prefetchUrl(fhirServer: string, relative: string): string | undefined {
  let base: URL;
  try { base = new URL(fhirServer.endsWith('/') ? fhirServer : `${fhirServer}/`); } catch { return undefined; }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(relative) || relative.startsWith('//')) return undefined;
  const url = new URL(relative.replace(/^\/+/, ''), base);
  return url.origin === base.origin && url.pathname.startsWith(base.pathname) ? url.toString() : undefined;
}

export async function fetchFhir(fhirServer: string, relative: string, accessToken: string | undefined, timeoutMs: number): Promise<FetchOutcome> {
  const url = prefetchUrl(fhirServer, relative);
  if (!url) return { ok: false, reason: 'invalid-url' };
  try {
    const res = await request(url, {
      method: 'GET',
      dispatcher: agent,
      headers: { accept: 'application/fhir+json', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    if (res.statusCode === 404) { await res.body.dump(); return { ok: true, value: null }; }
    if (res.statusCode !== 200) { await res.body.dump(); return { ok: false, reason: `http-${res.statusCode}` }; }
    const body = (await res.body.json()) as { resourceType?: unknown };
    if (!body || typeof body.resourceType !== 'string') return { ok: false, reason: 'not-fhir' };
    return { ok: true, value: body as fhir4.FhirResource };
  } catch (err) {
    const e = err as { name?: string; code?: string };
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT' || e.code === 'UND_ERR_CONNECT_TIMEOUT';
    return { ok: false, reason: timedOut ? 'timeout' : 'unreachable' };
  }
}
