/**
 * Audit overhead: the same PHI read (token check → patient-access check → HAPI read → audit record) served
 * with the real hash-chained audit writer and with a no-op audit logger, interleaved in one run, at the same
 * concurrency. Prints p50/p95/p99 for each and the p50 added by auditing (target ≤ ~1 ms).
 *
 * Usage: node --import tsx scripts/benchmarks/audit-overhead.ts [--connections 4] [--duration 10] [--rounds 3]
 * Low concurrency by default: at 32 connections HAPI's queueing noise is far larger than the effect measured.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import express, { Router } from 'express';
import pino from 'pino';
import { z } from 'zod';
import type { AuditLogger } from '../../services/api/src/core/audit/audit-types';
import { authenticate } from '../../services/api/src/core/auth/authenticate';
import { buildDeps } from '../../services/api/src/core/bootstrap';
import { loadConfig } from '../../services/api/src/core/config';
import { migrate } from '../../services/api/src/core/db/migrate';
import type { AppDeps } from '../../services/api/src/core/deps';
import { errorHandler } from '../../services/api/src/core/http/error-handler';
import { requirePatientAccess } from '../../services/api/src/core/http/phi-guard';
import { mount } from '../../services/api/src/core/http/route';
import { AuthService, principalOf } from '../../services/api/src/modules/auth/auth.service';
import { usersRepository } from '../../services/api/src/core/auth/users.repository';
import { patientIds, pickRandom, printTable, run, type BenchResult } from './lib';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '4' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
  },
});

const noAudit: AuditLogger = { record() {}, async flush() {}, async close() {} };

function phiApp(deps: AppDeps): express.Express {
  const r = Router();
  mount(
    r,
    {
      method: 'get',
      path: '/bench/patients/:patientId',
      summary: 'bench',
      tags: ['bench'],
      auth: 'patient:read',
      params: z.object({ patientId: z.string() }),
    },
    async (ctx) => {
      await requirePatientAccess(deps, ctx, ctx.params.patientId, {
        action: 'patient.read',
        resourceType: 'Patient',
        resourceId: ctx.params.patientId,
      });
      return deps.fhir.read('Patient', ctx.params.patientId);
    },
  );
  const app = express();
  app.use(authenticate(deps.tokens, deps.pg));
  app.use(r);
  app.use(errorHandler(deps.logger));
  return app;
}

async function listen(app: express.Express): Promise<{ url: string; close: () => void }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }),
    );
  });
}

async function main() {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const deps = await buildDeps(config, pino({ level: 'silent' }));
  await deps.redis.connect().catch(() => undefined);
  await migrate(deps.pg);
  const ids = await patientIds(config.hapi.baseUrl, 1000);
  if (!ids.length) throw new Error('no patients in HAPI: run scripts/demo-data.sh first');

  // A physician assigned to every patient used, so the access check takes its normal (cached) path.
  const username = 'bench.audit.physician';
  let user = await usersRepository.byUsername(deps.pg, username);
  user ??= await usersRepository.insert(deps.pg, {
    username,
    displayName: 'Bench Physician',
    role: 'physician',
    passwordHash: await AuthService.hashPassword('Bench-Only-Passw0rd!'),
  });
  await deps.pg.query(
    `INSERT INTO patient_assignments (user_id, patient_id, reason) SELECT $1, unnest($2::text[]), 'benchmark' ON CONFLICT DO NOTHING`,
    [user.id, ids],
  );
  const { token } = await deps.tokens.issueAccessToken(principalOf(user));

  const on = await listen(phiApp(deps));
  const off = await listen(phiApp({ ...deps, audit: noAudit }));
  const opts = { connections: Number(values.connections), durationSec: Number(values.duration) };
  const headers = { authorization: `Bearer ${token}` };
  const scenario = (name: string, url: string) => ({
    name,
    url,
    headers,
    path: () => `/bench/patients/${pickRandom(ids)}`,
  });

  // Warm both (JIT, access cache, HAPI caches), then interleave so drift hits both variants alike.
  await run(scenario('warm-up', on.url), { ...opts, durationSec: 3 });
  await run(scenario('warm-up', off.url), { ...opts, durationSec: 3 });
  const rows: BenchResult[] = [];
  for (let i = 1; i <= Number(values.rounds); i++) {
    rows.push(await run(scenario(`audit off (round ${i})`, off.url), opts));
    rows.push(await run(scenario(`audit on (round ${i})`, on.url), opts));
  }
  await deps.audit.flush();
  printTable(rows);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const p50On = med(rows.filter((r) => r.name.startsWith('audit on')).map((r) => r.p50));
  const p50Off = med(rows.filter((r) => r.name.startsWith('audit off')).map((r) => r.p50));
  const rpsOn = rows.filter((r) => r.name.startsWith('audit on')).reduce((a, r) => a + r.requestsPerSec, 0);
  const rpsOff = rows.filter((r) => r.name.startsWith('audit off')).reduce((a, r) => a + r.requestsPerSec, 0);
  const stats = (deps.audit as { stats?: () => unknown }).stats?.();
  console.log(
    `\naudit overhead: p50 on ${p50On.toFixed(2)} ms vs off ${p50Off.toFixed(2)} ms → added p50 ${(p50On - p50Off).toFixed(2)} ms (target ≤ 1 ms); throughput ratio on/off ${(rpsOn / rpsOff).toFixed(3)}`,
  );
  if (stats) console.log('audit writer:', JSON.stringify(stats));
  on.close();
  off.close();
  await deps.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
