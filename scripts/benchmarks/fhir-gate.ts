/**
 * The FHIR gate's cost: the same requests through the gate (/fhir with a SMART token) and against HAPI directly,
 * in the same run, alternating scenario by scenario, and the ratios. Target: gate throughput ≥ 0.85× HAPI direct
 * and added p50 ≤ 2 ms at 32 connections.
 *
 *   node --import tsx scripts/benchmarks/fhir-gate.ts [--connections 32] [--duration 15] [--rounds 3] [--patients 1000] [--token system|user] [--audit on|off]
 *
 * Each scenario alternates `rounds` short runs (HAPI, gate, HAPI, gate...); req/s is their mean, latencies their
 * median. The gate process's CPU time per request is printed too: on a loaded 2-core machine it is the number
 * that does not move with the neighbours.
 *
 * The app runs in a child process of its own (as in production, and so the load generator does not share its
 * event loop) on an ephemeral loopback port, with the environment's configuration (HAPI_BASE_URL, DATABASE_URL...).
 * `--token system` uses a Backend Services token (system/*.rs); `--token user` a physician's user/*.rs token with
 * an assignment to every benchmarked patient (the user is deleted afterwards).
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { benchEntry, forkApp, patientIds, pickRandom, printTable, run, serveApp, type BenchResult } from './lib';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '15' },
    patients: { type: 'string', default: '1000' },
    token: { type: 'string', default: 'system' },
    rounds: { type: 'string', default: '3' },
    audit: { type: 'string', default: 'on' },
    serve: { type: 'boolean', default: false },
  },
});

/** Child mode: build the real app, listen on an ephemeral port, mint the token, report both to the parent. */
async function serve(): Promise<void> {
  const pino = (await import('pino')).default;
  const { createApp } = await import('../../services/api/src/app');
  const { buildDeps } = await import('../../services/api/src/core/bootstrap');
  const { loadConfig } = await import('../../services/api/src/core/config');
  const { issueSmartAccessToken } = await import('../../services/api/src/core/auth/smart-token');
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const deps = await buildDeps(config, pino({ level: 'silent' }));
  // --audit off: what the audit trail (PostgreSQL writes shared with HAPI's database) costs, for comparison only.
  if (values.audit === 'off')
    deps.audit = { record: () => undefined, flush: async () => undefined, close: async () => undefined };
  await deps.redis.connect().catch(() => undefined);
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  let userId: string | undefined;
  const ids = JSON.parse(process.env.BENCH_PATIENT_IDS ?? '[]') as string[];
  let token: string;
  if (values.token === 'user') {
    const { usersRepository } = await import('../../services/api/src/core/auth/users.repository');
    const user = await usersRepository.insert(deps.pg, {
      username: `bench.gate.${Date.now().toString(36)}`,
      displayName: 'Bench physician',
      role: 'physician',
      passwordHash: 'x',
    });
    userId = user.id;
    await deps.pg.query(
      `INSERT INTO patient_assignments (user_id, patient_id, reason) SELECT $1, unnest($2::text[]), 'benchmark'`,
      [user.id, ids],
    );
    token = (
      await issueSmartAccessToken(
        deps.tokens,
        config.publicBaseUrl,
        {
          kind: 'user',
          clientId: 'bench',
          userId: user.id,
          username: user.username,
          role: 'physician',
          scopes: ['user/*.rs'],
        },
        3600,
      )
    ).token;
  } else {
    token = (
      await issueSmartAccessToken(
        deps.tokens,
        config.publicBaseUrl,
        { kind: 'system', clientId: 'bench', scopes: ['system/*.rs'] },
        3600,
      )
    ).token;
  }
  serveApp({ port, token, hapi: config.hapi.baseUrl } satisfies GateReady, async () => {
    if (userId) await deps.pg.query('DELETE FROM users WHERE id = $1', [userId]).catch(() => undefined);
    server.close();
    await deps.close();
  });
}

interface GateReady {
  port: number;
  token: string;
  hapi: string;
}

