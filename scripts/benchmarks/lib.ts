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

/** Exact percentile of recorded latencies (autocannon itself reports p97.5, not p95). */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function run(s: Scenario, opts: { connections: number; durationSec: number }): Promise<BenchResult> {
  const times: number[] = [];
  // Without a callback autocannon returns its instance, which is also a thenable of the result.
  const instance = autocannon({
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
  }) as unknown as Promise<autocannon.Result> & { on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void };
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => { times.push(responseTime); });
  const result = await instance;
  times.sort((a, b) => a - b);
  return {
    name: s.name,
    requestsPerSec: result.requests.average,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
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
