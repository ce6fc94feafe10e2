/**
 * HAPI writes its own base URL (as it sees itself, e.g. http://localhost:8080/fhir) into Bundle links and
 * fullUrls. Clients must only ever see the façade, so those are rewritten to `${publicBase}/fhir`.
 */
export function rewriteHapiUrl(url: string, hapiBasePath: string, facadeBase: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url; // relative references are already server-neutral
  }
  const base = hapiBasePath.replace(/\/+$/, '');
  if (parsed.pathname !== base && !parsed.pathname.startsWith(`${base}/`)) return url;
  return `${facadeBase.replace(/\/+$/, '')}${parsed.pathname.slice(base.length)}${parsed.search}`;
}

export function rewriteBundleUrls<B extends fhir4.Bundle>(bundle: B, hapiBasePath: string, facadeBase: string): B {
  const fix = (u: string | undefined) => (u === undefined ? u : rewriteHapiUrl(u, hapiBasePath, facadeBase));
  return {
    ...bundle,
    link: bundle.link?.map((l) => ({ ...l, url: fix(l.url)! })),
    entry: bundle.entry?.map((e) => ({
      ...e,
      ...(e.fullUrl ? { fullUrl: fix(e.fullUrl) } : {}),
      ...(e.link ? { link: e.link.map((l) => ({ ...l, url: fix(l.url)! })) } : {}),
    })),
  };
}
