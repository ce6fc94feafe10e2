/**
 * HAPI writes absolute URLs with its own configured address (http://localhost:8080/fhir even when called as
 * 127.0.0.1). Every such URL in an answer (fullUrl, Location, Content-Location, links) is moved to the façade.
 */
export function hapiBaseVariants(hapiBaseUrl: string): string[] {
  const u = new URL(hapiBaseUrl);
  const path = u.pathname.replace(/\/+$/, '');
  const hosts = new Set([u.host]);
  const port = u.port ? `:${u.port}` : '';
  for (const h of ['localhost', '127.0.0.1', '[::1]']) hosts.add(`${h}${port}`);
  return [...hosts].flatMap((h) => [`http://${h}${path}`, `https://${h}${path}`]);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const cache = new Map<string, RegExp>();

/** Replaces every HAPI base (followed by /, ?, a quote or the end) with the façade base. */
export function rewriteUrls(text: string, hapiBases: readonly string[], facadeBase: string): string {
  const key = hapiBases.join('\n');
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(`(?:${hapiBases.map(escape).join('|')})(?=[/?"#]|$)`, 'g');
    cache.set(key, re);
  }
  return text.replace(re, facadeBase);
}
