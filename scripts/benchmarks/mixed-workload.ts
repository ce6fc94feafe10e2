/**
 * The mixed multi-step workload (issue 18): N virtual users (Artillery), nine clinicians to one pharmacist, with
 * think time between steps. A clinician's loop: find a patient by name, open the chart summary, read results, run
 * the order-select CDS hook (client token + hook call), prescribe. A pharmacist's: load the open queue (100 items,
 * each re-screened). The same loops then run against HAPI alone (the equivalent FHIR reads and the
 * MedicationRequest create, no auth, no checks) as the reference, and the table prints p50/p95 per step for both.
 *
 *   node --import tsx scripts/benchmarks/mixed-workload.ts [--users 100] [--loops 4] [--think 1] [--patients 300]
 *        [--instances 2]   (API processes of this checkout, behind a local nginx when more than one: horizontal scaling)
 *        [--target http://127.0.0.1:8000]   (an API already running instead)
 *
 * Artillery is not a project dependency (its tree is ~450 MB): scripts/bench installs it into .data/bench-tools.
 * Writes a bench Practitioner, a bench physician assigned to the patients, and prescriptions it retires afterwards.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createApp } from '../../services/api/src/app';
import { buildDeps } from '../../services/api/src/core/bootstrap';
import { loadConfig } from '../../services/api/src/core/config';
import { usersRepository } from '../../services/api/src/core/auth/users.repository';
import { principalOf } from '../../services/api/src/modules/auth/auth.service';
import { resolvePrefetchTemplate } from '../../services/api/src/modules/cds-hooks/prefetch-template';
import { SAFETY_PREFETCH } from '../../services/api/src/modules/cds-hooks/services/prefetch-templates';
import { benchPhysician } from './in-process-app';
import { benchEntry, freePort, forkApp, retireWritten, serveApp } from './lib';
import { stepTable, type Step } from './mixed/report';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100' },
    loops: { type: 'string', default: '4' },
    think: { type: 'string', default: '1' },
    patients: { type: 'string', default: '300' },
    target: { type: 'string' },
    instances: { type: 'string', default: '1' },
    serve: { type: 'boolean', default: false },
    port: { type: 'string' },
  },
});
const ROOT = resolve(import.meta.dirname, '../..');
const ARTILLERY = join(ROOT, '.data/bench-tools/node_modules/.bin/artillery');
const LORATADINE = { code: '311372', name: 'loratadine 10 MG Oral Tablet' };

/** Child mode: the real API on the given port (its own process, as in production). */
async function serve(): Promise<void> {
  // BENCH_LOG_LEVEL=warn shows the API's own errors during a run.
  const level = process.env.BENCH_LOG_LEVEL ?? 'silent';
  const config = loadConfig({ ...process.env, LOG_LEVEL: level });
  const deps = await buildDeps(config, pino({ level }));
  await deps.redis.connect().catch(() => undefined);
  const server = createApp(deps).listen(Number(values.port), '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  serveApp({ port: Number(values.port) }, async () => {
    server.close();
    await deps.close();
  });
}

