import autocannon from 'autocannon';

export interface BenchResult {
  name: string;
  requestsPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

export interface Scenario {
  name: string;
  url: string;
  /** Builds each request's path; called per request, so it can rotate over patients. */
  path: () => string;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: () => string;
}

export async function run(s: Scenario, opts: { connections: number; durationSec: number }): Promise<BenchResult> {
  const result = await autocannon({
    url: s.url,
    connections: opts.connections,
    duration: opts.durationSec,
    headers: s.headers,
    requests: [
      {
        method: s.method ?? 'GET',
        setupRequest: (req) => ({ ...req, path: s.path(), ...(s.body ? { body: s.body() } : {}) }),
      },
    ],
  });
  const lat = result.latency as unknown as Record<string, number | undefined>;
  return {
    name: s.name,
    requestsPerSec: result.requests.average,
    p50: lat.p50 ?? NaN,
    // autocannon reports p97.5, not p95, in older releases; fall back to it rather than print nothing.
    p95: lat.p95 ?? lat.p97_5 ?? NaN,
    p99: lat.p99 ?? NaN,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

export function printTable(rows: BenchResult[]): void {
  const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');
  console.log('\n| scenario | req/s | p50 ms | p95 ms | p99 ms | requests | errors | non-2xx |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${fmt(r.requestsPerSec, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.total} | ${r.errors} | ${r.non2xx} |`);
  }
}

export function pickRandom<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** All Patient ids on a FHIR server, following paging links. */
export async function patientIds(fhirBase: string, max: number): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = `${fhirBase}/Patient?_elements=id&_count=500`;
  while (next && ids.length < max) {
    const res = await fetch(next, { headers: { accept: 'application/fhir+json' } });
    if (!res.ok) throw new Error(`Patient search failed: HTTP ${res.status}`);
    const bundle = (await res.json()) as fhir4.Bundle;
    for (const e of bundle.entry ?? []) if (e.resource?.id) ids.push(e.resource.id);
    next = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return ids.slice(0, max);
}
