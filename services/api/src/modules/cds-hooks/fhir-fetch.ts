/**
 * Reads one prefetch query from the CDS client's FHIR server, bounded by a per-call timeout and a body size cap.
 * Redirects are not followed, and only http(s) URLs under the given server are ever requested.
 */
import { Agent, request, type Dispatcher } from 'undici';

const agent = new Agent({ connections: 64, keepAliveTimeout: 10_000, connect: { timeout: 3_000 } });

/** Larger than any prefetch this service asks for (at most 200 entries per search), small enough to bound memory. */
export const MAX_PREFETCH_BYTES = 8 * 1024 * 1024;

export type FetchOutcome = { ok: true; value: fhir4.FhirResource | null } | { ok: false; reason: string };

/** The body as text, or undefined once it grows past `max` (the rest is not read). */
async function readCapped(body: Dispatcher.ResponseData['body'], max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Joins a relative query to the server base; undefined when the result would leave the base or is not http(s). */
export function prefetchUrl(fhirServer: string, relative: string): string | undefined {
  let base: URL;
  try {
    base = new URL(fhirServer.endsWith('/') ? fhirServer : `${fhirServer}/`);
  } catch {
    return undefined;
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(relative) || relative.startsWith('//')) return undefined;
  const url = new URL(relative.replace(/^\/+/, ''), base);
  return url.origin === base.origin && url.pathname.startsWith(base.pathname) ? url.toString() : undefined;
}

export async function fetchFhir(
  fhirServer: string,
  relative: string,
  accessToken: string | undefined,
  timeoutMs: number,
  maxBytes = MAX_PREFETCH_BYTES,
): Promise<FetchOutcome> {
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
    if (res.statusCode === 404) {
      await res.body.dump();
      return { ok: true, value: null };
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      return { ok: false, reason: `http-${res.statusCode}` };
    }
    if (Number(res.headers['content-length'] ?? 0) > maxBytes) {
      res.body.destroy();
      return { ok: false, reason: 'too-large' };
    }
    const text = await readCapped(res.body, maxBytes);
    if (text === undefined) return { ok: false, reason: 'too-large' };
    let body: { resourceType?: unknown } | null;
    try {
      body = JSON.parse(text) as { resourceType?: unknown } | null;
    } catch {
      return { ok: false, reason: 'not-fhir' };
    }
    if (!body || typeof body.resourceType !== 'string') return { ok: false, reason: 'not-fhir' };
    return { ok: true, value: body as fhir4.FhirResource };
  } catch (err) {
    const e = err as { name?: string; code?: string };
    const timedOut =
      e.name === 'TimeoutError' ||
      e.name === 'AbortError' ||
      e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
      e.code === 'UND_ERR_BODY_TIMEOUT' ||
      e.code === 'UND_ERR_CONNECT_TIMEOUT';
    return { ok: false, reason: timedOut ? 'timeout' : 'unreachable' };
  }
}