/** A local nginx spreading requests over the instances (least connections, keep-alive to the upstreams). */
async function startProxy(port: number, upstreams: number[]): Promise<ChildProcess> {
  const nginx = execFileSync('bash', [join(ROOT, 'deploy/tools.sh'), 'nginx'], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'wintehr-lb-'));
  const conf = `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream api {
    least_conn;
${upstreams.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 50m;
    # Bodies and answers stay in memory: nginx's workers cannot write temp files into this root-owned temp dir,
    # and the hook requests (prefetch included) are larger than the default in-memory buffer.
    client_body_buffer_size 16m;
    proxy_buffering off;
    location / {
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(nginx, ['-c', join(dir, 'nginx.conf'), '-p', dir, '-g', 'daemon off;'], { stdio: 'inherit' });
  for (let i = 0; i < 50; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`the local nginx did not answer on :${port} (see ${dir}/error.log)`);
}

const auth = (token: string) => ({ authorization: `Bearer {{ ${token} }}` });

/** One loop of a clinician's work through the façade (step names are the table's rows). */
function facadeFlow(think: number) {
  const prescribe = {
    medication: { code: LORATADINE.code },
    dosage: { dose: { value: 1, unit: 'tablet' }, route: 'oral', frequency: 1, period: 1, periodUnit: 'd' },
    dispense: { quantity: { value: 30, unit: 'tablet' }, numberOfRepeatsAllowed: 0, expectedSupplyDays: 30 },
    reason: { text: 'Allergic rhinitis' },
  };
  return [
    { get: { name: '1 search patients', url: '/api/patients?q={{ term }}', headers: auth('token') } },
    { think },
    { get: { name: '2 chart summary', url: '/api/patients/{{ pid }}/summary', headers: auth('token') } },
    { think },
    { get: { name: '3 results', url: '/api/patients/{{ pid }}/results', headers: auth('token') } },
    { think },
    { function: 'draftOrder' },
    {
      post: {
        name: '4a CDS client token',
        url: '/api/cds/client-token',
        headers: auth('token'),
        json: { serviceId: 'wintehr-order-select' },
        capture: { json: '$.access_token', as: 'cdsToken' },
      },
    },
    {
      post: {
        name: '4b CDS order-select',
        url: '/cds-services/wintehr-order-select',
        headers: auth('cdsToken'),
        json: '{{ hookBody }}',
      },
    },
    { think },
    {
      post: {
        name: '5 prescribe',
        url: '/api/patients/{{ pid }}/medications',
        headers: auth('token'),
        json: prescribe,
      },
    },
    { think },
  ];
}

/** A pharmacist's loop: the open queue as the queue page loads it (100 items, each re-screened), then work on it. */
function facadePharmacistFlow(think: number) {
  return [
    { get: { name: '6 pharmacy queue', url: '/api/pharmacy/queue?limit=100', headers: auth('pharmacistToken') } },
    { think: think * 3 },
  ];
}

/** The same loop straight against HAPI: the FHIR requests that answer each step, without auth or checks. */
function hapiFlow(think: number, fhirPath: string) {
  const f = (p: string) => `${fhirPath}/${p}`;
  const accept = { accept: 'application/fhir+json' };
  return [
    { get: { name: '1 search patients', url: f('Patient?name={{ term }}&_count=20'), headers: accept } },
    { think },
    {
      get: {
        name: '2 chart summary',
        url: f(
          'Patient?_id={{ pid }}&_revinclude=Condition:patient&_revinclude=MedicationRequest:patient' +
            '&_revinclude=AllergyIntolerance:patient&_revinclude=Coverage:beneficiary',
        ),
        headers: accept,
      },
    },
    { think },
    {
      get: {
        name: '3 results',
        url: f('DiagnosticReport?patient={{ pid }}&_sort=-date&_count=20&_include=DiagnosticReport:result'),
        headers: accept,
      },
    },
    { think },
    { function: 'draftOrder' },
    {
      get: {
        name: '4b CDS order-select',
        url: f('MedicationRequest?patient={{ pid }}&status=active&_count=100'),
        headers: accept,
      },
    },
    { think },
    {
      post: {
        name: '5 prescribe',
        url: f('MedicationRequest'),
        headers: { 'content-type': 'application/fhir+json' },
        json: {
          resourceType: 'MedicationRequest',
          status: 'active',
          intent: 'order',
          subject: { reference: 'Patient/{{ pid }}' },
          requester: { reference: 'Practitioner/{{ practitioner }}' },
          authoredOn: '2026-01-01',
          medicationCodeableConcept: {
            coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: LORATADINE.code }],
          },
        },
      },
    },
    { think },
  ];
}

function hapiPharmacistFlow(think: number, fhirPath: string) {
  return [
    {
      get: {
        name: '6 pharmacy queue',
        url: `${fhirPath}/MedicationRequest?status=active&intent=order&_sort=-_lastUpdated&_count=100&_include=MedicationRequest:subject`,
        headers: { accept: 'application/fhir+json' },
      },
    },
    { think: think * 3 },
  ];
}

interface ArtilleryReport {
  aggregate: {
    counters: Record<string, number>;
    summaries: Record<string, { p50: number; p95: number; p99: number; count: number }>;
  };
}

async function artillery(
  name: string,
  target: string,
  flows: { clinician: unknown[]; pharmacist: unknown[] },
  opts: { users: number; loops: number },
  dir: string,
): Promise<ArtilleryReport> {
  const script = join(dir, `${name}.json`);
  const output = join(dir, `${name}-report.json`);
  // Users arrive over users/10 seconds (10 per second), then each walks the loop `loops` times.
  const rate = Math.min(10, opts.users);
  writeFileSync(
    script,
    JSON.stringify({
      config: {
        target,
        phases: [{ duration: Math.ceil(opts.users / rate), arrivalRate: rate }],
        processor: join(import.meta.dirname, 'mixed/processor.cjs'),
        plugins: { 'metrics-by-endpoint': { useOnlyRequestNames: true } },
        http: { timeout: 30 },
      },
      // Nine clinicians to one pharmacist, as in a practice with an in-house pharmacy.
      scenarios: [
        {
          name: 'clinician',
          weight: 9,
          flow: [{ function: 'pickPatient' }, { loop: flows.clinician, count: opts.loops }],
        },
        {
          name: 'pharmacist',
          weight: 1,
          flow: [{ function: 'pickPatient' }, { loop: flows.pharmacist, count: opts.loops }],
        },
      ],
    }),
  );
  await new Promise<void>((done, fail) => {
    const child = spawn(ARTILLERY, ['run', '--quiet', '--output', output, script], {
      env: { ...process.env, BENCH_CONTEXT: join(dir, 'context.json'), ARTILLERY_DISABLE_TELEMETRY: 'true' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`artillery exited ${code}`))));
  });
  return JSON.parse(readFileSync(output, 'utf8')) as ArtilleryReport;
}

/** The chart cache's lookups during the run (warm-up included), from the API's own Prometheus counter. */
async function chartCacheLine(target: string): Promise<string> {
  const text = await (await fetch(`${target}/metrics`)).text().catch(() => '');
  const counts: Record<string, Record<string, number>> = {};
  for (const m of text.matchAll(/^wintehr_chart_cache_lookups_total\{kind="([^"]+)",outcome="([^"]+)"\} (\d+)/gm))
    (counts[m[1]!] ??= {})[m[2]!] = Number(m[3]);
  const parts = Object.entries(counts).map(([kind, c]) => {
    const total = (c.hit ?? 0) + (c.miss ?? 0) + (c.bypass ?? 0);
    return `${kind} ${c.hit ?? 0}/${total} hits (${total ? Math.round((100 * (c.hit ?? 0)) / total) : 0} %)`;
  });
  return `chart cache (one instance's counters): ${parts.join(', ') || 'no lookups'}`;
}

