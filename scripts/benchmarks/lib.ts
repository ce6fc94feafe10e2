import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import type { AppDeps } from '../../services/api/src/core/deps';

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
  /** Fixed headers, or a function called per request (e.g. a single-use token each time). */
  headers?: Record<string, string> | (() => Record<string, string>);
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
    headers: typeof s.headers === 'function' ? undefined : s.headers,
    requests: [
      {
        method: s.method ?? 'GET',
        setupRequest: (req) => ({
          ...req,
          path: s.path(),
          ...(s.body ? { body: s.body() } : {}),
          ...(typeof s.headers === 'function' ? { headers: s.headers() } : {}),
        }),
      },
    ],
  }) as unknown as Promise<autocannon.Result> & {
    on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  };
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
  });
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
    console.log(
      `| ${r.name} | ${fmt(r.requestsPerSec, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.total} | ${r.errors} | ${r.non2xx} |`,
    );
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

/**
 * The app under test in a child process of its own (as in production, and so the load generator does not share its
 * event loop): the script forks itself with `--serve` (and `args`); the child reports `Ready` once listening.
 */
export interface AppProcess<Ready> {
  ready: Ready;
  child: ChildProcess;
  /** The child's CPU time so far (µs): CPU per request that does not move with the neighbours' load. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

export function forkApp<Ready>(args: string[], env: NodeJS.ProcessEnv): Promise<AppProcess<Ready>> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1]!, ['--serve', ...args], {
      execArgv: [
        '--import',
        'tsx',
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (ready) =>
      resolve({
        ready: ready as Ready,
        child,
        cpuMicros: () =>
          new Promise((done) => {
            child.once('message', (m) => done((m as { cpuMicros: number }).cpuMicros));
            child.send('cpu');
          }),
        stop: async () => {
          child.send('stop');
          await new Promise((r) => child.once('exit', r));
        },
      }),
    );
    child.once('exit', (code) => reject(new Error(`app process exited (${code}) before it was ready`)));
  });
}

/** Child side of forkApp: reports `ready`, answers CPU-time queries, and runs `stop` then exits when asked. */
export function serveApp(ready: unknown, stop: () => Promise<void>): void {
  process.send!(ready);
  process.on('message', async (m) => {
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send!({ cpuMicros: u.user + u.system });
      return;
    }
    if (m !== 'stop') return;
    await stop();
    process.exit(0);
  });
}

/** Runs `serve` in the child (`--serve`) or `main` in the parent; either failing exits 1 with its message. */
export function benchEntry(isChild: boolean, serve: () => Promise<void>, main: () => Promise<void>): void {
  const fail = (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  };
  if (isChild) serve().catch(fail);
  else main().then(() => process.exit(0), fail);
}

/**
 * Retires the bench's prescriptions (found by requester) as entered-in-error, eight at a time, so they leave the
 * demo patients' active lists. They cannot be deleted: the audit exporter's AuditEvents reference them.
 */
export async function retireWritten(fhir: AppDeps['fhir'], practitionerId: string): Promise<void> {
  let retired = 0;
  for (let round = 0; round < 1000; round++) {
    const batch = await fhir.searchResources('MedicationRequest', {
      requester: `Practitioner/${practitionerId}`,
      status: 'active',
      _count: 200,
    });
    let done = 0;
    for (let i = 0; i < batch.length; i += 8) {
      const results = await Promise.all(
        batch.slice(i, i + 8).map((m) =>
          fhir.update({ ...m, status: 'entered-in-error' }).then(
            () => 1,
            () => 0,
          ),
        ),
      );
      done += results.reduce<number>((a, b) => a + b, 0);
    }
    retired += done;
    if (!batch.length || !done) break;
  }
  console.log(`retired ${retired} bench MedicationRequests (status entered-in-error)`);
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
    s.on('error', fail);
  });
}