async function main(): Promise<void> {
  const connections = Number(values.connections);
  const durationSec = Number(values.duration);
  const hapiBase = process.env.HAPI_BASE_URL ?? 'http://127.0.0.1:8080/fhir';
  const ids = await patientIds(hapiBase, Number(values.patients));
  if (!ids.length) throw new Error('no patients on the server; load demo data first (scripts/demo-data.sh)');
  const app = await forkApp<GateReady>(['--token', values.token!, '--audit', values.audit!], {
    BENCH_PATIENT_IDS: JSON.stringify(ids),
  });
  const gate = app.ready;
  try {
    const hapi = new URL(hapiBase);
    const prefix = hapi.pathname.replace(/\/$/, '');
    const gateUrl = `http://127.0.0.1:${gate.port}`;
    const hapiHeaders = { accept: 'application/fhir+json' };
    const gateHeaders = { accept: 'application/fhir+json', authorization: `Bearer ${gate.token}` };
    console.log(
      `FHIR gate (${values.token} token, audit ${values.audit}) at ${gateUrl}/fhir vs HAPI at ${hapiBase}: ${ids.length} patients, ${connections} connections, ${durationSec}s per scenario`,
    );
    await run(
      {
        name: 'warm-up HAPI',
        url: hapi.origin,
        headers: hapiHeaders,
        path: () => `${prefix}/Patient/${pickRandom(ids)}`,
      },
      { connections, durationSec: 5 },
    );
    await run(
      { name: 'warm-up gate', url: gateUrl, headers: gateHeaders, path: () => `/fhir/Patient/${pickRandom(ids)}` },
      { connections, durationSec: 5 },
    );

    // Alternate short rounds (HAPI, gate, HAPI, gate...) so drifting machine load hits both sides alike.
    const rounds = Math.max(1, Number(values.rounds));
    const cpu = app.cpuMicros;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const combine = (name: string, rs: BenchResult[]): BenchResult => ({
      name,
      requestsPerSec: rs.reduce((a, r) => a + r.requestsPerSec, 0) / rs.length,
      p50: median(rs.map((r) => r.p50)),
      p95: median(rs.map((r) => r.p95)),
      p99: median(rs.map((r) => r.p99)),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
      total: rs.reduce((a, r) => a + r.total, 0),
    });
    const scenarios = [
      { name: 'GET Patient/{id}', path: () => `Patient/${pickRandom(ids)}` },
      {
        name: 'GET Observation?patient&category=laboratory',
        path: () => `Observation?patient=${pickRandom(ids)}&category=laboratory`,
      },
    ];
    const pairs: Array<[BenchResult, BenchResult, number]> = [];
    const roundOpts = { connections, durationSec: Math.max(2, Math.round(durationSec / rounds)) };
    for (const sc of scenarios) {
      const direct: BenchResult[] = [];
      const gated: BenchResult[] = [];
      let cpuMicros = 0;
      for (let i = 0; i < rounds; i++) {
        direct.push(
          await run(
            { name: sc.name, url: hapi.origin, headers: hapiHeaders, path: () => `${prefix}/${sc.path()}` },
            roundOpts,
          ),
        );
        const before = await cpu();
        gated.push(
          await run({ name: sc.name, url: gateUrl, headers: gateHeaders, path: () => `/fhir/${sc.path()}` }, roundOpts),
        );
        cpuMicros += (await cpu()) - before;
      }
      const g = combine(`gate ${sc.name}`, gated);
      pairs.push([combine(`HAPI ${sc.name}`, direct), g, cpuMicros / 1000 / Math.max(1, g.total)]);
    }
    printTable(pairs.flatMap(([d, g]) => [d, g]));
    console.log('\n| scenario | throughput gate/HAPI | added p50 ms | gate CPU ms/request | target met |');
    console.log('|---|---:|---:|---:|---|');
    for (const [direct, gated, cpuPerRequest] of pairs) {
      const ratio = gated.requestsPerSec / direct.requestsPerSec;
      const added = gated.p50 - direct.p50;
      const ok = ratio >= 0.85 && added <= 2 && gated.non2xx === 0 && gated.errors === 0;
      console.log(
        `| ${gated.name.replace(/^gate /, '')} | ${ratio.toFixed(2)}× | ${added.toFixed(1)} | ${cpuPerRequest.toFixed(2)} | ${ok ? 'yes' : 'NO'} |`,
      );
    }
  } finally {
    await app.stop();
  }
}

benchEntry(!!values.serve, serve, main);