/** Per step: p50/p95 (time to first byte) and errors, from Artillery's metrics-by-endpoint plugin. */
function steps(report: ArtilleryReport): Map<string, Step> {
  const out = new Map<string, Step>();
  const prefix = 'plugins.metrics-by-endpoint.';
  for (const [key, s] of Object.entries(report.aggregate.summaries)) {
    if (!key.startsWith(`${prefix}response_time.`)) continue;
    const name = key.slice(`${prefix}response_time.`.length);
    out.set(name, { name, p50: s.p50, p95: s.p95, count: s.count, failed: 0 });
  }
  for (const [key, n] of Object.entries(report.aggregate.counters)) {
    const m = /^plugins\.metrics-by-endpoint\.(.+)\.(codes\.(\d+)|errors\..+)$/.exec(key);
    if (!m) continue;
    const step = out.get(m[1]!) ?? { name: m[1]!, p50: NaN, p95: NaN, count: 0, failed: 0 };
    if (!m[3] || Number(m[3]) >= 400) step.failed += n;
    out.set(m[1]!, step);
  }
  return out;
}

/** The order-select prefetch (the safety templates) of each patient, read from HAPI eight patients at a time. */
async function prefetchFor(hapi: string, ids: readonly string[]): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < ids.length; i += 8) {
    await Promise.all(
      ids.slice(i, i + 8).map(async (id) => {
        const entries = await Promise.all(
          Object.entries(SAFETY_PREFETCH).map(async ([key, template]) => {
            const res = await fetch(`${hapi}/${resolvePrefetchTemplate(template, { patientId: id })}`, {
              headers: { accept: 'application/fhir+json' },
            });
            if (!res.ok) throw new Error(`prefetch ${key} for a bench patient: HTTP ${res.status}`);
            return [key, await res.json()] as const;
          }),
        );
        out[id] = Object.fromEntries(entries);
      }),
    );
  }
  return out;
}

async function main() {
  if (!existsSync(ARTILLERY))
    throw new Error(`no Artillery at ${ARTILLERY}: run it through scripts/bench, which installs it`);
  const users = Number(values.users);
  const loops = Number(values.loops);
  const think = Number(values.think);
  // The tokens' issuer and audience and the CDS client token's audience are the public base URL: the same in the
  // tokens minted here and in the API the users call.
  const port = values.target ? undefined : await freePort();
  const target = values.target ?? `http://127.0.0.1:${port}`;
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', PUBLIC_BASE_URL: target });
  const deps = await buildDeps(config, pino({ level: 'silent' }));
  await deps.redis.connect().catch(() => undefined);
  let physician: Awaited<ReturnType<typeof benchPhysician>> | undefined;
  let practitionerId: string | undefined;
  const apps: Awaited<ReturnType<typeof forkApp<{ port: number }>>>[] = [];
  let proxy: ChildProcess | undefined;
  try {
    const bundle = await deps.fhir.search('Patient', { _count: Number(values.patients), _elements: 'id,name' });
    const patients = (bundle.entry ?? [])
      .map((e) => e.resource as fhir4.Patient)
      .filter((p) => p.id && p.name?.[0]?.family)
      .map((p) => ({ id: p.id!, term: `${p.name![0]!.given?.[0] ?? ''} ${p.name![0]!.family}`.trim() }));
    if (!patients.length) throw new Error('no patients in HAPI; load demo data first (scripts/demo-data.sh)');
    // The chart sends the order-select hook its prefetch from what it already shows (web/src/core/cds/prefetch.ts);
    // here it is read once per patient before the run, so the users' CDS step costs what the browser's costs.
    const prefetch = await prefetchFor(
      config.hapi.baseUrl,
      patients.map((p) => p.id),
    );
    const practitioner = await deps.fhir.create<fhir4.Practitioner>({
      resourceType: 'Practitioner',
      active: true,
      name: [{ family: 'Bench', given: ['Mixed'] }],
      identifier: [{ system: 'urn:wintehr:bench', value: `mixed-${Date.now().toString(36)}` }],
    });
    practitionerId = practitioner.id!;
    physician = await benchPhysician(
      deps,
      patients.map((p) => p.id),
      {
        username: `bench.mixed.${Date.now().toString(36)}`,
        displayName: 'Bench clinician',
        fhirPractitionerId: practitionerId,
      },
    );
    const pharmacist = await usersRepository.byUsername(deps.pg, 'pharm.lee');
    if (!pharmacist)
      throw new Error('demo pharmacist pharm.lee missing: start the API once (npm start) to create demo users');
    const { token: pharmacistToken } = await deps.tokens.issueAccessToken(principalOf(pharmacist));

    if (port) {
      const instances = Number(values.instances);
      if (instances <= 1)
        apps.push(await forkApp(['--port', String(port)], { PUBLIC_BASE_URL: target, PORT: String(port) }));
      else {
        const ports: number[] = [];
        for (let i = 0; i < instances; i++) {
          const p = await freePort();
          ports.push(p);
          // Every instance answers as the proxy's address: tokens and CDS audiences are the same everywhere.
          apps.push(await forkApp(['--port', String(p)], { PUBLIC_BASE_URL: target, PORT: String(p) }));
        }
        proxy = await startProxy(port, ports);
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'wintehr-mixed-'));
    writeFileSync(
      join(dir, 'context.json'),
      JSON.stringify({
        patients,
        prefetch,
        physicianToken: physician.token,
        pharmacistToken,
        practitionerId,
        drug: LORATADINE,
      }),
    );
    const hapi = new URL(config.hapi.baseUrl);
    console.log(
      `${apps.length > 1 ? `${apps.length} API instances behind nginx; ` : ''}${users} users × ${loops} loops, think ${think}s, ${patients.length} patients; façade ${target} vs HAPI ${hapi.origin}${hapi.pathname}`,
    );
    // A short pass first, not counted: a fresh API process compiles its hot paths on the first requests.
    await artillery(
      'warm-up',
      target,
      { clinician: facadeFlow(0), pharmacist: facadePharmacistFlow(0) },
      { users: Math.min(10, users), loops: 1 },
      dir,
    );
    const facade = steps(
      await artillery(
        'facade',
        target,
        { clinician: facadeFlow(think), pharmacist: facadePharmacistFlow(think) },
        { users, loops },
        dir,
      ),
    );
    console.log(await chartCacheLine(target));
    const reference = steps(
      await artillery(
        'hapi',
        hapi.origin,
        { clinician: hapiFlow(think, hapi.pathname), pharmacist: hapiPharmacistFlow(think, hapi.pathname) },
        { users, loops },
        dir,
      ),
    );
    stepTable(facade, reference);
  } finally {
    proxy?.kill('SIGTERM');
    await Promise.all(apps.map((a) => a.stop()));
    if (practitionerId) await retireWritten(deps.fhir, practitionerId);
    await physician?.remove();
    await deps.close();
  }
}

benchEntry(values.serve, serve, main);
